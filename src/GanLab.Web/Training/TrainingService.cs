using System.Collections.Concurrent;
using GanLab.Core.Data;
using GanLab.Core.Training;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Training;

/// <summary>
/// Owns every training run in the server. Components never create or dispose a run themselves:
/// they open a <see cref="TrainerSession"/>, and the service creates the run when the learner first
/// presses Train, caps how many exist at once, and frees them when sessions end or the app stops.
/// </summary>
public sealed class TrainingService(DatasetCatalog datasets, IOptions<GanLabWebOptions> options, ILogger<TrainingService> logger) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly HashSet<TrainingRun> _runs = [];
    private readonly ConcurrentDictionary<string, string> _deviceNames = new();
    private int _reserved;
    private bool _disposed;

    public TrainerSession OpenSession(GanTrainingOptions runOptions) => new(this, runOptions);

    /// <summary>Runs that currently hold a model (and its native memory).</summary>
    public int LiveRuns { get { lock (_gate) return _runs.Count; } }

    /// <summary>"cpu" or "cuda": where a run with this device setting would train.</summary>
    public string DescribeDevice(string requested) => _deviceNames.GetOrAdd(requested, static value =>
    {
        try
        {
            return TrainingDevice.Describe(value);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            return "unavailable";
        }
    });

    /// <summary>Creates a run (slow: loads the dataset on first use and builds both networks).</summary>
    internal TrainingRun CreateRun(GanTrainingOptions runOptions)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_runs.Count + _reserved >= options.Value.MaxLiveRuns)
                throw new TrainingCapacityException(
                    $"The server is already training {options.Value.MaxLiveRuns} models, its limit. Try again when another learner stops, or press Reset on a trainer you no longer need.");
            _reserved++;
        }

        TrainingRun? run = null;
        try
        {
            run = new TrainingRun(runOptions, datasets);
            logger.LogInformation("Training run created: {Options}", runOptions);
            return run;
        }
        finally
        {
            lock (_gate)
            {
                _reserved--;
                if (run is not null) _runs.Add(run);
            }
        }
    }

    /// <summary>Stops a run and frees its native memory, off the caller's thread.</summary>
    internal void Release(TrainingRun run)
    {
        lock (_gate)
        {
            if (!_runs.Remove(run)) return;
        }
        // Disposing waits for the training thread to finish its step; a circuit or UI thread
        // should not wait for that.
        _ = Task.Run(() => DisposeRun(run));
    }

    private void DisposeRun(TrainingRun run)
    {
        try
        {
            run.Dispose();
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Disposing a training run failed");
        }
    }

    public void Dispose()
    {
        TrainingRun[] runs;
        lock (_gate)
        {
            _disposed = true;
            runs = [.. _runs];
            _runs.Clear();
        }
        foreach (var run in runs) DisposeRun(run);
    }
}

/// <summary>Thrown when the server already trains as many models as <see cref="GanLabWebOptions.MaxLiveRuns"/> allows.</summary>
public sealed class TrainingCapacityException(string message) : Exception(message);
