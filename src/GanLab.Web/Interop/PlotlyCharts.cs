using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>One line of a chart: its legend name and, optionally, a dash style ("dot", "dash").</summary>
public sealed record ChartTrace(string Name, string? Dash = null);

/// <summary>
/// Axis titles and traces of a line chart that grows as training proceeds. Markers draws each point as a dot too:
/// for charts that gain a point per frame or per step button, where a single point would otherwise be invisible.
/// </summary>
public sealed record LineChartSpec(string Title, string XTitle, string YTitle, IReadOnlyList<ChartTrace> Traces, double[]? YRange = null, bool Markers = false);

/// <summary>New points for one chart: one x array shared by all traces, one y array per trace.</summary>
public sealed record ChartExtension(ElementReference Element, long[] X, double[][] Y);

/// <summary>
/// One frame of a toy GAN's 2-D view, as plotly draws it: the grid box, D's heatmap on Side × Side cells (row after
/// row, rows along y), and point arrays laid out point after point (x0, y0, x1, …). A layer the student switched off is
/// null. Arrows are segments (x0, y0, x1, y1) from each fake point along G's gradient. The manifold is G on a
/// ManifoldSide × ManifoldSide grid of z (row after row), or ManifoldSide points for a 1-D z.
/// </summary>
public sealed record ToyPlotFrame(
    double XMin, double XMax, double YMin, double YMax,
    int HeatmapSide, float[]? Heatmap, bool HeatmapIsProbability,
    float[]? Real, float[]? Fake, float[]? Arrows, float[]? Manifold, int ManifoldSide);

/// <summary>One curve of a <see cref="CurveFigure"/>; RightAxis puts it on the second y axis.</summary>
public sealed record Curve(string Name, double[] X, double[] Y, string? Dash = null, bool RightAxis = false);

/// <summary>
/// A figure of whole curves, redrawn when they change (not grown like a <see cref="LineChartSpec"/>), with optional
/// vertical marker lines (where a live run stands on a static curve).
/// </summary>
public sealed record CurveFigure(
    string Title, string XTitle, string YTitle, IReadOnlyList<Curve> Curves,
    double[]? YRange = null, string? Y2Title = null, double[]? Y2Range = null,
    double[]? MarkersX = null, string? MarkerLabel = null);

/// <summary>
/// The typed wrapper for plotly.js (wwwroot/js/charts.js), the only C# code that talks to it.
/// The module is imported on first use, which must be after the component's first render; disposing it purges
/// the charts it drew.
/// </summary>
public sealed class PlotlyCharts(IJSRuntime js) : LazyJsModule(js, ModulePath)
{
    public const string ModulePath = "./js/charts.js";

    private readonly List<ElementReference> _charts = [];

    /// <summary>Draws an empty chart into the element (or clears one drawn before).</summary>
    public async Task NewPlotAsync(ElementReference element, LineChartSpec spec)
    {
        await InvokeVoidAsync("newPlot", element, spec);
        if (!_charts.Contains(element)) _charts.Add(element);
    }

    /// <summary>
    /// Appends points to several charts in one interop call (one SignalR message), keeping at most
    /// <paramref name="maxPoints"/> per trace so a long run cannot grow the page without bound.
    /// </summary>
    public Task ExtendTracesAsync(IReadOnlyList<ChartExtension> extensions, int maxPoints) =>
        InvokeVoidAsync("extendTraces", extensions, maxPoints);

    /// <summary>
    /// Joins charts to a group that shares its step axis: one x range for all (the furthest step any chart reached,
    /// kept as points arrive), zoom in one zooms all, hover on a step shows that step in all. Call again after
    /// <see cref="NewPlotAsync"/> redraws a chart, which drops its listeners. Charts of several components join one
    /// group by using the same name.
    /// </summary>
    public Task SyncAsync(string group, IReadOnlyList<ElementReference> elements) =>
        InvokeVoidAsync("syncCharts", group, elements);

    /// <summary>Draws (or redraws in place) one frame of a toy GAN's view.</summary>
    public async Task DrawToyAsync(ElementReference element, ToyPlotFrame frame)
    {
        await InvokeVoidAsync("drawToy", element, frame);
        if (!_charts.Contains(element)) _charts.Add(element);
    }

    /// <summary>Draws (or redraws in place) a figure of whole curves.</summary>
    public async Task DrawCurvesAsync(ElementReference element, CurveFigure figure)
    {
        await InvokeVoidAsync("drawCurves", element, figure);
        if (!_charts.Contains(element)) _charts.Add(element);
    }

    // The circuit outlives a component that leaves the page: its plotly charts would keep their memory and listeners.
    protected override async Task BeforeDisposeAsync()
    {
        foreach (var chart in _charts) await InvokeVoidAsync("purge", chart);
    }
}
