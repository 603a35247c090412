using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Hosting;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```sample-grid in a lesson: samples over time of the browser's newest run (of a model and dataset when the block names
/// them), found as ```gan-metrics finds it: the grids the runs database keeps for it on a slider with Play, real images of
/// its dataset beside them, and while it trains the new grids as they come. Without such a run it says to train one above.
/// It follows the run shown through the run's own events (each grid as the trainer above gets it), and hears of a newer
/// run through <see cref="TrainingService.RunCreated"/> (Reset and Train in the trainer above), switching to it at once.
/// </summary>
public sealed partial class SampleGridPanel : ComponentBase, ILessonComponent<SampleGridSettings>, IDisposable
{
    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;
    [Inject] private IOptions<GanLabWebOptions> Options { get; set; } = default!;

    [Parameter] public SampleGridSettings Settings { get; set; } = new();

    /// <summary>The run whose samples show: its settings and, while the server holds it, the live run.</summary>
    private sealed record ShownRun(string Id, GanTrainingOptions Options, DateTimeOffset CreatedUtc, ServerRun? Live, RunStatus StoredStatus, long StoredSteps);

    private IReadOnlyList<string> _problems = [];
    private readonly SampleTimeline _timeline = new();
    private ShownRun? _shown;
    // Said while the runs database is read, before the first answer.
    private string? _missing = "Looking for your newest run…";
    // The live run whose events this block hears; null when the shown run is stored only (or none shows).
    private ServerRun? _watched;
    private bool _hearsNewRuns;
    // Counts the runs switched to: a database read for an earlier run that answers late must not fill in a later one.
    private int _switches;
    // The shown run's stored grids are being read: it may have grids already, so no "first grid comes" line yet.
    private bool _readingStored;
    private bool _disposed;

    private bool Matches(GanTrainingOptions options) =>
        (Settings.Model is null || options.Model == Settings.Model) && (Settings.Dataset is null || options.Dataset == Settings.Dataset);

    private string Wanted => (Settings.Model ?? "GAN") + " run" + (Settings.Dataset is null ? "" : " on " + Settings.Dataset);

    protected override void OnInitialized()
    {
        // A prerendered page lives for one request: only the interactive one follows runs. Subscribed before the first
        // look at the runs, so that a run created meanwhile is heard of or found, never missed.
        if (!RendererInfo.IsInteractive) return;
        Training.RunCreated += OnRunCreated;
        _hearsNewRuns = true;
    }

    protected override async Task OnParametersSetAsync()
    {
        _problems = Settings.Validate();
        if (_problems.Count == 0) await FindRunAsync();
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
            ShowNothing();
            return;
        }
        var browser = Browser.Id;
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
        // Looked at after the database answered: a run created while it was read is found here (or was switched to already).
        var active = Training.ActiveRuns.Where(r => r.BrowserId == browser && Matches(r.Options)).MaxBy(r => r.CreatedUtc);
        ShownRun? found = active is not null && (stored is null || active.CreatedUtc >= stored.CreatedUtc)
            ? new ShownRun(active.Id, active.Options, active.CreatedUtc, active, active.Status, 0)
            : stored is null ? null
            : new ShownRun(stored.Id, stored.Options, stored.CreatedUtc, Training.FindActive(stored.Id), stored.Status, stored.Steps);
        if (found is null)
        {
            ShowNothing();
            return;
        }
        if (found.Id == _shown?.Id)
        {
            _shown = found;
            Watch(found.Live);
            return;
        }
        var switched = Show(found);
        _readingStored = true;
        try
        {
            var id = found.Id;
            var snapshots = await Task.Run(() => Store.Snapshots(id));
            if (switched != _switches) return; // a newer run took the block meanwhile
            // Live grids that came during the read are newer than every stored one: the stored ones go first.
            var live = _timeline.Snapshots.ToList();
            _timeline.Clear();
            foreach (var snapshot in snapshots.Concat(live)) _timeline.Add(snapshot);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
        {
            // The stored grids are lost to this view; a live run's new ones still come.
        }
        finally
        {
            if (switched == _switches) _readingStored = false;
        }
    }

    private void ShowNothing()
    {
        _switches++;
        _shown = null;
        _timeline.Clear();
        Watch(null);
        _missing = NothingYet;
    }

    /// <summary>Shows another run from an empty timeline and follows it while it is live; returns the switch's number.</summary>
    private int Show(ShownRun run)
    {
        _shown = run;
        _timeline.Clear();
        _readingStored = false;
        Watch(run.Live);
        // Its newest grid may have come before the block listened.
        TakeLiveGrid();
        return ++_switches;
    }

    /// <summary>Hears the shown run's new grids and changes of state, and no other run's.</summary>
    private void Watch(ServerRun? live)
    {
        if (ReferenceEquals(live, _watched)) return;
        if (_watched is { } old)
        {
            old.Samples -= OnSamples;
            old.StateChanged -= OnRunStateChanged;
        }
        _watched = _disposed || !_hearsNewRuns ? null : live;
        if (_watched is { } run)
        {
            run.Samples += OnSamples;
            run.StateChanged += OnRunStateChanged;
        }
    }

    // The creating page's thread: look at the run on this block's own.
    private void OnRunCreated(ServerRun run) => _ = InvokeAsync(() =>
    {
        if (_disposed || _problems.Count > 0 || !Browser.IsKnown || run.BrowserId != Browser.Id || !Matches(run.Options)) return;
        if (_shown is not null && (run.Id == _shown.Id || run.CreatedUtc < _shown.CreatedUtc)) return;
        Show(new ShownRun(run.Id, run.Options, run.CreatedUtc, run, run.Status, 0));
        StateHasChanged();
    });

    // Training thread: each grid as it is drawn, the same moment the trainer's own view hears of it.
    private void OnSamples(SampleGridSnapshot samples) => _ = InvokeAsync(() =>
    {
        if (!_disposed && TakeLiveGrid()) StateHasChanged();
    });

    // Training or scheduler thread: status and queue position in the line above the grid.
    private void OnRunStateChanged() => _ = InvokeAsync(() =>
    {
        if (_disposed) return;
        TakeLiveGrid(); // a pause or an end draws a last grid
        StateHasChanged();
    });

    private string NothingYet => $"No {Wanted} of yours yet: train one above first (Train or Step), and its samples over time appear here.";

    /// <summary>The live run's newest grid, when it is newer than the kept ones; true when one was added.</summary>
    private bool TakeLiveGrid()
    {
        if (_shown?.Live?.LastSamples is not { } latest) return false;
        if (_timeline.Count > 0 && latest.Step <= _timeline[^1].Step) return false;
        _timeline.Add(latest);
        return true;
    }

    private static string Describe(ShownRun run)
    {
        var status = run.Live?.Status ?? run.StoredStatus;
        var step = run.Live?.LastProgress?.Step ?? run.StoredSteps;
        return string.Create(CultureInfo.InvariantCulture,
            $"Samples over time of your {run.Options.Model} run on {run.Options.Dataset} (run {ShortId(run.Id)}, {status.Name()}, step {step:N0}).");
    }

    /// <summary>
    /// Said while a live run has no grid yet: this is the new run's timeline, and when its grids come. The first is drawn
    /// the moment it starts training (step 0, from the fixed noise); the database keeps one every SnapshotEverySteps.
    /// </summary>
    private string? FirstGridHint(ShownRun run)
    {
        if (_timeline.Count > 0 || _readingStored || run.Live is not { Status: RunStatus.Queued or RunStatus.Running } live) return null;
        var queued = live.QueuePosition is { } position ? string.Create(CultureInfo.InvariantCulture, $" (it is queued: position {position})") : "";
        var budget = run.Options.MaxSteps is { } max ? string.Create(CultureInfo.InvariantCulture, $" of its {max:N0}") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"These are the samples of your new run {ShortId(run.Id)}: its first grid comes when it starts training{queued}; " +
            $"while it trains each new grid shows here, and one every {Options.Value.SnapshotEverySteps:N0} steps{budget} is kept for later.");
    }

    private static string ShortId(string id) => id[..Math.Min(8, id.Length)];

    public void Dispose()
    {
        _disposed = true;
        if (_hearsNewRuns) Training.RunCreated -= OnRunCreated;
        if (_watched is { } run)
        {
            run.Samples -= OnSamples;
            run.StateChanged -= OnRunStateChanged;
            _watched = null;
        }
    }
}
