using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Hosting;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```sample-grid in a lesson: samples over time of the browser's newest run (of a model and dataset when the block names
/// them), found as ```gan-metrics finds it: the grids the runs database keeps for it on a slider with Play, real images of
/// its dataset beside them, and while it trains the new grids as they come. Without such a run it says to train one above.
/// It looks every <see cref="PollInterval"/> for a newer grid, or for a newer run (Reset and Train in the trainer above).
/// </summary>
public sealed partial class SampleGridPanel : ComponentBase, ILessonComponent<SampleGridSettings>, IDisposable
{
    /// <summary>How often the block looks for new grids and newer runs: a grid is tens of KB over the circuit, a few a minute are plenty here.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;

    [Parameter] public SampleGridSettings Settings { get; set; } = new();

    /// <summary>The run whose samples show: its settings and, while the server holds it, the live run.</summary>
    private sealed record ShownRun(string Id, GanTrainingOptions Options, DateTimeOffset CreatedUtc, ServerRun? Live, RunStatus StoredStatus, long StoredSteps);

    private IReadOnlyList<string> _problems = [];
    private readonly SampleTimeline _timeline = new();
    private ShownRun? _shown;
    // Said while the runs database is read, before the first answer.
    private string? _missing = "Looking for your newest run…";
    private CancellationTokenSource? _poller;

    private bool Matches(GanTrainingOptions options) =>
        (Settings.Model is null || options.Model == Settings.Model) && (Settings.Dataset is null || options.Dataset == Settings.Dataset);

    private string Wanted => (Settings.Model ?? "GAN") + " run" + (Settings.Dataset is null ? "" : " on " + Settings.Dataset);

    protected override async Task OnParametersSetAsync()
    {
        _problems = Settings.Validate();
        if (_problems.Count == 0) await FindRunAsync();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        // A prerendered page lives for one request: only the interactive one watches for new grids.
        if (!firstRender || !RendererInfo.IsInteractive || _problems.Count > 0) return;
        _poller = new CancellationTokenSource();
        _ = PollAsync(_poller.Token);
    }

    /// <summary>
    /// The newest run of this browser that the filters let through: one the server holds (training, queued or paused) or
    /// one the runs database keeps (finished, or ended). A different run than the one shown replaces the timeline with its
    /// stored grids.
    /// </summary>
    private async Task FindRunAsync()
    {
        if (!Browser.IsKnown)
        {
            _shown = null;
            _timeline.Clear();
            _missing = NothingYet;
            return;
        }
        var browser = Browser.Id;
        var active = Training.ActiveRuns.Where(r => r.BrowserId == browser && Matches(r.Options)).MaxBy(r => r.CreatedUtc);
        RunRecord? stored;
        try
        {
            stored = await Task.Run(() => Store.RunsOf(browser).FirstOrDefault(r => r.Kind == RunKind.Image && Matches(r.Options)));
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
        {
            // An unreadable database: a run the server still holds can show, with its live grids only.
            stored = null;
        }
        ShownRun? found = active is not null && (stored is null || active.CreatedUtc >= stored.CreatedUtc)
            ? new ShownRun(active.Id, active.Options, active.CreatedUtc, active, active.Status, 0)
            : stored is null ? null
            : new ShownRun(stored.Id, stored.Options, stored.CreatedUtc, Training.FindActive(stored.Id), stored.Status, stored.Steps);
        if (found is null)
        {
            _shown = null;
            _timeline.Clear();
            _missing = NothingYet;
            return;
        }
        if (found.Id == _shown?.Id)
        {
            _shown = found;
            return;
        }
        _shown = found;
        _timeline.Clear();
        try
        {
            var id = found.Id;
            var snapshots = await Task.Run(() => Store.SnapshotSteps(id).Select(step => Store.Snapshot(id, step)).OfType<SampleGridSnapshot>().ToList());
            foreach (var snapshot in snapshots) _timeline.Add(snapshot);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
        {
            // The stored grids are lost to this view; a live run's new ones still come.
        }
        TakeLiveGrid();
    }

    private string NothingYet => $"No {Wanted} of yours yet: train one above first (Train or Step), and its samples over time appear here.";

    /// <summary>The live run's newest grid, when it is newer than the kept ones; true when one was added.</summary>
    private bool TakeLiveGrid()
    {
        if (_shown?.Live?.LastSamples is not { } latest) return false;
        if (_timeline.Count > 0 && latest.Step <= _timeline[^1].Step) return false;
        _timeline.Add(latest);
        return true;
    }

    private async Task PollAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(PollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token)) await InvokeAsync(PollOnceAsync);
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private async Task PollOnceAsync()
    {
        var changed = TakeLiveGrid() || _shown?.Live is { Status: RunStatus.Queued or RunStatus.Running }; // its status and step move on
        // A run started since the page opened (the trainer above, or its Reset and Train) is always held by the server first.
        var newest = Browser.IsKnown
            ? Training.ActiveRuns.Where(r => r.BrowserId == Browser.Id && Matches(r.Options)).MaxBy(r => r.CreatedUtc)
            : null;
        if (newest is not null && newest.Id != _shown?.Id && (_shown is null || newest.CreatedUtc > _shown.CreatedUtc))
        {
            await FindRunAsync();
            changed = true;
        }
        if (changed) StateHasChanged();
    }

    private static string Describe(ShownRun run)
    {
        var status = run.Live?.Status ?? run.StoredStatus;
        var step = run.Live?.LastProgress?.Step ?? run.StoredSteps;
        return string.Create(CultureInfo.InvariantCulture,
            $"Samples over time of your {run.Options.Model} run on {run.Options.Dataset} (run {run.Id[..Math.Min(8, run.Id.Length)]}, {status.Name()}, step {step:N0}).");
    }

    public void Dispose()
    {
        _poller?.Cancel();
        _poller?.Dispose();
    }
}
