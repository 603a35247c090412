using System.Threading.Channels;
using GanLab.Core.Training;

namespace GanLab.Web.Runs;

/// <summary>
/// Takes what runs report and writes it to the <see cref="RunStore"/> on a thread of its own, in batches.
/// The training threads only put items in a channel (no disk, no lock they could wait on); this drains it a few
/// times a second in one transaction per batch. A failing disk is logged and costs history, never training.
/// On shutdown everything queued is written before the server exits.
/// </summary>
public sealed class RunRecorder(RunStore store, ILogger<RunRecorder> logger) : BackgroundService
{
    /// <summary>How long writes gather before one transaction: a few hundred metric rows at full speed.</summary>
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(250);

    private const int MaxBatch = 5000;

    private readonly Channel<object> _writes = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });

    public RunStore Store => store;

    public void Save(RunRecord record) => _writes.Writer.TryWrite(new RunWrite.Run(record));

    public void Metric(string runId, TrainingProgress progress) => _writes.Writer.TryWrite(new RunWrite.Metric(runId, progress));

    public void Snapshot(string runId, SampleGridSnapshot samples) => _writes.Writer.TryWrite(new RunWrite.Snapshot(runId, samples.Step, samples.Png));

    /// <summary>Completes when everything recorded before the call is in the database.</summary>
    public Task FlushAsync()
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_writes.Writer.TryWrite(flushed)) flushed.TrySetResult();
        return flushed.Task;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Run(async () =>
    {
        // Not stopped by the token: StopAsync completes the channel and this drains what is left, then ends.
        var batch = new List<RunWrite>();
        var flushes = new List<TaskCompletionSource>();
        while (await _writes.Reader.WaitToReadAsync())
        {
            await Task.Delay(BatchInterval);
            while (batch.Count < MaxBatch && _writes.Reader.TryRead(out var item))
            {
                if (item is RunWrite write) batch.Add(write);
                else if (item is TaskCompletionSource flush) flushes.Add(flush);
            }
            try
            {
                store.Write(batch);
            }
            catch (Exception ex)
            {
                // Broad on purpose: a full disk or a locked file must not stop the server.
                logger.LogError(ex, "Writing {Count} run records to {Database} failed; they are lost", batch.Count, store.DatabasePath);
            }
            batch.Clear();
            foreach (var flush in flushes) flush.TrySetResult();
            flushes.Clear();
        }
    }, CancellationToken.None);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _writes.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }
}
