using GanLab.Core.Data;

namespace GanLab.Core.Training;

/// <summary>
/// One student's training run: a <see cref="GanTrainer"/> driven on a thread of its own, so the web
/// server's threads never wait on libtorch. Components subscribe to its events; it knows nothing of them.
/// Start resumes after Stop with the same weights; Dispose ends the run and frees its native memory.
/// </summary>
public sealed class TrainingRun : IDisposable
{
    /// <summary>How often the fixed-noise grid is redrawn; more often only costs the student bandwidth.</summary>
    public static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(400);

    private readonly DatasetCatalog datasets;
    private readonly string? resumeFrom;
    private readonly object gate = new();
    private GanTrainer? trainer;
    private Thread? thread;
    private TaskCompletionSource? stopped;
    private volatile bool stopRequested;
    private long? untilStep;
    private bool disposed;

    public TrainingRun(GanTrainingOptions options, DatasetCatalog datasets)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        Options = options;
        this.datasets = datasets;
        DeviceName = TrainingDevice.Describe(options.Device);
    }

    /// <summary>
    /// A run that goes on from a checkpoint of <see cref="SaveCheckpoint"/> when first started: a server short of
    /// memory saves a paused run and frees it, and this brings it back exactly where it stood.
    /// </summary>
    public TrainingRun(string checkpointPath, DatasetCatalog datasets)
        : this(GanTrainer.ReadCheckpointOptions(checkpointPath), datasets)
    {
        resumeFrom = checkpointPath;
    }

    public GanTrainingOptions Options { get; }
    public string DeviceName { get; }
    public TrainingState State { get; private set; } = TrainingState.Idle;
    public string? FaultMessage { get; private set; }
    public TrainingProgress? LastProgress { get; private set; }
    public SampleGridSnapshot? LastSamples { get; private set; }

    /// <summary>Raised on the training thread after every step.</summary>
    public event Action<TrainingProgress>? Progress;

    /// <summary>Raised on the training thread when training starts and then every <see cref="SampleInterval"/>.</summary>
    public event Action<SampleGridSnapshot>? Samples;

    public event Action? StateChanged;

    /// <summary>Starts training, or resumes it after Stop. Returns at once.</summary>
    public void Start() => Start(untilStep: null);

    /// <summary>Starts training, or resumes it after Stop, and stops by itself at a given step. Returns at once.</summary>
    /// <param name="untilStep">
    /// Stops by itself once the step counter reaches this (before MaxSteps when smaller): Step in the panel trains
    /// exactly one step this way and then shows it. Null trains until stopped or MaxSteps.
    /// </param>
    public void Start(long? untilStep)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (State == TrainingState.Running) return;
            if (State == TrainingState.Faulted)
                throw new InvalidOperationException($"this run failed ({FaultMessage}); reset it to train again");
            stopRequested = false;
            this.untilStep = untilStep;
            stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            thread = new Thread(Loop) { IsBackground = true, Name = "gan-training" };
            SetState(TrainingState.Running);
            thread.Start();
        }
    }

    /// <summary>Completes when the training started by the last Start has ended, whatever ended it; at once when not training.</summary>
    public Task WhenStopped
    {
        get { lock (gate) return State == TrainingState.Running && stopped is not null ? stopped.Task : Task.CompletedTask; }
    }

    /// <summary>
    /// Writes the weights, optimizer state and counters to <paramref name="path"/> (GanTrainer.SaveCheckpoint). Only between
    /// Start and Stop is the trainer in use by the training thread, so this refuses while running. False when there is
    /// nothing to save (never started).
    /// </summary>
    public bool SaveCheckpoint(string path)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (State == TrainingState.Running) throw new InvalidOperationException("stop the run before saving it");
            if (trainer is null) return false;
            trainer.SaveCheckpoint(path);
            return true;
        }
    }

    /// <summary>Pauses after the step in progress; completes when the training thread has let go.</summary>
    public Task StopAsync()
    {
        lock (gate)
        {
            if (State != TrainingState.Running || stopped is null) return Task.CompletedTask;
            stopRequested = true;
            return stopped.Task;
        }
    }

    private void Loop()
    {
        try
        {
            // Built on the training thread: loading data and initialising weights must not block the page.
            trainer ??= resumeFrom is not null ? GanTrainer.Resume(resumeFrom, datasets) : new GanTrainer(Options, datasets.Get(Options.Dataset));
            trainer.ResetClock();
            PublishSamples(trainer);
            var lastSamples = DateTime.UtcNow;
            var until = untilStep;
            while (!stopRequested && (Options.MaxSteps is not { } max || trainer.Step < max) && (until is not { } u || trainer.Step < u))
            {
                var progress = trainer.TrainStep();
                if (progress.Diverged)
                {
                    Fault(progress.DivergenceMessage(Options) + " and reset.");
                    return;
                }
                LastProgress = progress;
                Progress?.Invoke(progress);
                if (DateTime.UtcNow - lastSamples >= SampleInterval)
                {
                    PublishSamples(trainer);
                    lastSamples = DateTime.UtcNow;
                }
            }
            PublishSamples(trainer);
            SetState(TrainingState.Stopped);
        }
        catch (Exception e)
        {
            Fault(e.Message);
        }
        finally
        {
            stopped?.TrySetResult();
        }
    }

    private void PublishSamples(GanTrainer t)
    {
        LastSamples = t.SampleFixedNoise();
        Samples?.Invoke(LastSamples);
    }

    private void Fault(string message)
    {
        FaultMessage = message;
        SetState(TrainingState.Faulted);
    }

    private void SetState(TrainingState state)
    {
        State = state;
        StateChanged?.Invoke();
    }

    public void Dispose()
    {
        Thread? running;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            stopRequested = true;
            running = thread;
        }
        // The trainer's tensors may only be freed once the training thread has finished with them.
        running?.Join();
        trainer?.Dispose();
        trainer = null;
        Progress = null;
        Samples = null;
        StateChanged = null;
    }
}
