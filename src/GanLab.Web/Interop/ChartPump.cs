using Microsoft.JSInterop;

namespace GanLab.Web.Interop;

/// <summary>
/// Carries a training run's progress to a component's plotly charts. The training thread only buffers what happened;
/// the pump calls the component's flush on the component's own thread once per <c>interval</c> (one extendTraces per
/// tick: every call crosses the SignalR circuit), and at once when the run's state changes, so that a stopped run's last
/// points and status are on screen. Nothing is flushed before the empty charts are drawn, nor after the component is gone.
/// </summary>
public sealed class ChartPump : IAsyncDisposable
{
    private readonly TimeSpan _interval;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly Func<PlotlyCharts, bool, Task> _flush;
    private readonly Action _render;
    private readonly CancellationTokenSource _disposed = new();
    // Redraws under way; like flushes they run on the component's thread, so a plain count will do.
    private int _redrawing;

    /// <param name="dispatch">the component's InvokeAsync: flushes run where the component may render</param>
    /// <param name="flush">sends what was buffered to the charts; true when the run's state changed (send it all now)</param>
    /// <param name="render">the component's StateHasChanged, called after a state change's flush</param>
    public ChartPump(IJSRuntime js, TimeSpan interval, Func<Func<Task>, Task> dispatch, Func<PlotlyCharts, bool, Task> flush, Action render)
    {
        Charts = new PlotlyCharts(js);
        _interval = interval;
        _dispatch = dispatch;
        _flush = flush;
        _render = render;
    }

    public PlotlyCharts Charts { get; }

    /// <summary>Whether the empty charts are drawn: before that there is nothing to extend or redraw.</summary>
    public bool ChartsDrawn { get; private set; }

    /// <summary>Draws the empty charts (after the component's first render, when JS interop exists) and starts the ticks.</summary>
    public async Task StartAsync(Func<PlotlyCharts, Task> drawEmptyCharts)
    {
        await drawEmptyCharts(Charts);
        ChartsDrawn = true;
        _ = TickAsync(_disposed.Token);
    }

    /// <summary>
    /// Redraws charts that are on the page (Reset, a changed setting, a layer switched); before the first drawing it does
    /// nothing, as that drawing is still to come. Flushes wait meanwhile (to the next tick), so no points land on a chart
    /// while it is being redrawn.
    /// </summary>
    public async Task RedrawAsync(Func<PlotlyCharts, Task> draw)
    {
        if (!ChartsDrawn) return;
        _redrawing++;
        try
        {
            await draw(Charts);
        }
        finally
        {
            _redrawing--;
        }
    }

    /// <summary>
    /// For an event from another thread that changes what the charts should show from scratch (a run taken back from an
    /// earlier page): redraws them on the component's thread, then the component renders. Before the first drawing it
    /// does nothing: that drawing will show it.
    /// </summary>
    public void RedrawOnComponentThread(Func<PlotlyCharts, Task> draw) => _ = _dispatch(async () =>
    {
        try
        {
            if (!ChartsDrawn) return;
            await RedrawAsync(draw);
            _render();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is going away; the component is about to be disposed.
        }
    });

    /// <summary>For the run's state-change event (any thread): everything buffered goes out now, then the component renders.</summary>
    public void OnStateChanged() => _ = _dispatch(async () =>
    {
        try
        {
            await FlushAsync(stateChanged: true);
            _render();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is going away; the component is about to be disposed.
        }
    });

    private async Task TickAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
                await _dispatch(() => FlushAsync(stateChanged: false));
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

    // A state change queued from the training thread may arrive after the page has gone.
    private Task FlushAsync(bool stateChanged) =>
        _disposed.IsCancellationRequested || !ChartsDrawn || _redrawing > 0 ? Task.CompletedTask : _flush(Charts, stateChanged);

    /// <summary>Stops the ticks and clears the charts from the page.</summary>
    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        await Charts.DisposeAsync();
        _disposed.Dispose();
    }
}
