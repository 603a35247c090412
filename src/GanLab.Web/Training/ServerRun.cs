using GanLab.Core.Training;
using GanLab.Web.Runs;

namespace GanLab.Web.Training;

/// <summary>
/// One student's run as the server keeps it: its id and browser, its options, where it stands
/// (<see cref="RunStatus"/>), and its last numbers and samples. The model itself (a Core
/// <see cref="TrainingRun"/>) is loaded by <see cref="TrainingService"/> only while the scheduler lets it train
/// or memory allows keeping it; everything the run reports goes to the <see cref="RunRecorder"/>.
/// Events are raised on the training thread or the scheduler's; subscribers marshal to their own.
/// </summary>
public sealed class ServerRun : ISchedulableRun
{
    private readonly TrainingService _service;
    private readonly RunRecorder _recorder;
    private readonly int _snapshotEvery;
    // Pause, Resume and Cancel one at a time: each waits for the scheduler to let go of the run.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private volatile bool _leaving;
    private long _nextSnapshotStep;
    private long _lastSnapshotStep = -1;
    // Set by Step: the slice trains up to this step, then the run pauses instead of queuing again.
    private long? _pauseAtStep;

    internal ServerRun(TrainingService service, RunRecorder recorder, string browserId, GanTrainingOptions options, int snapshotEvery, DateTimeOffset now)
    {
        _service = service;
        _recorder = recorder;
        _snapshotEvery = snapshotEvery;
        Id = Guid.NewGuid().ToString("N");
        BrowserId = browserId;
        Options = options;
        CreatedUtc = now;
    }

    public string Id { get; }
    public string BrowserId { get; }
    public GanTrainingOptions Options { get; }
    public DateTimeOffset CreatedUtc { get; }
    public DateTimeOffset? StartedUtc { get; private set; }
    public DateTimeOffset? FinishedUtc { get; private set; }
    public RunStatus Status { get; private set; } = RunStatus.Queued;
    public string? FaultMessage { get; private set; }
    public TrainingProgress? LastProgress { get; private set; }
    public SampleGridSnapshot? LastSamples { get; private set; }
    public string? CheckpointPath { get; internal set; }

    /// <summary>
    /// The student chose to let this run finish when they leave the page: only a run with a step budget can,
    /// so an open-ended run never trains on for nobody.
    /// </summary>
    public bool LetFinish { get; set; }

    public bool CanFinishByItself => Options.MaxSteps is not null;

    /// <summary>1 when this run gets the next free slot; null unless queued.</summary>
    public int? QueuePosition => Status == RunStatus.Queued ? _service.Scheduler.QueuePosition(this) : null;

    public string DeviceName => _service.DescribeDevice(Options.Device);

    /// <summary>The model while it is in memory (set and cleared by the service).</summary>
    internal TrainingRun? Model { get; private set; }

    public event Action<TrainingProgress>? Progress;
    public event Action<SampleGridSnapshot>? Samples;
    public event Action? StateChanged;

    public RunRecord ToRecord() => new(Id, BrowserId, Options, Status, CreatedUtc, StartedUtc, FinishedUtc, FaultMessage,
        LastProgress?.Step ?? 0, LastProgress, CheckpointPath);

    async Task<bool> ISchedulableRun.TrainSliceAsync(CancellationToken yieldRequested)
    {
        TrainingRun model;
        try
        {
            model = await _service.LoadModelAsync(this);
        }
        catch (Exception ex)
        {
            // Broad on purpose: a missing dataset, a bad checkpoint or libtorch failing ends this run only.
            End(RunStatus.Failed, ex.Message);
            return true;
        }
        if (yieldRequested.IsCancellationRequested) return Yielded();

        StartedUtc ??= _service.Now;
        SetStatus(RunStatus.Running);
        try
        {
            model.Start(_pauseAtStep);
            using (yieldRequested.Register(() => _ = model.StopAsync()))
                await model.WhenStopped;
        }
        catch (Exception ex)
        {
            End(RunStatus.Failed, ex.Message);
            return true;
        }

        if (model.State == TrainingState.Faulted)
        {
            End(RunStatus.Failed, model.FaultMessage);
            return true;
        }
        if (Options.MaxSteps is { } max && LastProgress?.Step >= max)
        {
            End(RunStatus.Finished, null);
            return true;
        }
        if (_pauseAtStep is { } pauseAt && LastProgress?.Step >= pauseAt && !_leaving)
        {
            // The step asked for is done: pause with the model kept. True tells the scheduler this run wants no more slices.
            _pauseAtStep = null;
            RecordLastSamples();
            SetStatus(RunStatus.Paused);
            return true;
        }
        return Yielded();
    }

    /// <summary>
    /// Trains exactly one more step through the scheduler (it waits for a slot like any run) and pauses again,
    /// so a student can watch one D step and one G step change the numbers. A new run is queued for its first step
    /// by <see cref="TrainingService.CreateRun"/>; this steps a paused one.
    /// </summary>
    /// <exception cref="RunQueueFullException">This browser has as many runs queued as it may.</exception>
    public async Task StepAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (Status != RunStatus.Paused) return;
            await LetSliceEndAsync();
            _pauseAtStep = (LastProgress?.Step ?? 0) + 1;
            SetStatus(RunStatus.Queued);
            try
            {
                _service.Scheduler.Enqueue(this);
            }
            catch (RunQueueFullException)
            {
                _pauseAtStep = null;
                SetStatus(RunStatus.Paused);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// A run paused by Step says so from inside its slice, a moment before the scheduler lets go of it; queuing it
    /// again in that moment would be ignored as a duplicate. This waits for that moment to pass (at once otherwise),
    /// keeping the place in the queue a pause kept.
    /// </summary>
    private Task LetSliceEndAsync() => _service.Scheduler.WithdrawAsync(this, keepPlace: true);

    /// <summary>Used by the service before a new run is queued: its first slice trains one step and pauses.</summary>
    internal void PauseAfterFirstStep() => _pauseAtStep = 1;

    /// <summary>The slice ended early: back to the queue, unless the student or instructor is taking the run out.</summary>
    private bool Yielded()
    {
        RecordLastSamples();
        if (!_leaving) SetStatus(RunStatus.Queued);
        return false;
    }

    /// <summary>
    /// Stops training and keeps the weights (Stop in the panel, or a dropped connection). A run paused while waiting
    /// keeps its place in the queue for Resume.
    /// </summary>
    public async Task PauseAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (Status is not (RunStatus.Queued or RunStatus.Running)) return;
            _leaving = true;
            await _service.Scheduler.WithdrawAsync(this, keepPlace: true);
            _leaving = false;
            if (Status.IsFinal()) return; // it ended by itself meanwhile
            RecordLastSamples();
            SetStatus(RunStatus.Paused);
        }
        finally
        {
            _leaving = false;
            _lifecycle.Release();
        }
    }

    /// <summary>Queues a paused run again (in the place it had, if it was paused while waiting); it goes on from the same weights.</summary>
    /// <exception cref="RunQueueFullException">This browser has as many runs queued as it may.</exception>
    public async Task ResumeAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (Status != RunStatus.Paused) return;
            await LetSliceEndAsync();
            _pauseAtStep = null;
            SetStatus(RunStatus.Queued);
            try
            {
                _service.Scheduler.Enqueue(this);
            }
            catch (RunQueueFullException)
            {
                SetStatus(RunStatus.Paused);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Ends the run for good (Reset, leaving the page, the instructor, the server stopping) and frees its model.</summary>
    public async Task EndAsync(RunStatus status, string reason)
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (Status.IsFinal()) return;
            _leaving = true;
            await _service.Scheduler.WithdrawAsync(this);
            if (Status.IsFinal()) return;
            RecordLastSamples();
            End(status, reason);
        }
        finally
        {
            _leaving = false;
            _lifecycle.Release();
        }
    }

    internal void Attach(TrainingRun model)
    {
        Model = model;
        model.Progress += OnProgress;
        model.Samples += OnSamples;
    }

    internal void Detach()
    {
        if (Model is not { } model) return;
        model.Progress -= OnProgress;
        model.Samples -= OnSamples;
        Model = null;
    }

    private void End(RunStatus status, string? message)
    {
        FaultMessage = message;
        FinishedUtc = _service.Now;
        RecordLastSamples();
        _service.Retire(this, keepCheckpoint: status == RunStatus.Finished);
        SetStatus(status);
    }

    private void SetStatus(RunStatus status)
    {
        Status = status;
        _recorder.Save(ToRecord());
        StateChanged?.Invoke();
    }

    /// <summary>The scheduler moved the queue: a queued run's position may have changed.</summary>
    internal void NotifyQueueMoved()
    {
        if (Status == RunStatus.Queued) StateChanged?.Invoke();
    }

    // Training thread: remember, record (a channel write), forward.
    private void OnProgress(TrainingProgress progress)
    {
        LastProgress = progress;
        _recorder.Metric(Id, progress);
        Progress?.Invoke(progress);
    }

    private void OnSamples(SampleGridSnapshot samples)
    {
        LastSamples = samples;
        if (samples.Step >= _nextSnapshotStep) RecordSnapshot(samples);
        Samples?.Invoke(samples);
    }

    private void RecordLastSamples()
    {
        if (LastSamples is { } samples && samples.Step != _lastSnapshotStep) RecordSnapshot(samples);
    }

    private void RecordSnapshot(SampleGridSnapshot samples)
    {
        _recorder.Snapshot(Id, samples);
        _lastSnapshotStep = samples.Step;
        _nextSnapshotStep = samples.Step + _snapshotEvery;
    }
}
