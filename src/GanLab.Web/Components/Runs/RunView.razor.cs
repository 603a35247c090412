using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Runs;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Runs;

/// <summary>
/// One stored run: its status (saying so when the server was restarted under it), final numbers, the lesson charts
/// drawn from its stored metric series, its last sample grid, exports and settings. The Runs page shows one; the
/// comparison shows two side by side.
/// </summary>
public sealed partial class RunView : ComponentBase, IAsyncDisposable
{
    /// <summary>Points per trace drawn from the stored series: every step of a long run would only slow the page.</summary>
    public const int ChartPoints = 2000;

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public RunRecord Run { get; set; } = default!;

    /// <summary>Settings to highlight (those that differ from the other run of a comparison).</summary>
    [Parameter] public IReadOnlySet<string> Highlight { get; set; } = new HashSet<string>();

    /// <summary>When set, this view's charts share their step axis and hover with every chart of the same group (the comparison page's two runs).</summary>
    [Parameter] public string? SyncGroup { get; set; }

    private PlotlyCharts? _charts;
    private ElementReference _lossChart;
    private ElementReference _dxChart;
    private SampleGridSnapshot? _grid;

    protected override void OnParametersSet() => _grid = Run.Kind == RunKind.Toy ? null : Store.Snapshot(Run.Id);

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // A toy run has no stored series and no chart elements to draw into.
        if (!firstRender || Run.Kind == RunKind.Toy) return;
        var points = Store.Metrics(Run.Id, ChartPoints);
        _charts = new PlotlyCharts(JS);
        await _charts.NewPlotAsync(_lossChart, GanTrainerPanel.LossChart);
        await _charts.NewPlotAsync(_dxChart, GanTrainerPanel.DiscriminatorChartFor(Run.Options));
        if (SyncGroup is not null) await _charts.SyncAsync(SyncGroup, [_lossChart, _dxChart]);
        if (points.Count == 0) return;
        var steps = points.Select(p => p.Step).ToArray();
        await _charts.ExtendTracesAsync(
        [
            new ChartExtension(_lossChart, steps, [[.. points.Select(p => p.LossD)], [.. points.Select(p => p.LossG)]]),
            new ChartExtension(_dxChart, steps, [[.. points.Select(p => p.DOfX)], [.. points.Select(p => p.DOfGzBeforeD)], [.. points.Select(p => p.DOfGzAfterD)]]),
        ], ChartPoints);
    }

    public async ValueTask DisposeAsync()
    {
        if (_charts is not null) await _charts.DisposeAsync();
    }
}
