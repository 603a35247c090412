using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// One trainer on one page: the learner's handle on a <see cref="ServerRun"/>. The run is created on the first Train
/// (viewing a lesson costs nothing), paused by Stop, resumed by Train, ended by Reset, and ended when the page goes
/// away, unless the learner chose to let it finish. Events are raised on the training or scheduler thread;
/// subscribers marshal to their own thread.
/// </summary>
public sealed class TrainerSession : IDisposable
{
    private readonly TrainingService _service;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private ServerRun? _run;
    private bool _letFinish;
    private bool _disposed;

    internal TrainerSession(TrainingService service, GanTrainingOptions options, string browserId)
    {
        _service = service;
        Options = options;
        BrowserId = browserId;
    }

    /// <summary>The settings the next run starts with; fixed while a run exists (Reset first to change them).</summary>
    public GanTrainingOptions Options { get; private set; }

    /// <summary>
    /// Sets the settings of the next run. False while a run exists: its weights were made with the old settings,
    /// and changing them under it would make its history lie.
    /// </summary>
    public bool TryChangeOptions(GanTrainingOptions options)
    {
        if (_run is not null || _disposed) return false;
        Options = options;
        StateChanged?.Invoke();
        return true;
    }

    public string BrowserId { get; }

    /// <summary>The run behind this trainer, once Train was pressed.</summary>
    public ServerRun? Run => _run;

    /// <summary>Null before the first Train and after Reset.</summary>
    public RunStatus? Status => _run?.Status;

    public int? QueuePosition => _run?.QueuePosition;

    /// <summary>Why the last Train was refused (this browser's share of the queue is full, invalid settings); the trainer stays as it was.</summary>
    public string? Refusal { get; private set; }

    public string? FaultMessage => _run?.FaultMessage;

    public TrainingProgress? LastProgress => _run?.LastProgress;

    public SampleGridSnapshot? LastSamples => _run?.LastSamples;

    public string DeviceName => _service.DescribeDevice(Options.Device);

    /// <summary>A run with a step budget can be left to finish when the page closes; an open-ended one cannot.</summary>
    public bool CanLetFinish => Options.MaxSteps is not null;

    /// <summary>When set, leaving the page leaves the run training until its step budget is spent.</summary>
    public bool LetFinish
    {
        get => _letFinish;
        set
        {
            _letFinish = value && CanLetFinish;
            if (_run is { } run) run.LetFinish = _letFinish;
        }
    }

    public event Action<TrainingProgress>? Progress;
    public event Action<SampleGridSnapshot>? Samples;
    public event Action? StateChanged;

    /// <summary>Queues a new run, or queues a paused one again (Resume).</summary>
    public Task StartAsync() => QueueAsync(firstStepOnly: false);

    /// <summary>Trains exactly one step (a new run's first, or a paused run's next) through the scheduler, then pauses.</summary>
    public Task StepAsync() => QueueAsync(firstStepOnly: true);

    private async Task QueueAsync(bool firstStepOnly)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed) return;
            Refusal = null;
            if (_run is null)
            {
                var run = _service.CreateRun(Options, BrowserId, firstStepOnly);
                run.LetFinish = _letFinish;
                Attach(run);
            }
            else if (_run.Status == RunStatus.Paused)
            {
                if (firstStepOnly) await _run.StepAsync();
                else await _run.ResumeAsync();
            }
        }
        catch (Exception ex) when (ex is RunQueueFullException or ArgumentException or ObjectDisposedException)
        {
            Refusal = ex is ObjectDisposedException ? "The server is stopping; try again in a minute." : ex.Message;
        }
        finally
        {
            _lifecycle.Release();
            StateChanged?.Invoke();
        }
    }

    /// <summary>Pauses training; the weights stay for a later resume.</summary>
    public async Task StopAsync()
    {
        if (_run is { } run) await run.PauseAsync();
    }

    /// <summary>Called when the connection drops: pauses, unless the learner chose to let the run finish.</summary>
    public Task PauseUnlessLeftToFinishAsync() => _run is { LetFinish: true } ? Task.CompletedTask : StopAsync();

    /// <summary>Ends the run (a finished one stays as it is in the history); the next Train starts from fresh weights.</summary>
    public async Task ResetAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            Refusal = null;
            if (_run is { } run)
            {
                // Ended before it is let go: once the trainer shows Idle, the run's slot and share are free again.
                await run.EndAsync(RunStatus.Cancelled, "Reset by the student.");
                DetachRun();
            }
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    /// <summary>The page went away: the run ends, unless it was left to finish on its own.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Progress = null;
        Samples = null;
        StateChanged = null;
        _ = Task.Run(async () =>
        {
            await _lifecycle.WaitAsync();
            try
            {
                if (DetachRun() is { } run && !(run.LetFinish && run.CanFinishByItself))
                    await run.EndAsync(RunStatus.Cancelled, "The page was closed while the run was going.");
            }
            finally
            {
                _lifecycle.Release();
            }
        });
    }

    private void Attach(ServerRun run)
    {
        _run = run;
        run.Progress += OnProgress;
        run.Samples += OnSamples;
        run.StateChanged += OnStateChanged;
    }

    private ServerRun? DetachRun()
    {
        if (_run is not { } run) return null;
        _run = null;
        run.Progress -= OnProgress;
        run.Samples -= OnSamples;
        run.StateChanged -= OnStateChanged;
        return run;
    }

    private void OnProgress(TrainingProgress progress) => Progress?.Invoke(progress);
    private void OnSamples(SampleGridSnapshot samples) => Samples?.Invoke(samples);
    private void OnStateChanged() => StateChanged?.Invoke();
}
