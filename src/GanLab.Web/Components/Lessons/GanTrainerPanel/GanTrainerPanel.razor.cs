using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Components.Runs;
using GanLab.Web.Hosting;
using GanLab.Web.Interop;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```gan-trainer in a lesson: trains a GAN of the zoo and shows its losses, D(x) and D(G(z)), D's accuracy,
/// the gradient norms, and samples from the fixed noise while it learns, with a timeline to replay them and real
/// images beside them. The student may change the settings the block leaves unlocked, or pick a preset, until
/// the first Train or Step. The run itself lives in <see cref="TrainingService"/>; this component only
/// subscribes to it and draws. A page opened again (a reload) gets back the run its trainer had, with the charts and
/// timeline of what it trained before (<see cref="Place"/>).
/// </summary>
public sealed partial class GanTrainerPanel : ComponentBase, ILessonComponent<GanTrainerSettings>, IPlacedLessonComponent, IAsyncDisposable
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

    /// <summary>Seeds 000 and 001 report D's accuracy; a D near 100% on both has won and G learns little.</summary>
    public static readonly LineChartSpec AccuracyChart = new(
        "Discriminator accuracy", "step", "share classified right",
        [new ChartTrace("on real images"), new ChartTrace("on fakes G(z)")],
        YRange: [0, 1]);

    /// <summary>Vanishing or exploding gradients show here before they show in the samples.</summary>
    public static readonly LineChartSpec GradientChart = new(
        "Gradient norms", "step", "L2 norm of all gradients",
        [new ChartTrace("Generator ‖∇G‖"), new ChartTrace("Discriminator ‖∇D‖")]);

    public static LineChartSpec DiscriminatorChartFor(GanTrainingOptions settings) =>
        GanLab.Core.Training.Losses.GanLosses.Create(settings.Loss).OutputIsLogit ? DiscriminatorChart : RawDiscriminatorChart;

    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private LearnerCircuit Circuit { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;

    [Parameter] public GanTrainerSettings Settings { get; set; } = new();

    /// <summary>Which trainer this is (its lesson block, or the /trainer link); null: its run ends with the page.</summary>
    [Parameter] public TrainerPlace? Place { get; set; }

    private TrainerSession Session { get; set; } = default!;
    private readonly ProgressBuffer _buffer = new();
    private ChartPump _pump = default!;
    private ElementReference _lossChart;
    private ElementReference _dxChart;
    private ElementReference _accuracyChart;
    private ElementReference _gradientChart;
    // Samples over time, drawn by the SampleGridView: this panel only adds the grids that come.
    private readonly SampleTimeline _timeline = new();
    private string? _presetName;
    private volatile SampleGridSnapshot? _pendingSamples;
    private DateTime _sampleGridShownUtc = DateTime.MinValue;
    private volatile bool _statusDirty;
    private bool _starting;
    // The adopted run whose stored history is on the charts and timeline.
    private string? _historyShownFor;

    private string StartLabel => Session.Status == RunStatus.Paused ? "Resume" : "Train";

    private bool CanStart => RendererInfo.IsInteractive && !_starting && Session.Status is null or RunStatus.Paused;

    private bool CanStop => RendererInfo.IsInteractive && Session.Status is RunStatus.Queued or RunStatus.Running;

    private bool CanReset => RendererInfo.IsInteractive && !_starting && (Session.Status is not null || Session.Refusal is not null);

    /// <summary>Step: before the first Train (a new run's first step) or while paused (the next one).</summary>
    private bool CanStep => RendererInfo.IsInteractive && !_starting && Session.Status is null or RunStatus.Paused;

    /// <summary>Settings belong to the run once it exists: Reset first to change them.</summary>
    private bool CanChangeSettings => RendererInfo.IsInteractive && Session.Run is null;

    /// <summary>The settings of this trainer's next (or current) run: the block's, with the student's changes or preset.</summary>
    public GanTrainingOptions RunOptions => Session.Options;

    private GanTrainingOptions Options => Session.Options;

    private string LetFinishHint => Session.CanLetFinish
        ? $"{LeavingHint}; with this ticked it trains on until its last step, and you find it under My runs."
        : "Only a run with a step budget (steps in the lesson's settings) can finish by itself; this one trains until stopped.";

    private string LeavingHint => Session.Place is null || Training.Reclaim.Grace <= TimeSpan.Zero
        ? "Leaving or closing the page normally ends this run"
        : $"Leaving or closing the page pauses this run and keeps it for {FormatDuration(Training.Reclaim.Grace)}: open this page again to go on with it";

    /// <summary>The /trainer page with these settings in its query: a link that reopens this configuration.</summary>
    private string ConfigurationLink => "trainer" + TrainerLink.ToQuery(Options);

    private string SettingsSummary => string.Create(CultureInfo.InvariantCulture,
        $"{Options.Model} on {Options.Dataset} · batch {Options.BatchSize} · lr {Options.LearningRate:G3} · real label {Options.RealLabel:0.##} · seed {Options.Seed}");

    /// <summary>
    /// Training time left at the run's average pace so far, when it has a step budget; null without one or before
    /// the first step. Time spent waiting in the queue is not in it: that depends on the other students.
    /// </summary>
    public static TimeSpan? EstimateTimeLeft(TrainingProgress? progress, long? maxSteps)
    {
        if (progress is null || maxSteps is not { } max || progress.Step <= 0 || progress.Elapsed <= TimeSpan.Zero) return null;
        var stepsPerSecond = progress.Step / progress.Elapsed.TotalSeconds;
        return TimeSpan.FromSeconds(Math.Max(0, max - progress.Step) / stepsPerSecond);
    }

    private string? TimeLeftText =>
        Session.Status is RunStatus.Queued or RunStatus.Running or RunStatus.Paused
        && EstimateTimeLeft(Session.LastProgress, Options.MaxSteps) is { } eta
            ? $"about {FormatDuration(eta)} of training left"
            : null;

    private static string FormatDuration(TimeSpan time) => time.TotalSeconds < 60
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(time.TotalSeconds):0} s")
        : time.TotalHours < 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalMinutes} min {time.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours} h {time.Minutes} min");

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
        // A prerendered page lives for one request: it must neither take its trainer's run nor leave one behind.
        Session = Training.OpenSession(Settings.Training, Browser.Id, RendererInfo.IsInteractive ? Place : null);
        Circuit.Track(Session);
        _pump = new ChartPump(JS, FlushInterval, InvokeAsync, FlushAsync, StateHasChanged);
        Session.Progress += OnProgress;
        Session.Samples += OnSamples;
        Session.StateChanged += _pump.OnStateChanged;
        Session.RunAdopted += OnRunAdopted;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        await _pump.StartAsync(async charts =>
        {
            await NewPlotsAsync(charts);
            if (Session.Adopted is null) return;
            await ShowHistoryAsync(charts);
            StateHasChanged(); // the timeline and the grid of the run's past
        });
    }

    // Scheduler or disposing thread: the run of this trainer's old page arrived after the page opened.
    private void OnRunAdopted() => _pump.RedrawOnComponentThread(async charts =>
    {
        await NewPlotsAsync(charts);
        await ShowHistoryAsync(charts);
    });

    /// <summary>
    /// Draws what the adopted run trained before this page saw it, from the runs database (the same series the Runs
    /// page draws, down-sampled the same way), then lets live points follow: the pump is held meanwhile, so a run
    /// training on adds its new steps after its history, never before.
    /// </summary>
    private async Task ShowHistoryAsync(PlotlyCharts charts)
    {
        if (Session.Adopted is not { } run || _historyShownFor == run.Id) return;
        _historyShownFor = run.Id;
        RunHistory history;
        try
        {
            history = await Training.HistoryAsync(run, RunView.ChartPoints);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
        {
            // An unreadable database costs the earlier curves only; the run itself goes on live.
            return;
        }
        var lastStored = history.Metrics.Count > 0 ? history.Metrics[^1].Step : -1;
        var live = _buffer.Drain(MaxChartPoints).Where(p => p.Step > lastStored);
        IReadOnlyList<ChartPoint> points = [.. history.Metrics.Select(ChartPoint.Of), .. live];
        if (points.Count > 0) await charts.ExtendTracesAsync(ChartExtensions(points), MaxChartPoints);

        _timeline.Clear();
        foreach (var snapshot in history.Snapshots) _timeline.Add(snapshot);
        // A newer grid than the stored ones (taken since the last snapshot) follows through the pump.
        if (Session.LastSamples is { } latest && latest.Step > (NewestStep ?? -1)) _pendingSamples = latest;
    }

    /// <summary>Points for the four charts: live flushes and an adopted run's history draw the same traces.</summary>
    private IReadOnlyList<ChartExtension> ChartExtensions(IReadOnlyList<ChartPoint> points)
    {
        var steps = points.Select(p => p.Step).ToArray();
        return
        [
            new ChartExtension(_lossChart, steps, [[.. points.Select(p => p.LossD)], [.. points.Select(p => p.LossG)]]),
            new ChartExtension(_dxChart, steps, [[.. points.Select(p => p.DOfX)], [.. points.Select(p => p.DOfGzBeforeD)], [.. points.Select(p => p.DOfGzAfterD)]]),
            new ChartExtension(_accuracyChart, steps, [[.. points.Select(p => p.DAccuracyReal)], [.. points.Select(p => p.DAccuracyFake)]]),
            new ChartExtension(_gradientChart, steps, [[.. points.Select(p => p.GradientNormG)], [.. points.Select(p => p.GradientNormD)]]),
        ];
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
        _timeline.Clear();
        await _pump.RedrawAsync(NewPlotsAsync);
    }

    private async Task NewPlotsAsync(PlotlyCharts charts)
    {
        await charts.NewPlotAsync(_lossChart, LossChart);
        await charts.NewPlotAsync(_dxChart, DiscriminatorChartFor(Options));
        await charts.NewPlotAsync(_accuracyChart, AccuracyChart);
        await charts.NewPlotAsync(_gradientChart, GradientChart);
    }

    private async Task StepAsync()
    {
        _starting = true;
        try
        {
            await Session.StepAsync();
        }
        finally
        {
            _starting = false;
        }
    }

    /// <summary>
    /// A student's edit of one setting. Refused (false, nothing changes) for a locked key, an unknown one, or
    /// once a run exists. Picking a model loads its recipe for the settings not locked. The result may still be
    /// an invalid combination: the panel then says what is wrong and Train is refused with the same words.
    /// </summary>
    public bool TrySetOption(string key, object? value)
    {
        if (!CanChangeSettings || !Settings.IsEditable(key)) return false;
        if (GanTrainerSettings.TrainingBinder.Parameters.FirstOrDefault(p => p.Name == key) is not { } parameter) return false;
        var type = Nullable.GetUnderlyingType(parameter.Property.PropertyType) ?? parameter.Property.PropertyType;
        if (value is not null && value.GetType() != type) return false;
        if (value is null && Nullable.GetUnderlyingType(parameter.Property.PropertyType) is null) return false;
        var options = key == "model" && value is string model
            ? Settings.WithModel(Options, model)
            : Options with { };
        // A fresh copy of our own: setting its init-only property by reflection changes nothing anyone else holds.
        if (key != "model") parameter.Property.SetValue(options, value);
        if (!Session.TryChangeOptions(options)) return false;
        _presetName = null;
        return true;
    }

    /// <summary>The block's settings with the named preset over them; false for an unknown name or once a run exists.</summary>
    public bool TryApplyPreset(string? name)
    {
        if (!CanChangeSettings || Settings.PresetList.FirstOrDefault(p => p.Name == name) is not { } preset) return false;
        var (options, problems) = Settings.Apply(preset);
        // Validation of the block already applied every preset; a problem here would be a bug, not a student's doing.
        if (problems.Count > 0 || !Session.TryChangeOptions(options)) return false;
        _presetName = preset.Name;
        return true;
    }

    /// <summary>Short labels in the course's words; a key not listed shows as its words.</summary>
    private static readonly Dictionary<string, string> FieldLabels = new()
    {
        ["discriminator-steps"] = "k: D steps per G step",
        ["learning-rate"] = "Learning rate",
        ["latent-size"] = "Latent size (z)",
        ["latent-distribution"] = "Distribution of z",
        ["labels"] = "Label mode",
        ["max-steps"] = "Steps (empty: until stopped)",
        ["beta1"] = "Adam β1",
        ["beta2"] = "Adam β2",
        ["momentum"] = "SGD momentum",
    };

    private static string FieldLabel(string key) => FieldLabels.TryGetValue(key, out var label)
        ? label
        : char.ToUpperInvariant(key[0]) + key[1..].Replace('-', ' ');

    private static IReadOnlyList<string> AllowedFor(string key) => GanTrainerSettings.AllowedValues.GetValueOrDefault(key) ?? [];

    private static string Documentation(LessonParameter field)
    {
        try
        {
            return XmlDocumentation.Summary(field.Property);
        }
        catch (FileNotFoundException)
        {
            // A build without GanLab.Core.xml: the field keeps its label, only the hover text is lost.
            return "";
        }
    }

    private static string NumericStep(string key) => key switch
    {
        "learning-rate" => "0.0001",
        _ => "0.05",
    };

    /// <summary>Problems of the settings as they stand, shown beside the form.</summary>
    private IReadOnlyList<string> OptionProblems => Options.Validate();

    private async Task OnOptionsChangedAsync() =>
        await _pump.RedrawAsync(charts => charts.NewPlotAsync(_dxChart, DiscriminatorChartFor(Options)));

    private async Task SetOptionAsync(string key, object? value)
    {
        var lossBefore = Options.Loss;
        var datasetBefore = Options.Dataset;
        if (!TrySetOption(key, value)) return;
        if (Options.Loss != lossBefore || Options.Dataset != datasetBefore) await OnOptionsChangedAsync();
    }

    private async Task PickPresetAsync(object? name)
    {
        if (TryApplyPreset(name as string)) await OnOptionsChangedAsync();
    }

    /// <summary>The step of the newest grid kept, the one on screen unless the student replays older ones.</summary>
    private long? NewestStep => _timeline.Count > 0 ? _timeline[^1].Step : null;

    // Training-thread handlers: only record what happened; the pump sends it on.
    private void OnProgress(TrainingProgress progress)
    {
        _buffer.Add(progress);
        _statusDirty = true;
    }

    private void OnSamples(SampleGridSnapshot samples) => _pendingSamples = samples;

    /// <summary>Sends buffered points as one chart update and, at most every few hundred ms, the newest sample grid.</summary>
    private async Task FlushAsync(PlotlyCharts charts, bool force)
    {
        var render = false;

        var points = _buffer.Drain(PointsPerFlush);
        if (points.Count > 0)
        {
            await charts.ExtendTracesAsync(ChartExtensions(points), MaxChartPoints);
        }

        if (_pendingSamples is { } samples && samples.Step > (NewestStep ?? -1)
            && (force || DateTime.UtcNow - _sampleGridShownUtc >= SampleGridInterval))
        {
            _sampleGridShownUtc = DateTime.UtcNow;
            _timeline.Add(samples);
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
        await _pump.DisposeAsync();
        Session.Progress -= OnProgress;
        Session.Samples -= OnSamples;
        Session.StateChanged -= _pump.OnStateChanged;
        Session.RunAdopted -= OnRunAdopted;
        Circuit.Untrack(Session);
        // Closing the tab disposes the circuit, which disposes this component: the run pauses and waits for the page to
        // come back, or ends at once when this trainer has no place (freeing its native memory either way, in time).
        Session.Dispose();
    }
}
