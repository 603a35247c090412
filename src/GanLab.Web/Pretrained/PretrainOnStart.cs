using GanLab.Core.Pretrained;
using GanLab.Web.Training;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Pretrained;

/// <summary>
/// On a server's first start, trains the pretrained models that are missing, one after another, through the one
/// <see cref="TrainingScheduler"/> as the runs of a browser of its own: students' runs get their fair turns
/// between its slices, and a class is never starved by it. Each slice saves its steps when it yields, so a
/// restart goes on where it stopped. Off (GanLab:PretrainOnStart=false) in tests and wherever `./ganlab pretrain` is used instead.
/// </summary>
public sealed class PretrainOnStart(PretrainedLibrary library, TrainingService training, IOptions<GanLabWebOptions> options,
    ILogger<PretrainOnStart> logger) : BackgroundService
{
    /// <summary>The browser id the scheduler shares turns with; no cookie can have it (those are 32 hex digits).</summary>
    public const string BrowserId = "ganlab-pretrain";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var missing = library.Models.Gans.Where(g => library.StatusOf(g.Name).State != PretrainedState.Ready).ToList();
        if (!options.Value.PretrainOnStart)
        {
            if (missing.Count > 0)
                logger.LogInformation("Pretrained models missing and GanLab:PretrainOnStart is off: {Names} (./ganlab pretrain trains them)",
                    string.Join(", ", missing.Select(m => m.Name)));
            return;
        }
        foreach (var entry in missing) library.Report(entry.Name, new(PretrainedState.Preparing, 0, "waiting for its turn"));
        foreach (var entry in missing)
        {
            if (stoppingToken.IsCancellationRequested) return;
            var run = new PretrainRun(library, entry, logger);
            logger.LogInformation("Pretraining {Name}: {Model} on {Dataset}, {Steps} steps, through the scheduler", entry.Name, entry.Model, entry.Dataset, entry.Steps);
            training.Scheduler.Enqueue(run);
            try
            {
                await run.Ended.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                // The server is stopping: the slice saves its steps as it yields; the next start goes on from them.
                await training.Scheduler.WithdrawAsync(run);
                run.Abandon();
                return;
            }
        }
    }
}

/// <summary>One pretrained model training in the scheduler's slices; keeps its trainer in memory between slices.</summary>
internal sealed class PretrainRun(PretrainedLibrary library, PretrainedGan entry, ILogger logger) : ISchedulableRun
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>A checkpoint of the DCGAN is 30 MB: written at most this often while yielding, and always when the server stops.</summary>
    private static readonly TimeSpan SaveInterval = TimeSpan.FromMinutes(1);

    private PretrainedTraining? _training;
    private DateTime _lastReport;
    private DateTime _lastSaved = DateTime.UtcNow;

    public string BrowserId => PretrainOnStart.BrowserId;

    /// <summary>Completes when the model is trained, failed, or was withdrawn (the server stopping).</summary>
    public Task Ended => _ended.Task;

    public Task<bool> TrainSliceAsync(CancellationToken yieldRequested) =>
        // A slice trains for up to a quantum: a thread of its own, not one of the pool's.
        Task.Factory.StartNew(() => TrainSlice(yieldRequested), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private bool TrainSlice(CancellationToken yieldRequested)
    {
        try
        {
            _training ??= library.Models.StartTraining(entry, wait: TimeSpan.FromSeconds(1), log: line => logger.LogInformation("{Line}", line));
            if (_training.TrainUntil(() => yieldRequested.IsCancellationRequested, Progress))
            {
                var record = _training.Complete();
                logger.LogInformation("Pretrained {Name}: {Steps} steps in {Seconds:F0} s of training", entry.Name, record.Steps, record.TrainingSeconds);
                Finish(new(PretrainedState.Ready, 1, null));
                return true;
            }
            // Yielding to another browser: the trainer stays in memory; the steps go to disk now and then, against a crash.
            if (DateTime.UtcNow - _lastSaved >= SaveInterval)
            {
                _training.SavePartial();
                _lastSaved = DateTime.UtcNow;
            }
            return false;
        }
        catch (Exception ex)
        {
            // Broad on purpose: a missing dataset or a diverged step ends this model's preparation, never the server.
            logger.LogWarning("Pretraining {Name} failed: {Message}", entry.Name, ex.Message);
            Finish(new(PretrainedState.Failed, _training?.Fraction ?? 0, ex.Message));
            return true;
        }
    }

    private void Progress(long step, long budget)
    {
        // The pages show whole percents; telling them every step would only flood their circuits.
        if (DateTime.UtcNow - _lastReport < TimeSpan.FromSeconds(1) && step < budget) return;
        _lastReport = DateTime.UtcNow;
        library.Report(entry.Name, new(PretrainedState.Preparing, step / (double)budget, null));
    }

    private void Finish(PretrainedStatus status)
    {
        _training?.Dispose();
        _training = null;
        library.Report(entry.Name, status);
        _ended.TrySetResult();
    }

    /// <summary>Withdrawn for good (the server stopping): keeps the steps and frees the trainer once the scheduler has let go.</summary>
    internal void Abandon()
    {
        try
        {
            _training?.SavePartial();
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException)
        {
            logger.LogWarning("Pretraining {Name}: its steps could not be kept ({Message}); the next start begins again", entry.Name, ex.Message);
        }
        _training?.Dispose();
        _training = null;
        _ended.TrySetResult();
    }
}
