using GanLab.Core.Toys;
using GanLab.Web.Hosting;
using GanLab.Web.Interop;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons.Toys;

/// <summary>
/// What the three toy components share: one <see cref="ToyRun"/> made from the block's settings and trained through
/// the server's scheduler, the buttons' actions, and a pump that sends the newest frame to the browser at most every
/// <see cref="ToyRun.FrameInterval"/>. A component draws a frame in <see cref="DrawAsync"/>; chart points that came
/// with frames it skipped are handed over with the next one, so line charts miss no stretch of training.
/// </summary>
public abstract class ToyLessonComponent<TSettings> : ComponentBase, ILessonComponent<TSettings>, IAsyncDisposable
    where TSettings : ToyRunSettings, new()
{
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;
    [Inject] private LearnerCircuit Circuit { get; set; } = default!;

    [Parameter] public TSettings Settings { get; set; } = new();

    /// <summary>Null when the settings are invalid (<see cref="SettingsProblems"/> says why).</summary>
    protected ToyRun? Run { get; private set; }

    /// <summary>What is wrong with the block's settings; the lesson parser reports these first, so this is for direct use.</summary>
    protected IReadOnlyList<string> SettingsProblems { get; private set; } = [];

    protected PlotlyCharts? Charts { get; private set; }

    /// <summary>The frame on screen: what the numbers beside the charts show.</summary>
    protected ToyFrame? Shown { get; private set; }

    /// <summary>G's points per evaluation; 1-D components measure more for a smooth histogram.</summary>
    protected virtual int EvaluationSamples => ModeCoverage.PublishedSampleCount;

    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _pendingGate = new();
    private readonly List<GanLab.Web.Training.ChartPoint> _pendingPoints = [];
    private ToyFrame? _pending;
    private bool _chartsReady;

    protected override void OnInitialized()
    {
        if (!Browser.IsKnown) Browser.Id = BrowserId.NewId(); // a circuit opened without the page's cookie: a browser of its own
        SettingsProblems = Settings.Validate();
        if (SettingsProblems.Count > 0) return;
        Run = Training.CreateToyRun(Browser.Id, Settings.Component, Settings.ToOptions(), EvaluationSamples);
        Run.Frame += OnFrame;
        Run.StateChanged += OnStateChanged;
        Circuit.Track(Run); // a dropped connection pauses the toy: nobody is watching it train
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || Run is null) return;
        Charts = new PlotlyCharts(JS);
        await StartChartsAsync(Charts);
        _chartsReady = true;
        _ = PumpAsync(_disposed.Token);
    }

    /// <summary>Draws the empty charts (first render, and after Reset).</summary>
    protected abstract Task StartChartsAsync(PlotlyCharts charts);

    /// <summary>Draws one frame; <paramref name="points"/> are the averaged chart points since the last frame drawn.</summary>
    protected abstract Task DrawAsync(PlotlyCharts charts, ToyFrame frame, IReadOnlyList<GanLab.Web.Training.ChartPoint> points);

    /// <summary>Draws the frame on screen again (a layer was switched): no new points.</summary>
    protected async Task RedrawAsync()
    {
        if (Charts is not null && _chartsReady && Shown is { } frame) await DrawAsync(Charts, frame, []);
    }

    protected async Task ResetAsync()
    {
        if (Run is null) return;
        await Run.ResetAsync();
        lock (_pendingGate)
        {
            _pending = null;
            _pendingPoints.Clear();
        }
        Shown = null;
        if (Charts is not null && _chartsReady) await StartChartsAsync(Charts);
    }

    // Training thread: keep the newest frame and every chart point; the pump draws.
    private void OnFrame(ToyFrame frame)
    {
        lock (_pendingGate)
        {
            _pending = frame;
            _pendingPoints.AddRange(frame.Points);
        }
    }

    private void OnStateChanged() => _ = InvokeAsync(async () =>
    {
        try
        {
            // A stopped run's last frame goes on screen with its new status.
            await FlushAsync();
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is going away; the component is about to be disposed.
        }
    });

    private async Task PumpAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(ToyRun.FrameInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
                await InvokeAsync(FlushAsync);
        }
        catch (OperationCanceledException)
        {
            // The component was disposed.
        }
        catch (JSDisconnectedException)
        {
            // The circuit went away between ticks.
        }
    }

    private async Task FlushAsync()
    {
        if (_disposed.IsCancellationRequested || Charts is null || !_chartsReady) return;
        ToyFrame? frame;
        GanLab.Web.Training.ChartPoint[] points;
        lock (_pendingGate)
        {
            (frame, _pending) = (_pending, null);
            points = [.. _pendingPoints];
            _pendingPoints.Clear();
        }
        if (frame is null) return;
        Shown = frame;
        await DrawAsync(Charts, frame, points);
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        if (Run is { } run)
        {
            run.Frame -= OnFrame;
            run.StateChanged -= OnStateChanged;
            Circuit.Untrack(run);
            // Leaving the page ends the toy: out of the scheduler's queue and its native memory freed.
            await run.DisposeAsync();
        }
        if (Charts is not null) await Charts.DisposeAsync();
        await DisposeOwnAsync();
        _disposed.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Frees what a component adds of its own (another JS module).</summary>
    protected virtual ValueTask DisposeOwnAsync() => ValueTask.CompletedTask;
}
