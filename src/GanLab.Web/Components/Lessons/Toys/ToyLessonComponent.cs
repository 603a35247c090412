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
/// <see cref="ToyRun.FrameInterval"/>, and the typesetting of its formulas. A component draws a frame in
/// <see cref="DrawAsync"/>; chart points that came with frames it skipped are handed over with the next one, so line
/// charts miss no stretch of training.
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

    /// <summary>The frame on screen: what the numbers beside the charts show.</summary>
    protected ToyFrame? Shown { get; private set; }

    /// <summary>
    /// The element around the toy's formulas, typeset by KaTeX after the first render; a toy without formulas leaves it
    /// unset (no element id).
    /// </summary>
    protected ElementReference Formulas;

    /// <summary>G's points per evaluation; 1-D components measure more for a smooth histogram.</summary>
    protected virtual int EvaluationSamples => ModeCoverage.PublishedSampleCount;

    private ChartPump _pump = default!;
    private readonly Lock _pendingGate = new();
    private readonly List<GanLab.Web.Training.ChartPoint> _pendingPoints = [];
    private ToyFrame? _pending;
    private KatexMath? _math;

    protected override void OnInitialized()
    {
        _pump = new ChartPump(JS, ToyRun.FrameInterval, InvokeAsync, FlushAsync, StateHasChanged);
        if (!Browser.IsKnown) Browser.Id = BrowserId.NewId(); // a circuit opened without the page's cookie: a browser of its own
        SettingsProblems = Settings.Validate();
        if (SettingsProblems.Count > 0) return;
        Run = Training.CreateToyRun(Browser.Id, Settings.Component, Settings.ToOptions(), EvaluationSamples);
        Run.Frame += OnFrame;
        Run.StateChanged += _pump.OnStateChanged; // a stopped run's last frame goes on screen with its new status
        Circuit.Track(Run); // a dropped connection pauses the toy: nobody is watching it train
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || Run is null) return;
        await _pump.StartAsync(StartChartsAsync);
        if (Formulas.Id is null) return;
        _math = new KatexMath(JS);
        await _math.TypesetAsync(Formulas);
    }

    /// <summary>Draws the empty charts (first render, and after Reset).</summary>
    protected abstract Task StartChartsAsync(PlotlyCharts charts);

    /// <summary>Draws one frame; <paramref name="points"/> are the averaged chart points since the last frame drawn.</summary>
    protected abstract Task DrawAsync(PlotlyCharts charts, ToyFrame frame, IReadOnlyList<GanLab.Web.Training.ChartPoint> points);

    /// <summary>Draws the frame on screen again (a layer was switched): no new points.</summary>
    protected async Task RedrawAsync()
    {
        if (Shown is { } frame) await _pump.RedrawAsync(charts => DrawAsync(charts, frame, []));
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
        await _pump.RedrawAsync(StartChartsAsync);
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

    // Renderer thread, per tick of the pump and at once on a state change.
    private async Task FlushAsync(PlotlyCharts charts, bool stateChanged)
    {
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
        await DrawAsync(charts, frame, points);
        StateHasChanged();
    }

    public async ValueTask DisposeAsync()
    {
        await _pump.DisposeAsync();
        if (Run is { } run)
        {
            run.Frame -= OnFrame;
            run.StateChanged -= _pump.OnStateChanged;
            Circuit.Untrack(run);
            // Leaving the page ends the toy: out of the scheduler's queue and its native memory freed.
            await run.DisposeAsync();
        }
        if (_math is not null) await _math.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
