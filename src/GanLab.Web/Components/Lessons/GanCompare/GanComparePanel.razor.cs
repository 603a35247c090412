using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Components.Runs;
using GanLab.Web.Evaluation;
using GanLab.Web.Hosting;
using GanLab.Web.Interop;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```gan-compare in a lesson: two configurations trained with one seed and one budget, side by side, with charts
/// that share their step axis and hover, and a table of final numbers (and FID when a classifier is cached) once both
/// end. The runs live in a <see cref="GanComparison"/>; this component only subscribes and draws, reusing the
/// trainer's chart specs and progress buffering. A page opened again (a reload) gets back both runs its block had,
/// paused, with the charts and newest grids of what they trained before (<see cref="Place"/>).
/// </summary>
public sealed partial class GanComparePanel : ComponentBase, ILessonComponent<GanCompareSettings>, IPlacedLessonComponent, IAsyncDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private RunEvaluator Evaluator { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private LearnerCircuit Circuit { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;

    [Parameter] public GanCompareSettings Settings { get; set; } = new();

    /// <summary>Which block this is; null: its runs end with the page.</summary>
    [Parameter] public TrainerPlace? Place { get; set; }

    private GanComparison? _comparison;
    private IReadOnlyList<string> _problems = [];
    private ChartPump _pump = default!;
    // Per component: two comparisons on one page keep their own axes.
    private readonly string _chartGroup = "gan-compare-" + Guid.NewGuid().ToString("N");
    private bool _starting;
    private readonly SideView _left = new();
    private readonly SideView _right = new();

    private IEnumerable<(ComparisonSide Side, SideView View)> Sides =>
        _comparison is null ? [] : [(_comparison.Left, _left), (_comparison.Right, _right)];

    private bool AnyStatus(Func<RunStatus?, bool> test) => Sides.Any(s => test(s.Side.Session.Status));

    // Both new, or some paused and the rest ended: one side may have spent its budget while the other was stopped.
    private bool CanStart => RendererInfo.IsInteractive && !_starting && _comparison is not null
        && (AllStatus(s => s is null) || (AllStatus(s => s == RunStatus.Paused || s?.IsFinal() == true) && AnyStatus(s => s == RunStatus.Paused)));

    private bool AllStatus(Func<RunStatus?, bool> test) => Sides.All(s => test(s.Side.Session.Status));

    private bool CanStop => RendererInfo.IsInteractive && AnyStatus(s => s is RunStatus.Queued or RunStatus.Running);

    private bool CanReset => RendererInfo.IsInteractive && !_starting && _comparison is not null
        && (AnyStatus(s => s is not null) || _comparison.Refusal is not null);

    private string StartLabel => AnyStatus(s => s == RunStatus.Paused) ? "Resume both" : "Train both";

    protected override void OnInitialized()
    {
        _pump = new ChartPump(JS, GanTrainerPanel.FlushInterval, InvokeAsync, FlushAsync, StateHasChanged);
        _problems = Settings.Validate();
        if (_problems.Count > 0) return;
        if (!Browser.IsKnown) Browser.Id = BrowserId.NewId();
        var left = Settings.OptionsOf("left").Options!;
        var right = Settings.OptionsOf("right").Options!;
        // A prerendered page lives for one request: it must neither take its block's runs nor leave any behind.
        _comparison = new GanComparison(Training, Evaluator, Browser.Id, left, right, Settings.Seconds, Settings.Samples,
            RendererInfo.IsInteractive ? Place : null);
        foreach (var (side, view) in Sides)
        {
            Circuit.Track(side.Session);
            view.Attach(side.Session);
        }
        _comparison.Changed += _pump.OnStateChanged;
        _comparison.RunsAdopted += OnRunsAdopted;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _comparison is null) return;
        await _pump.StartAsync(async charts =>
        {
            await DrawEmptyChartsAsync(charts);
            if (!_comparison.Adopted) return;
            await ShowHistoryAsync(charts);
            StateHasChanged(); // the grids of the runs' past
        });
    }

    // Disposing thread of the old page: its runs arrived after this page opened.
    private void OnRunsAdopted() => _pump.RedrawOnComponentThread(async charts =>
    {
        await DrawEmptyChartsAsync(charts);
        await ShowHistoryAsync(charts);
    });

    /// <summary>
    /// Draws what the taken-back runs trained before this page saw them, from the runs database, as the trainer does (the
    /// Runs page's series, down-sampled the same way), with each side's newest stored grid; live points follow, never before.
    /// </summary>
    private async Task ShowHistoryAsync(PlotlyCharts charts)
    {
        var extensions = new List<ChartExtension>();
        foreach (var (side, view) in Sides)
        {
            if (side.Session.Adopted is not { } run || view.HistoryShownFor == run.Id) continue;
            view.HistoryShownFor = run.Id;
            RunHistory history;
            try
            {
                history = await Training.HistoryAsync(run, RunView.ChartPoints);
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
            {
                // An unreadable database costs the earlier curves only; the run itself goes on live.
                continue;
            }
            var lastStored = history.Metrics.Count > 0 ? history.Metrics[^1].Step : -1;
            var live = view.Buffer.Drain(GanTrainerPanel.MaxChartPoints).Where(p => p.Step > lastStored);
            IReadOnlyList<ChartPoint> points = [.. history.Metrics.Select(ChartPoint.Of), .. live];
            extensions.AddRange(view.ChartExtensions(points));
            var newest = history.Snapshots.Count > 0 ? history.Snapshots[^1] : null;
            if (run.LastSamples is { } latest && latest.Step > (newest?.Step ?? -1)) newest = latest;
            if (newest is not null) view.Show(newest);
        }
        if (extensions.Count > 0) await charts.ExtendTracesAsync(extensions, GanTrainerPanel.MaxChartPoints);
    }

    private async Task DrawEmptyChartsAsync(PlotlyCharts charts)
    {
        foreach (var (side, view) in Sides)
        {
            await charts.NewPlotAsync(view.LossChart, GanTrainerPanel.LossChart);
            await charts.NewPlotAsync(view.DxChart, GanTrainerPanel.DiscriminatorChartFor(side.Session.Options));
        }
        await charts.SyncAsync(_chartGroup, [_left.LossChart, _left.DxChart, _right.LossChart, _right.DxChart]);
    }

    private async Task StartAsync()
    {
        _starting = true;
        try
        {
            await _comparison!.StartAsync();
        }
        finally
        {
            _starting = false;
        }
    }

    private async Task StopAsync() => await _comparison!.StopAsync();

    private async Task ResetAsync()
    {
        await _comparison!.ResetAsync();
        _left.Clear();
        _right.Clear();
        await _pump.RedrawAsync(DrawEmptyChartsAsync);
    }

    /// <summary>Both runs' new points in one chart update (one SignalR message), and their newest sample grids.</summary>
    private async Task FlushAsync(PlotlyCharts charts, bool force)
    {
        var extensions = new List<ChartExtension>();
        var render = false;
        foreach (var (_, view) in Sides)
        {
            var points = view.Buffer.Drain(GanTrainerPanel.PointsPerFlush);
            if (points.Count > 0) extensions.AddRange(view.ChartExtensions(points));
            render |= view.TakeSamples(force);
            render |= view.TakeDirty();
        }
        if (extensions.Count > 0) await charts.ExtendTracesAsync(extensions, GanTrainerPanel.MaxChartPoints);
        if (render) StateHasChanged();
    }

    private string StatusLine(ComparisonSide side)
    {
        var session = side.Session;
        var progress = session.LastProgress;
        var state = session.Status switch
        {
            null => "Idle",
            RunStatus.Running when progress is null => "Starting",
            { } status => status.ToString(),
        };
        var rate = progress is null ? "–" : progress.ImagesPerSecond.ToString("N0", Culture);
        var seconds = progress?.Elapsed.TotalSeconds ?? 0;
        var queue = session.QueuePosition is { } position ? $" · queued: position {position}" : "";
        return string.Create(Culture, $"{state} · step {progress?.Step ?? 0:N0} · {seconds:0.0} s trained · {rate} images/s{queue}");
    }

    private string RunSummary(ComparisonSide side)
    {
        var o = side.Session.Options;
        return string.Create(Culture, $"{o.Model} on {o.Dataset} · {o.Loss} · labels {o.Labels} · batch {o.BatchSize} · lr {o.LearningRate:G3} · seed {o.Seed}");
    }

    private static string Number(double value, string format = "0.000") =>
        double.IsFinite(value) ? value.ToString(format, Culture) : value.ToString(Culture);

    public async ValueTask DisposeAsync()
    {
        await _pump.DisposeAsync();
        if (_comparison is not null)
        {
            _comparison.Changed -= _pump.OnStateChanged;
            _comparison.RunsAdopted -= OnRunsAdopted;
            foreach (var (side, view) in Sides)
            {
                view.Detach(side.Session);
                Circuit.Untrack(side.Session);
            }
            // Closing the tab disposes the circuit, which disposes this: both runs pause and wait for the page to come back,
            // or end at once without a place (freeing their models either way, in time); a final-table measurement still
            // queued is withdrawn.
            _comparison.Dispose();
        }
    }

    /// <summary>What one side's column draws: its chart elements, buffered points and newest samples.</summary>
    private sealed class SideView
    {
        public ElementReference LossChart;
        public ElementReference DxChart;
        public ProgressBuffer Buffer { get; } = new();
        // The taken-back run whose stored history is on this side's charts.
        public string? HistoryShownFor { get; set; }
        public string? SampleGridUrl { get; private set; }
        public long? SampleGridStep { get; private set; }
        private volatile SampleGridSnapshot? _pendingSamples;
        private DateTime _shownUtc = DateTime.MinValue;
        private volatile bool _dirty;

        public void Attach(TrainerSession session)
        {
            session.Progress += OnProgress;
            session.Samples += OnSamples;
        }

        public void Detach(TrainerSession session)
        {
            session.Progress -= OnProgress;
            session.Samples -= OnSamples;
        }

        /// <summary>Points for this side's two charts: live flushes and a taken-back run's history draw the same traces.</summary>
        public IEnumerable<ChartExtension> ChartExtensions(IReadOnlyList<ChartPoint> points)
        {
            var steps = points.Select(p => p.Step).ToArray();
            yield return new ChartExtension(LossChart, steps, [[.. points.Select(p => p.LossD)], [.. points.Select(p => p.LossG)]]);
            yield return new ChartExtension(DxChart, steps,
                [[.. points.Select(p => p.DOfX)], [.. points.Select(p => p.DOfGzBeforeD)], [.. points.Select(p => p.DOfGzAfterD)]]);
        }

        /// <summary>A stored grid, shown at once; a newer live one replaces it as usual.</summary>
        public void Show(SampleGridSnapshot samples)
        {
            SampleGridUrl = samples.ToDataUrl();
            SampleGridStep = samples.Step;
            _shownUtc = DateTime.UtcNow;
        }

        public void Clear()
        {
            HistoryShownFor = null;
            Buffer.Clear();
            _pendingSamples = null;
            SampleGridUrl = null;
            SampleGridStep = null;
        }

        private void OnProgress(TrainingProgress progress)
        {
            Buffer.Add(progress);
            _dirty = true;
        }

        private void OnSamples(SampleGridSnapshot samples) => _pendingSamples = samples;

        public bool TakeDirty()
        {
            var dirty = _dirty;
            _dirty = false;
            return dirty;
        }

        public bool TakeSamples(bool force)
        {
            if (_pendingSamples is not { } samples || samples.Step == SampleGridStep) return false;
            if (!force && DateTime.UtcNow - _shownUtc < GanTrainerPanel.SampleGridInterval) return false;
            SampleGridUrl = samples.ToDataUrl();
            SampleGridStep = samples.Step;
            _shownUtc = DateTime.UtcNow;
            return true;
        }
    }
}
