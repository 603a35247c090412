using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// One trainer on one page: the learner's handle on a training run. The run is created on the
/// first Train (viewing a lesson costs no memory), kept across Stop/Resume, discarded by Reset,
/// and freed when the session is disposed, which happens when the page's circuit ends.
/// Events are raised on the training thread; subscribers marshal to their own thread.
/// </summary>
public sealed class TrainerSession : IDisposable
{
    private readonly TrainingService _service;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private TrainingRun? _run;
    private string? _startFailure;
    private bool _disposed;

    internal TrainerSession(TrainingService service, GanTrainingOptions options)
    {
        _service = service;
        Options = options;
    }

    public GanTrainingOptions Options { get; }

    /// <summary>True between pressing Train and the run existing (the dataset and networks load).</summary>
    public bool IsStarting { get; private set; }

    public TrainingState State => _startFailure is not null ? TrainingState.Faulted : _run?.State ?? TrainingState.Idle;

    public string? FaultMessage => _startFailure ?? _run?.FaultMessage;

    public TrainingProgress? LastProgress => _run?.LastProgress;

    public SampleGridSnapshot? LastSamples => _run?.LastSamples;

    public string DeviceName => _run?.DeviceName ?? _service.DescribeDevice(Options.Device);

    public event Action<TrainingProgress>? Progress;
    public event Action<SampleGridSnapshot>? Samples;
    public event Action? StateChanged;

    /// <summary>Starts training, or resumes it from the same weights after Stop.</summary>
    public async Task StartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || State is TrainingState.Running or TrainingState.Faulted) return;
            if (_run is null)
            {
                IsStarting = true;
                StateChanged?.Invoke();
                try
                {
                    _run = await Task.Run(() => _service.CreateRun(Options));
                }
                catch (Exception ex)
                {
                    // Broad on purpose: whatever stops this run from existing (busy server, missing
                    // dataset, libtorch failing) is shown to this learner and hurts no one else.
                    _startFailure = ex.Message;
                    return;
                }
                finally
                {
                    IsStarting = false;
                }
                Attach(_run);
                if (_disposed) return;
            }
            _run.Start();
        }
        finally
        {
            _lifecycle.Release();
            StateChanged?.Invoke();
        }
    }

    /// <summary>Pauses training; the weights and optimizer state stay for a later resume.</summary>
    public async Task StopAsync()
    {
        if (_run is { } run) await run.StopAsync();
    }

    /// <summary>Discards the run (and a start failure); the next Train starts from fresh weights.</summary>
    public async Task ResetAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            DiscardRun();
            _startFailure = null;
        }
        finally
        {
            _lifecycle.Release();
        }
        StateChanged?.Invoke();
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Progress = null;
        Samples = null;
        StateChanged = null;
        // A start in flight sees _disposed and the run it creates is discarded when it finishes.
        if (_lifecycle.Wait(0))
        {
            DiscardRun();
            _lifecycle.Release();
        }
        else
        {
            _ = Task.Run(async () =>
            {
                await _lifecycle.WaitAsync();
                DiscardRun();
                _lifecycle.Release();
            });
        }
    }

    private void Attach(TrainingRun run)
    {
        run.Progress += OnProgress;
        run.Samples += OnSamples;
        run.StateChanged += OnStateChanged;
    }

    private void DiscardRun()
    {
        if (_run is not { } run) return;
        _run = null;
        run.Progress -= OnProgress;
        run.Samples -= OnSamples;
        run.StateChanged -= OnStateChanged;
        _service.Release(run);
    }

    private void OnProgress(TrainingProgress progress) => Progress?.Invoke(progress);
    private void OnSamples(SampleGridSnapshot samples) => Samples?.Invoke(samples);
    private void OnStateChanged() => StateChanged?.Invoke();
}
