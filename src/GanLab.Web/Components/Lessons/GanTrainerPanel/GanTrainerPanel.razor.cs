using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Hosting;
using GanLab.Web.Interop;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```gan-trainer in a lesson: trains seed 002's MLP GAN and shows its losses, D(x) and D(G(z)),
/// and samples from the fixed noise while it learns. The run itself lives in
/// <see cref="TrainingService"/>; this component only subscribes to it and draws.
/// </summary>
public sealed partial class GanTrainerPanel : ComponentBase, ILessonComponent<GanTrainingOptions>, IAsyncDisposable
{
    /// <summary>How often buffered progress goes to the browser: one chart update per tick.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The sample grid is a PNG of a few tens of KB; a few per second are plenty to watch.</summary>
    public static readonly TimeSpan SampleGridInterval = TimeSpan.FromMilliseconds(400);

    /// <summary>Points per trace per flush: more steps than this in 200 ms are averaged.</summary>
    public const int PointsPerFlush = 10;

    /// <summary>Points kept per trace: about 8 minutes at full rate; the oldest scroll off.</summary>
    public const int MaxChartPoints = 5000;

    public static readonly LineChartSpec LossChart = new(
        "Losses", "step", "loss",
        [new ChartTrace("Loss_D (Discriminator)"), new ChartTrace("Loss_G (Generator)")]);

    public static readonly LineChartSpec DiscriminatorChart = new(
        "Discriminator outputs", "step", "probability 'real'",
        [new ChartTrace("D(x)"), new ChartTrace("D(G(z)) before D step"), new ChartTrace("D(G(z)) after D step", "dot")],
        YRange: [0, 1]);

    /// <summary>
    /// For losses whose D has no probability (least squares, hinge, the Wasserstein critics) the
    /// chart shows raw output means on a free axis: drawing them as probabilities would mislead.
    /// </summary>
    public static readonly LineChartSpec RawDiscriminatorChart = new(
        "Discriminator outputs (raw, not probabilities)", "step", "mean raw output",
        [new ChartTrace("D(x)"), new ChartTrace("D(G(z)) before D step"), new ChartTrace("D(G(z)) after D step", "dot")]);

    public static LineChartSpec DiscriminatorChartFor(GanTrainingOptions settings) =>
        GanLab.Core.Training.Losses.GanLosses.Create(settings.Loss).OutputIsLogit ? DiscriminatorChart : RawDiscriminatorChart;

    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private LearnerCircuit Circuit { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;

    [Parameter] public GanTrainingOptions Settings { get; set; } = new();

    private TrainerSession Session { get; set; } = default!;
    private readonly ProgressBuffer _buffer = new();
    private readonly CancellationTokenSource _disposed = new();
    private PlotlyCharts? _charts;
    private ElementReference _lossChart;
    private ElementReference _dxChart;
    private bool _chartsReady;
    private volatile SampleGridSnapshot? _pendingSamples;
    private DateTime _sampleGridShownUtc = DateTime.MinValue;
    private string? _sampleGridUrl;
    private long? _sampleGridStep;
    private volatile bool _statusDirty;
    private bool _starting;

    private string StartLabel => Session.Status == RunStatus.Paused ? "Resume" : "Train";

    private bool CanStart => RendererInfo.IsInteractive && !_starting && Session.Status is null or RunStatus.Paused;

    private bool CanStop => RendererInfo.IsInteractive && Session.Status is RunStatus.Queued or RunStatus.Running;

    private bool CanReset => RendererInfo.IsInteractive && !_starting && (Session.Status is not null || Session.Refusal is not null);

    private string LetFinishHint => Session.CanLetFinish
        ? "Leaving or closing the page normally ends this run; with this ticked it trains on until its last step, and you find it under My runs."
        : "Only a run with a step budget (steps in the lesson's settings) can finish by itself; this one trains until stopped.";

    /// <summary>The /trainer page with these settings in its query: a link that reopens this configuration.</summary>
    private string ConfigurationLink => "trainer" + TrainerLink.ToQuery(Settings);

    private string SettingsSummary => string.Create(CultureInfo.InvariantCulture,
        $"{Settings.Model} on {Settings.Dataset} · batch {Settings.BatchSize} · lr {Settings.LearningRate:G3} · real label {Settings.RealLabel:0.##} · seed {Settings.Seed}");

    private string StatusLine
    {
        get
        {
            var progress = Session.LastProgress;
            var state = Session.Status switch
            {
                null => "Idle",
                RunStatus.Running when progress is null => "Starting",
                { } status => status.ToString(),
            };
            var step = progress?.Step ?? 0;
            var epoch = progress?.Epoch ?? 0;
            var rate = progress is null ? "–" : progress.ImagesPerSecond.ToString("N0", CultureInfo.InvariantCulture);
            return string.Create(CultureInfo.InvariantCulture,
                $"{state} · step {step:N0} · epoch {epoch} · {rate} images/s · device {Session.DeviceName}");
        }
    }

    protected override void OnInitialized()
    {
        if (!Browser.IsKnown) Browser.Id = BrowserId.NewId(); // a circuit opened without the page's cookie: a browser of its own
        Session = Training.OpenSession(Settings, Browser.Id);
        Circuit.Track(Session);
        Session.Progress += OnProgress;
        Session.Samples += OnSamples;
        Session.StateChanged += OnStateChanged;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        _charts = new PlotlyCharts(JS);
        await _charts.NewPlotAsync(_lossChart, LossChart);
        await _charts.NewPlotAsync(_dxChart, DiscriminatorChartFor(Settings));
        _chartsReady = true;
        _ = PumpAsync(_disposed.Token);
    }

    private async Task StartAsync()
    {
        _starting = true;
        try
        {
            await Session.StartAsync();
        }
        finally
        {
            _starting = false;
        }
    }

    private void OnLetFinishChanged(ChangeEventArgs e) => Session.LetFinish = e.Value is true;

    private async Task StopAsync() => await Session.StopAsync();

    private async Task ResetAsync()
    {
        await Session.ResetAsync();
        _buffer.Clear();
        _pendingSamples = null;
        _sampleGridUrl = null;
        _sampleGridStep = null;
        if (_charts is not null && _chartsReady)
        {
            await _charts.NewPlotAsync(_lossChart, LossChart);
            await _charts.NewPlotAsync(_dxChart, DiscriminatorChartFor(Settings));
        }
    }

    // Training-thread handlers: only record what happened; the pump sends it on.
    private void OnProgress(TrainingProgress progress)
    {
        _buffer.Add(progress);
        _statusDirty = true;
    }

    private void OnSamples(SampleGridSnapshot samples) => _pendingSamples = samples;

    private void OnStateChanged() => _ = InvokeAsync(async () =>
    {
        try
        {
            // Flush at once so a stopped run's last points and status are on screen.
            await FlushAsync(force: true);
            StateHasChanged();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is going away; the component is about to be disposed.
        }
    });

    private async Task PumpAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
                await InvokeAsync(() => FlushAsync(force: false));
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

    /// <summary>Sends buffered points as one chart update and, at most every few hundred ms, the newest sample grid.</summary>
    private async Task FlushAsync(bool force)
    {
        // A state change queued from the training thread may arrive after the page has gone.
        if (_disposed.IsCancellationRequested || _charts is null || !_chartsReady) return;
        var render = false;

        var points = _buffer.Drain(PointsPerFlush);
        if (points.Count > 0)
        {
            var steps = points.Select(p => p.Step).ToArray();
            await _charts.ExtendTracesAsync(
            [
                new ChartExtension(_lossChart, steps, [[.. points.Select(p => p.LossD)], [.. points.Select(p => p.LossG)]]),
                new ChartExtension(_dxChart, steps, [[.. points.Select(p => p.DOfX)], [.. points.Select(p => p.DOfGzBeforeD)], [.. points.Select(p => p.DOfGzAfterD)]]),
            ], MaxChartPoints);
        }

        if (_pendingSamples is { } samples && samples.Step != _sampleGridStep
            && (force || DateTime.UtcNow - _sampleGridShownUtc >= SampleGridInterval))
        {
            _sampleGridUrl = samples.ToDataUrl();
            _sampleGridStep = samples.Step;
            _sampleGridShownUtc = DateTime.UtcNow;
            render = true;
        }

        if (_statusDirty || render)
        {
            _statusDirty = false;
            StateHasChanged();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        Session.Progress -= OnProgress;
        Session.Samples -= OnSamples;
        Session.StateChanged -= OnStateChanged;
        Circuit.Untrack(Session);
        // Ends this learner's run and frees its native memory: closing the tab disposes the circuit,
        // which disposes this component.
        Session.Dispose();
        if (_charts is not null) await _charts.DisposeAsync();
        _disposed.Dispose();
    }
}
