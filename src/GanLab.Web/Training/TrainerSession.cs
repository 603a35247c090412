using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// One trainer on one page: the learner's handle on a <see cref="ServerRun"/>. The run is created on the first Train
/// (viewing a lesson costs nothing), paused by Stop, resumed by Train, ended by Reset. When the page goes away the run
/// is paused, unless the learner chose to let it finish, and a trainer with a <see cref="Place"/> leaves it to
/// <see cref="RunReclaim"/>: the same trainer opened again by the same browser takes it back (<see cref="Adopted"/>),
/// and a run nobody takes back ends after the grace. A trainer without a place ends its run when its page goes.
/// Events are raised on the training or scheduler thread; subscribers marshal to their own thread.
/// </summary>
public sealed class TrainerSession : IDisposable, IRunHeir
{
    private readonly TrainingService _service;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private ServerRun? _run;
    private bool _letFinish;
    private bool _disposed;

    /// <param name="adopt">a run taken back by the block that owns this session (a comparison's side), or null</param>
    internal TrainerSession(TrainingService service, GanTrainingOptions options, string browserId, TrainerPlace? place, ServerRun? adopt = null)
    {
        _service = service;
        Options = options;
        BrowserId = browserId;
        Place = place;
        if (adopt is not null) Adopt(adopt);
        if (place is null) return;
        if (service.Reclaim.Claim(browserId, place) is { } run) Adopt(run);
        else service.Reclaim.AwaitHeritage(this, place);
    }

    /// <summary>Which trainer this is, for a page opened again to find its run; null: its run ends with its page.</summary>
    public TrainerPlace? Place { get; }

    /// <summary>
    /// The run this trainer took back from its page's earlier visit (it has a history the page did not see), until Reset;
    /// null for a run it started itself.
    /// </summary>
    public ServerRun? Adopted { get; private set; }

    /// <summary>Raised when a run is adopted after the trainer opened (its old page let go of it late).</summary>
    public event Action? RunAdopted;

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
                _service.Reclaim.StopAwaiting(this);
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

    /// <summary>
    /// The page went away: the run pauses, unless it was left to finish on its own, and waits for this trainer's page to
    /// come back (<see cref="RunReclaim"/>); without a place, or when it cannot be kept, it ends as before.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Progress = null;
        Samples = null;
        StateChanged = null;
        RunAdopted = null;
        if (Place is not null) _service.Reclaim.StopAwaiting(this);
        _ = Task.Run(async () =>
        {
            await _lifecycle.WaitAsync();
            try
            {
                if (DetachRun() is not { } run) return;
                var finishesByItself = run.LetFinish && run.CanFinishByItself;
                if (Place is { } place && _service.Reclaim.Grace > TimeSpan.Zero)
                {
                    // Paused before it is listed: whoever takes it back finds it as the page left it, not training for nobody.
                    if (!finishesByItself) await run.PauseAsync();
                    if (await _service.Reclaim.KeepAsync(run, place)) return;
                }
                if (!finishesByItself) await run.EndAsync(RunStatus.Cancelled, "The page was closed while the run was going.");
            }
            finally
            {
                _lifecycle.Release();
            }
        });
    }

    /// <summary>
    /// Takes a run its place's old page let go of after this trainer opened. Refused (false) once this trainer has a run
    /// of its own, has gone, or the run has ended.
    /// </summary>
    internal Task<bool> TryAdoptAsync(ServerRun run) => TryAdoptAsync(run, acceptEnded: false);

    Task<bool> IRunHeir.TryAdoptAsync(IReadOnlyList<ServerRun> runs) =>
        runs is [var run] ? TryAdoptAsync(run) : Task.FromResult(false);

    /// <param name="acceptEnded">
    /// A comparison's side takes its run back even when it has finished: the other side may still train, and the final
    /// table needs both. A trainer never does (a finished run stays on the Runs page and its trainer starts fresh).
    /// </param>
    internal async Task<bool> TryAdoptAsync(ServerRun run, bool acceptEnded)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || _run is not null || (run.Status.IsFinal() && !acceptEnded)) return false;
            Adopt(run);
        }
        finally
        {
            _lifecycle.Release();
        }
        RunAdopted?.Invoke();
        StateChanged?.Invoke();
        return true;
    }

    /// <summary>
    /// The page went away and the block that owns this session keeps its run itself (a comparison keeps its two runs as
    /// one): the session closes and lets go of the run as it is, neither paused nor ended. Null when it had none.
    /// </summary>
    internal async Task<ServerRun?> HandOverAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            _disposed = true;
            Progress = null;
            Samples = null;
            StateChanged = null;
            RunAdopted = null;
            return DetachRun();
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    // The run's settings and choice to finish are the trainer's again: they may differ from the block's.
    private void Adopt(ServerRun run)
    {
        Options = run.Options;
        _letFinish = run.LetFinish;
        Adopted = run;
        Attach(run);
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
        Adopted = null;
        run.Progress -= OnProgress;
        run.Samples -= OnSamples;
        run.StateChanged -= OnStateChanged;
        return run;
    }

    private void OnProgress(TrainingProgress progress) => Progress?.Invoke(progress);
    private void OnSamples(SampleGridSnapshot samples) => Samples?.Invoke(samples);
    private void OnStateChanged() => StateChanged?.Invoke();
}
