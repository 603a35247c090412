using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>One line of a chart: its legend name and, optionally, a dash style ("dot", "dash").</summary>
public sealed record ChartTrace(string Name, string? Dash = null);

/// <summary>Axis titles and traces of a line chart that grows as training proceeds.</summary>
public sealed record LineChartSpec(string Title, string XTitle, string YTitle, IReadOnlyList<ChartTrace> Traces, double[]? YRange = null);

/// <summary>New points for one chart: one x array shared by all traces, one y array per trace.</summary>
public sealed record ChartExtension(ElementReference Element, long[] X, double[][] Y);

/// <summary>
/// The typed wrapper for plotly.js (wwwroot/js/charts.js), the only C# code that talks to it.
/// The module is imported on first use, which must be after the component's first render.
/// </summary>
public sealed class PlotlyCharts(IJSRuntime js) : IAsyncDisposable
{
    public const string ModulePath = "./js/charts.js";

    private Task<IJSObjectReference>? _module;
    private readonly List<ElementReference> _charts = [];

    private Task<IJSObjectReference> Module => _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();

    /// <summary>Draws an empty chart into the element (or clears one drawn before).</summary>
    public async Task NewPlotAsync(ElementReference element, LineChartSpec spec)
    {
        var module = await Module;
        await module.InvokeVoidAsync("newPlot", element, spec);
        if (!_charts.Contains(element)) _charts.Add(element);
    }

    /// <summary>
    /// Appends points to several charts in one interop call (one SignalR message), keeping at most
    /// <paramref name="maxPoints"/> per trace so a long run cannot grow the page without bound.
    /// </summary>
    public async Task ExtendTracesAsync(IReadOnlyList<ChartExtension> extensions, int maxPoints)
    {
        var module = await Module;
        await module.InvokeVoidAsync("extendTraces", extensions, maxPoints);
    }

    /// <summary>
    /// Joins charts to a group that shares its step axis: one x range for all (the furthest step any chart reached,
    /// kept as points arrive), zoom in one zooms all, hover on a step shows that step in all. Call again after
    /// <see cref="NewPlotAsync"/> redraws a chart, which drops its listeners. Charts of several components join one
    /// group by using the same name.
    /// </summary>
    public async Task SyncAsync(string group, IReadOnlyList<ElementReference> elements)
    {
        var module = await Module;
        await module.InvokeVoidAsync("syncCharts", group, elements);
    }

    public async ValueTask DisposeAsync()
    {
        if (_module is null) return;
        try
        {
            var module = await _module;
            foreach (var chart in _charts) await module.InvokeVoidAsync("purge", chart);
            await module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone (tab closed): the browser already dropped the charts.
        }
    }
}
