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
/// recall, and the class histogram (mode collapse made visible) of one generator: the browser's latest finished run or
/// a course checkpoint (see <see cref="MetricsSettings"/>). The measuring itself is queued in <see cref="RunEvaluator"/>.
/// </summary>
public sealed partial class MetricsPanel : ComponentBase, ILessonComponent<MetricsSettings>, IDisposable
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private RunEvaluator Evaluator { get; set; } = default!;
    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;
    [Inject] private IOptions<GanLabWebOptions> Options { get; set; } = default!;

    [Parameter] public MetricsSettings Settings { get; set; } = new();

    private IReadOnlyList<string> _problems = [];
    private MeasuredGenerator? _target;
    private string? _missing;
    private string? _refusal;
    private EvaluationTicket? _ticket;

    /// <summary>A generator to measure: its checkpoint file, its dataset, and how the page names it.</summary>
    private sealed record MeasuredGenerator(string Checkpoint, string Dataset, string Description);

    /// <summary>
    /// Measure stays pressable without a target (pressing looks again for a run finished meanwhile), but not while a
    /// measurement is under way or when the target's dataset has no classifier.
    /// </summary>
    private bool MeasureDisabled => !RendererInfo.IsInteractive
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
                _target = new MeasuredGenerator(path, options.Dataset, $"the course checkpoint {file}: {options.Model} on {options.Dataset}");
            }
            catch (Exception e) when (e is IOException or InvalidDataException or GanLab.Torch.CheckpointException or System.Text.Json.JsonException)
            {
                _missing = $"content/{MetricsSettings.CheckpointFolder}/{file} is not a readable GanLab checkpoint: {e.Message}";
            }
            return;
        }
        var wanted = (Settings.Model is null ? "" : Settings.Model + " ") + (Settings.Dataset is null ? "" : "on " + Settings.Dataset + " ");
        var run = Browser.IsKnown
            ? Store.RunsOf(Browser.Id).FirstOrDefault(r => r.Status == RunStatus.Finished && r.CheckpointPath is { } p && File.Exists(p)
                && (Settings.Model is null || r.Options.Model == Settings.Model) && (Settings.Dataset is null || r.Options.Dataset == Settings.Dataset))
            : null;
        if (run is null)
        {
            _missing = $"No finished {wanted}run of yours to measure yet. Train one with a step budget (a gan-trainer with steps, or a gan-compare) " +
                       "and let it finish; then press Measure.";
            return;
        }
        _target = new MeasuredGenerator(run.CheckpointPath!, run.Options.Dataset,
            string.Create(Culture, $"your latest finished {wanted}run: {run.Options.Model} on {run.Options.Dataset}, {run.Steps:N0} steps (run {run.Id[..8]})"));
    }

    private void Measure()
    {
        Resolve();
        _refusal = null;
        if (_target is null) return;
        try
        {
            Watch(Evaluator.Enqueue(_target.Checkpoint, _target.Dataset, Settings.Samples));
        }
        catch (Exception e) when (e is EvaluationQueueFullException or InvalidOperationException)
        {
            _refusal = e.Message;
        }
    }

    private void Watch(EvaluationTicket ticket)
    {
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
        if (_ticket is { } ticket) ticket.Changed -= OnTicketChanged;
    }
}
