using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Evaluation;
using GanLab.Web.Hosting;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```gan-metrics in a lesson: FID with its real-vs-real floor at the same sample size, the classifier score, precision and
/// recall, and the class histogram (mode collapse made visible) of one generator: the browser's newest paused or finished run or
/// a course checkpoint (see <see cref="MetricsSettings"/>). The measuring itself is queued in <see cref="RunEvaluator"/>.
/// </summary>
public sealed partial class MetricsPanel : ComponentBase, ILessonComponent<MetricsSettings>, IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private RunEvaluator Evaluator { get; set; } = default!;
    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;
    [Inject] private IOptions<GanLabWebOptions> Options { get; set; } = default!;

    [Parameter] public MetricsSettings Settings { get; set; } = new();

    private IReadOnlyList<string> _problems = [];
    private MeasuredGenerator? _target;
    private string? _missing;
    private string? _refusal;
    private EvaluationTicket? _ticket;
    private bool _snapshotting;
    private bool _disposed;

    /// <summary>
    /// A generator to measure: its checkpoint file (or the paused run whose weights are snapshot when Measure is
    /// pressed), its dataset, and how the page names it.
    /// </summary>
    private sealed record MeasuredGenerator(string? Checkpoint, ServerRun? PausedRun, string Dataset, string Description);

    /// <summary>
    /// Measure stays pressable without a target (pressing looks again for a run finished meanwhile), but not while a
    /// measurement is under way or when the target's dataset has no classifier.
    /// </summary>
    private bool MeasureDisabled => !RendererInfo.IsInteractive || _snapshotting
        || _ticket?.State is EvaluationState.Queued or EvaluationState.Running
        || (_target is { } target && !Evaluator.HasClassifier(target.Dataset));

    protected override void OnParametersSet()
    {
        _problems = Settings.Validate();
        if (_problems.Count == 0) Resolve();
    }

    /// <summary>Finds what to measure now: the trainer above may have finished a run since the page opened.</summary>
    private void Resolve()
    {
        _target = null;
        _missing = null;
        if (Settings.Checkpoint is { } file)
        {
            var path = Path.Combine(Options.Value.Content, MetricsSettings.CheckpointFolder, file);
            if (!File.Exists(path))
            {
                _missing = $"The course checkpoint content/{MetricsSettings.CheckpointFolder}/{file} is not on this server. " +
                           $"Make it with ./ganlab train --out DIR and copy DIR's checkpoint there.";
                return;
            }
            try
            {
                var options = GanTrainer.ReadCheckpointOptions(path);
                _target = new MeasuredGenerator(path, null, options.Dataset, $"the course checkpoint {file}: {options.Model} on {options.Dataset}");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or GanLab.Torch.CheckpointException or System.Text.Json.JsonException)
            {
                _missing = $"content/{MetricsSettings.CheckpointFolder}/{file} is not a readable GanLab checkpoint: {e.Message}";
            }
            return;
        }
        var wanted = (Settings.Model is null ? "" : Settings.Model + " ") + (Settings.Dataset is null ? "" : "on " + Settings.Dataset + " ");
        bool Matches(GanTrainingOptions o) => (Settings.Model is null || o.Model == Settings.Model) && (Settings.Dataset is null || o.Dataset == Settings.Dataset);
        if (!Browser.IsKnown)
        {
            _missing = $"No {wanted}run of yours to measure yet.";
            return;
        }
        // The newest of this browser's runs that can be measured: finished ones by their checkpoint, paused ones by a
        // snapshot of their weights. One still training is named, so the student knows to stop it first.
        var active = Training.ActiveRuns.Where(r => r.BrowserId == Browser.Id && Matches(r.Options)).OrderByDescending(r => r.CreatedUtc).FirstOrDefault();
        var finished = Store.RunsOf(Browser.Id).FirstOrDefault(r => r.Status == RunStatus.Finished && r.CheckpointPath is { } p && File.Exists(p) && Matches(r.Options));
        if (active is not null && (finished is null || active.CreatedUtc > finished.CreatedUtc))
        {
            var step = active.LastProgress?.Step ?? 0;
            if (active.Status == RunStatus.Paused)
            {
                _target = new MeasuredGenerator(null, active, active.Options.Dataset,
                    string.Create(Culture, $"your paused {wanted}run as it stands: {active.Options.Model} on {active.Options.Dataset}, step {step:N0} (run {active.Id[..8]})"));
                return;
            }
            if (finished is null)
            {
                _missing = string.Create(Culture,
                    $"Your {active.Options.Model} run is {active.Status.Name()} (step {step:N0}). Press Stop to pause it, or let it finish; then press Measure.");
                return;
            }
        }
        if (finished is null)
        {
            _missing = $"No {wanted}run of yours to measure yet. Train one (a gan-trainer or a gan-compare), stop it or let it finish; then press Measure.";
            return;
        }
        _target = new MeasuredGenerator(finished.CheckpointPath!, null, finished.Options.Dataset,
            string.Create(Culture, $"your latest finished {wanted}run: {finished.Options.Model} on {finished.Options.Dataset}, {finished.Steps:N0} steps (run {finished.Id[..8]})"));
    }

    private async Task MeasureAsync()
    {
        Resolve();
        _refusal = null;
        if (_target is null) return;
        _snapshotting = _target.PausedRun is not null;
        // A course checkpoint can be measured by a circuit opened without the page's cookie: a browser of its own.
        if (!Browser.IsKnown) Browser.Id = BrowserId.NewId();
        try
        {
            Watch(_target.PausedRun is { } paused
                ? await Evaluator.EnqueuePausedAsync(paused, Settings.Samples)
                : Evaluator.Enqueue(Browser.Id, _target.Checkpoint!, _target.Dataset, Settings.Samples));
        }
        catch (Exception e) when (e is EvaluationQueueFullException or InvalidOperationException or ObjectDisposedException or IOException)
        {
            _refusal = e is ObjectDisposedException ? "the run was freed while its weights were being read; press Measure again" : e.Message;
        }
        finally
        {
            _snapshotting = false;
        }
    }

    private void Watch(EvaluationTicket ticket)
    {
        // The page closed while a paused run's weights were being read: nobody is left to see this measurement.
        if (_disposed)
        {
            Evaluator.Withdraw(ticket);
            return;
        }
        if (_ticket is { } old) old.Changed -= OnTicketChanged;
        _ticket = ticket;
        ticket.Changed += OnTicketChanged;
    }

    // Evaluation thread: marshal to the renderer.
    private void OnTicketChanged() => _ = InvokeAsync(StateHasChanged);

    private string Progress(EvaluationTicket ticket) => ticket.State switch
    {
        EvaluationState.Queued => ticket.QueuePosition is { } p ? $"Queued for measuring: position {p}." : "Queued for measuring.",
        EvaluationState.Running => ticket.Samples is { } n
            ? string.Create(Culture, $"Measuring with {n:N0} samples: {ticket.Activity}…")
            : $"Measuring: {ticket.Activity}…",
        EvaluationState.Failed => $"Could not be measured: {ticket.Error}",
        _ => "",
    };

    private static string Number(double value, string format) => value.ToString(format, Culture);

    /// <summary>A bar's height as a share of the tallest bar of both histograms, so generated and real bars compare.</summary>
    private static string BarHeight(int count, int tallest) => string.Create(Culture, $"height: {(tallest == 0 ? 0 : 100.0 * count / tallest):0.#}%");

    public void Dispose()
    {
        _disposed = true;
        if (_ticket is not { } ticket) return;
        ticket.Changed -= OnTicketChanged;
        // Still queued, it would take a slot later and measure for nobody; one already measuring finishes unseen.
        Evaluator.Withdraw(ticket);
    }
}
