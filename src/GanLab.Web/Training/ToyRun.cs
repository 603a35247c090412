using System.Diagnostics;
using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Runs;

namespace GanLab.Web.Training;

/// <summary>Where a toy run stands, as its buttons see it.</summary>
public enum ToyRunStatus
{
    /// <summary>No networks yet: the first Play or step builds them from the seed.</summary>
    Idle,
    /// <summary>Training on, a slice at a time, until Pause (it may be waiting for its turn: see <see cref="ToyRun.QueuePosition"/>).</summary>
    Playing,
    /// <summary>One step asked for by a step button, waiting for its turn or being trained.</summary>
    Stepping,
    /// <summary>Stopped with its weights kept: Play or a step button goes on from them.</summary>
    Paused,
    /// <summary>Training diverged or failed, or the instructor or the server ended it; the fault message says why, Reset starts again.</summary>
    Failed,
}

/// <summary>
/// What a toy component draws at one moment: the view (points, heatmap, arrows, manifold), the measurements against
/// the data and the optimal D, the last step's numbers, and the chart points since the previous frame.
/// </summary>
public sealed record ToyFrame(ToyView View, ToyEvaluation Evaluation, TrainingProgress Progress, IReadOnlyList<ChartPoint> Points);

/// <summary>
/// What a playing toy's student is told about sharing the server: before its first turn, its place in line; after it,
/// how many other toys take turns with it and how often its turn comes (rounded to <see cref="ToyRun.TurnRounding"/>).
/// </summary>
public readonly record struct ToyTurns(int? Position, int OtherToys, TimeSpan Every);

/// <summary>
/// One toy GAN on one lesson component, trained through the one <see cref="TrainingScheduler"/> like the image runs, in
/// the toy lane (<see cref="RunLane.Toy"/>): toys take turns in toy slots of their own, so a class's image runs cannot
/// freeze them, and they count towards each browser's share of runs. A toy step takes about a millisecond, so a run
/// trains in short slices (<see cref="TrainingScheduler.ToyTurnLength"/>, a tenth to a half of a second, shorter the more
/// toys wait) and hands its slot back after each; with nobody waiting the scheduler gives it the next slice at once. A step
/// button's single step goes through the scheduler too, so a class pressing "D step" together queues fairly.
/// The view is throttled, not training: a frame (the view and an evaluation) is made at most every
/// <see cref="FrameInterval"/>, on the training thread between steps, because the trainer is not thread-safe.
/// The networks are tiny (a few thousand weights); they stay in memory while paused and are freed by Reset and
/// by disposal (the page left).
/// On record: from its first Play or step until Reset, failure or the page closing, the toy is one run of the runs
/// database (<see cref="Record"/>, raised through <see cref="RecordChanged"/>), written when its status changes:
/// queued, running (its first slice after Play or a step), paused, and how it ended. Not at every slice: a playing
/// toy hands its slot back twice a second, and the live status (<see cref="LiveStatus"/>) says whether it waits.
/// </summary>
public sealed class ToyRun : ISchedulableRun, IAsyncDisposable
{
    /// <summary>At most five frames a second: every frame crosses the SignalR circuit (tens of KB).</summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Averaged chart points per frame: more steps than this in one frame are merged.</summary>
    public const int PointsPerFrame = 10;

    private readonly TrainingScheduler _scheduler;
    private readonly int _evaluationSamples;
    // Held while the trainer trains or is freed: Reset and Dispose wait for the slice that uses it.
    private readonly Lock _trainerGate = new();
    // Play, Pause, Step, Reset one at a time: each waits for the scheduler to let go of the run.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly ProgressBuffer _points = new();
    private ToyGanTrainer? _trainer;
    private ToyStep? _pendingStep;
    private volatile bool _disposed;
    private readonly Lock _shownGate = new();
    private ToyTurns? _shownTurns;
    private long _turnsShownAt;
    private bool _turnsCheckWaiting;
    // Seconds from one turn's start to the next, smoothed; NaN until the toy has had two turns since Play.
    private double _turnEvery = double.NaN;
    private long _lastTurnStart;
    private int _stepDone; // 1: the step was trained; Paused comes when the scheduler has let go
    private readonly TimeProvider _clock;
    // The run on record; its changes are raised under this lock so that they reach the database in order.
    private readonly Lock _recordGate = new();
    private RunRecord? _record;

    /// <param name="evaluationSamples">G's points per evaluation: 2,500 (the published mode-count size); more for smooth 1-D histograms</param>
    /// <param name="clock">The run's times on record; the system clock unless a test brings its own</param>
    public ToyRun(TrainingScheduler scheduler, string browserId, ToyGanOptions options, int evaluationSamples = ModeCoverage.PublishedSampleCount,
        TimeProvider? clock = null)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        ArgumentOutOfRangeException.ThrowIfLessThan(evaluationSamples, 1);
        _scheduler = scheduler;
        _evaluationSamples = evaluationSamples;
        _clock = clock ?? TimeProvider.System;
        BrowserId = browserId;
        Options = options;
        scheduler.Changed += OnQueueMoved;
    }

    public string BrowserId { get; }

    /// <summary>Toys take the toy slots: short slices, watched as they move.</summary>
    RunLane ISchedulableRun.Lane => RunLane.Toy;

    public ToyGanOptions Options { get; }
    public ToyRunStatus Status { get; private set; } = ToyRunStatus.Idle;

    /// <summary>The lesson component that trains this toy (toy-2d, optimal-discriminator, minimax-game), as the runs lists name it.</summary>
    public string Component { get; init; } = "toy";

    /// <summary>The run on record since the first Play or step (a new one after Reset); null before. Its status is what was last written.</summary>
    public RunRecord? Record { get { lock (_recordGate) return _record; } }

    /// <summary>
    /// Where the run stands for the Runs and instructor pages: queued while it waits for a turn (between slices too),
    /// running while it trains, paused, or how it ended; null before the first Play or step.
    /// </summary>
    public RunStatus? LiveStatus => Status switch
    {
        ToyRunStatus.Playing or ToyRunStatus.Stepping => QueuePosition is null ? RunStatus.Running : RunStatus.Queued,
        ToyRunStatus.Paused => RunStatus.Paused,
        _ => Record?.Status,
    };

    public string? FaultMessage { get; private set; }

    /// <summary>Why the last Play or step was refused (this browser's share of runs is taken); the run stays as it was.</summary>
    public string? Refusal { get; private set; }

    public ToyFrame? LastFrame { get; private set; }

    /// <summary>True while the networks (native memory) exist: from the first step until Reset or disposal.</summary>
    public bool HoldsNetworks { get { lock (_trainerGate) return _trainer is not null; } }

    /// <summary>1 when this run gets the next free slot; null unless it waits for one.</summary>
    public int? QueuePosition => _scheduler.QueuePosition(this);

    /// <summary>How the time between turns is shown: to the half second, so that it changes when the rhythm does, not at every turn.</summary>
    public static readonly TimeSpan TurnRounding = TimeSpan.FromMilliseconds(500);

    /// <summary>The most often a change of <see cref="Turns"/> alone re-renders the page.</summary>
    public static readonly TimeSpan TurnsShownEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// While playing: the place in line before the first turn, then the toys it takes turns with and how often its turn
    /// comes. Null when it trains without waiting (a turn that comes back within a second looks continuous) or is not playing.
    /// A class's toys come round every few tenths of a second, so a place in line would change several times a second
    /// and tell the student nothing; the rhythm changes only when toys join or leave.
    /// </summary>
    public ToyTurns? Turns
    {
        get
        {
            if (Status is not (ToyRunStatus.Playing or ToyRunStatus.Stepping)) return null;
            var every = Volatile.Read(ref _turnEvery);
            if (double.IsNaN(every)) return QueuePosition is { } position ? new ToyTurns(position, 0, TimeSpan.Zero) : null;
            var rounded = TurnRounding * Math.Round(every / TurnRounding.TotalSeconds);
            var others = _scheduler.CountOf(RunLane.Toy) is var (running, queued) ? running + queued - 1 : 0;
            return others > 0 && rounded >= TimeSpan.FromSeconds(1) ? new ToyTurns(null, others, rounded) : null;
        }
    }

    /// <summary>Raised on the training thread after each frame.</summary>
    public event Action<ToyFrame>? Frame;

    /// <summary>Raised on any thread when <see cref="Status"/>, the queue or the refusal changed.</summary>
    public event Action? StateChanged;

    /// <summary>Raised (on any thread, in order) with the run's record each time it changes: for the runs database.</summary>
    public event Action<RunRecord>? RecordChanged;

    /// <summary>Trains on, a slice at a time, until <see cref="PauseAsync"/>.</summary>
    public Task PlayAsync() => QueueAsync(ToyRunStatus.Playing, step: null);

    /// <summary>Trains exactly one step of the given kind (GAN Lab's slow motion), then pauses.</summary>
    public Task StepAsync(ToyStep kind) => QueueAsync(ToyRunStatus.Stepping, kind);

    private async Task QueueAsync(ToyRunStatus status, ToyStep? step)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || Status is ToyRunStatus.Playing or ToyRunStatus.Stepping or ToyRunStatus.Failed) return;
            Refusal = null;
            var before = Status;
            _pendingStep = step;
            // A new rhythm from this Play: the time paused is not a wait between turns.
            (_lastTurnStart, _turnEvery) = (0, double.NaN);
            Status = status;
            // Recorded before the scheduler can start the run on another thread, announced once it accepted it.
            var recordBefore = Record;
            UpdateRecord(RunStatus.Queued, announce: false);
            try
            {
                _scheduler.Enqueue(this);
                AnnounceRecord();
            }
            catch (RunQueueFullException ex)
            {
                (Status, _pendingStep, Refusal) = (before, null, ex.Message);
                lock (_recordGate) _record = recordBefore;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    /// <summary>Stops training; the weights stay for Play or a step, and a run waiting for its turn keeps its place.</summary>
    public async Task PauseAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            await _scheduler.WithdrawAsync(this, keepPlace: true);
            if (Status is ToyRunStatus.Playing or ToyRunStatus.Stepping)
            {
                Status = _trainer is null ? ToyRunStatus.Idle : ToyRunStatus.Paused;
                // Without networks the next Play starts from the seed: a new run, so this one ends here.
                if (Status == ToyRunStatus.Idle) UpdateRecord(RunStatus.Cancelled, "Paused before its first step.");
                else UpdateRecord(RunStatus.Paused);
            }
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    /// <summary>Frees the networks: the next Play starts again from the seed's weights.</summary>
    public async Task ResetAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            await _scheduler.WithdrawAsync(this);
            FreeTrainer();
            UpdateRecord(RunStatus.Cancelled, "Reset by the student.");
            lock (_recordGate) _record = null;
            (Status, FaultMessage, Refusal, LastFrame, _pendingStep) = (ToyRunStatus.Idle, null, null, null, null);
            _points.Clear();
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    // The scheduler changes at every slice of every run on the server: tell the page only when this run's place moved.
    private void OnQueueMoved()
    {
        if (Volatile.Read(ref _stepDone) == 1 && _scheduler.StateOf(this) == ScheduleState.None)
        {
            if (Interlocked.Exchange(ref _stepDone, 0) == 0) return; // another thread's Changed got there first
            if (Status == ToyRunStatus.Stepping)
            {
                Status = ToyRunStatus.Paused;
                UpdateRecord(RunStatus.Paused);
            }
            StateChanged?.Invoke();
            return;
        }
        ShowTurns();
    }

    /// <summary>
    /// Asks the page to show a change of <see cref="Turns"/>, at most once per <see cref="TurnsShownEvery"/>: a change of
    /// place or of the running run that leaves it as it was re-renders nothing, and a class's toys joining or leaving
    /// together (each changes every toy's count of others) re-render each page about once a second, the last count shown.
    /// </summary>
    private void ShowTurns()
    {
        if (_disposed) return;
        var turns = Turns;
        lock (_shownGate)
        {
            if (turns == _shownTurns) return;
            var wait = TurnsShownEvery - Stopwatch.GetElapsedTime(_turnsShownAt);
            if (wait > TimeSpan.Zero)
            {
                // Shown when the second is up, as it is then; one check waits at a time.
                if (!_turnsCheckWaiting)
                {
                    _turnsCheckWaiting = true;
                    _ = Task.Delay(wait).ContinueWith(_ =>
                    {
                        lock (_shownGate) _turnsCheckWaiting = false;
                        ShowTurns();
                    }, TaskScheduler.Default);
                }
                return;
            }
            (_shownTurns, _turnsShownAt) = (turns, Stopwatch.GetTimestamp());
        }
        StateChanged?.Invoke();
    }

    Task<bool> ISchedulableRun.TrainSliceAsync(CancellationToken yieldRequested)
    {
        // The scheduler calls this on a thread of its own (Task.Run), so training synchronously blocks no page.
        lock (_trainerGate)
        {
            if (_disposed) return Task.FromResult(true);
            try
            {
                _trainer ??= new ToyGanTrainer(Options);
                UpdateRecord(RunStatus.Running);
                return Task.FromResult(_pendingStep is { } kind ? TrainOneStep(_trainer, kind) : TrainSlice(_trainer, yieldRequested));
            }
            catch (Exception ex)
            {
                // Broad on purpose: libtorch failing ends this toy only, and the student reads why.
                Fail($"training failed: {ex.Message}");
                return Task.FromResult(true);
            }
        }
    }

    private bool TrainOneStep(ToyGanTrainer trainer, ToyStep kind)
    {
        var progress = trainer.TrainStep(kind);
        _points.Add(progress);
        if (progress.Diverged) return Fail(progress);
        Publish(trainer, progress);
        _pendingStep = null;
        // Paused only once the scheduler has let go (OnQueueMoved): a step button pressed before then would find the
        // run still in the scheduler, whose Enqueue ignores a run it holds, and the step would never come.
        Volatile.Write(ref _stepDone, 1);
        return true;
    }

    private bool TrainSlice(ToyGanTrainer trainer, CancellationToken yieldRequested)
    {
        TimeTurn();
        var slice = Stopwatch.StartNew();
        var sinceFrame = Stopwatch.StartNew();
        TrainingProgress? progress = null;
        // Asked at every step, not once per turn: when a class presses Play together, the first toys would otherwise
        // keep the long turns they started while the line was still short.
        while (!yieldRequested.IsCancellationRequested && slice.Elapsed < _scheduler.ToyTurnLength())
        {
            progress = trainer.TrainStep();
            _points.Add(progress);
            if (progress.Diverged) return Fail(progress);
            if (sinceFrame.Elapsed >= FrameInterval)
            {
                Publish(trainer, progress);
                sinceFrame.Restart();
            }
        }
        // The last steps of a slice are on screen while the run waits for its next turn.
        if (progress is not null) Publish(trainer, progress);
        return false;
    }

    /// <summary>At the start of a turn: folds the time since the previous turn's start into <see cref="Turns"/>'s rhythm.</summary>
    private void TimeTurn()
    {
        var now = _clock.GetTimestamp();
        if (_lastTurnStart != 0)
        {
            var seconds = _clock.GetElapsedTime(_lastTurnStart, now).TotalSeconds;
            var before = Volatile.Read(ref _turnEvery);
            // Smoothed over the last few turns: one late turn (a toy joining, a frame held up) should not move the number.
            Volatile.Write(ref _turnEvery, double.IsNaN(before) ? seconds : before + 0.3 * (seconds - before));
        }
        _lastTurnStart = now;
    }

    private void Publish(ToyGanTrainer trainer, TrainingProgress progress)
    {
        var frame = new ToyFrame(trainer.View(), trainer.Evaluate(_evaluationSamples), progress, _points.Drain(PointsPerFrame));
        LastFrame = frame;
        Frame?.Invoke(frame);
    }

    private bool Fail(TrainingProgress progress) =>
        Fail($"{progress.DivergenceMessage(Options.ToGameOptions())}, then press Reset.");

    private bool Fail(string message)
    {
        (Status, FaultMessage, _pendingStep) = (ToyRunStatus.Failed, message, null);
        UpdateRecord(RunStatus.Failed, message);
        StateChanged?.Invoke();
        return true;
    }

    /// <summary>
    /// Ends the run from outside (the instructor's Cancel, the server stopping): out of the queue, networks freed,
    /// <paramref name="status"/> on record, and the student reads <paramref name="reason"/> until Reset.
    /// </summary>
    public async Task EndAsync(RunStatus status, string reason)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || Record is not { } record || record.Status.IsFinal()) return;
            await _scheduler.WithdrawAsync(this);
            FreeTrainer();
            (Status, FaultMessage, Refusal, _pendingStep) = (ToyRunStatus.Failed, $"{reason} Press Reset to start again.", null, null);
            UpdateRecord(status, reason);
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    /// <summary>
    /// Writes a status on record: the first Queued after Idle (or after the last run ended) starts a new run;
    /// a run that ended is never changed again; a status already written is not written twice.
    /// </summary>
    private void UpdateRecord(RunStatus status, string? fault = null, bool announce = true)
    {
        lock (_recordGate)
        {
            var now = _clock.GetUtcNow();
            if (_record is null || _record.Status.IsFinal())
            {
                if (status != RunStatus.Queued) return;
                _record = RunRecord.ForToy(Guid.NewGuid().ToString("N"), BrowserId, Component, Options, status, now);
            }
            else if (_record.Status == status)
            {
                return;
            }
            var progress = LastFrame?.Progress;
            _record = _record with
            {
                Status = status,
                StartedUtc = _record.StartedUtc ?? (status == RunStatus.Running ? now : null),
                FinishedUtc = status.IsFinal() ? now : null,
                Fault = fault,
                Steps = progress?.Step ?? _record.Steps,
                FinalMetrics = progress ?? _record.FinalMetrics,
            };
            if (announce) RecordChanged?.Invoke(_record);
        }
    }

    private void AnnounceRecord()
    {
        lock (_recordGate)
            if (_record is { } record) RecordChanged?.Invoke(record);
    }

    private void FreeTrainer()
    {
        lock (_trainerGate)
        {
            _trainer?.Dispose();
            _trainer = null;
        }
    }

    /// <summary>The page went away: out of the queue, and the native memory freed once no slice uses it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        Frame = null;
        StateChanged = null;
        _scheduler.Changed -= OnQueueMoved;
        await _scheduler.WithdrawAsync(this);
        FreeTrainer();
        UpdateRecord(RunStatus.Cancelled, "The page was closed while the run was going.");
        RecordChanged = null;
    }
}
