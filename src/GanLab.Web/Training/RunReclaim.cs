using System.Globalization;

namespace GanLab.Web.Training;

/// <summary>
/// Runs whose page went away, kept for the page to come back: a reload, a closed tab reopened, a look at another lesson.
/// A run not left to finish arrives paused and is kept for <see cref="Grace"/>; past it, it ends (its history stays in the
/// runs database) and its model is freed. A run left to finish arrives training and can be taken back until it ends by
/// itself. A trainer opened with the same <see cref="TrainerPlace"/> by the same browser takes the newest such run
/// (<see cref="Claim"/>); a run held by an open trainer is never here, so a second tab of the same lesson starts fresh.
/// A comparison leaves its two runs as one entry: they are taken back together (<see cref="ClaimAll"/>), and end together,
/// or not at all; an entry stays while any of its runs has not ended (one side may have finished while the other waits).
/// A page can open before the old one has let go (a lost goodbye keeps the old tab's circuit for
/// <c>DisconnectedTabSeconds</c>): a trainer that opened without a run waits that long as the heir of its place.
/// </summary>
public sealed class RunReclaim : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<Orphan> _orphans = [];
    private readonly List<Heir> _heirs = [];
    private readonly TimeProvider _clock;
    private readonly TimeSpan _heirWindow;
    private readonly int _maxPerBrowser;
    private readonly ILogger _logger;
    private bool _disposed;

    /// <param name="grace">How long a paused run waits for its page; zero keeps nothing (leaving a page ends its run).</param>
    /// <param name="heirWindow">How long a trainer that opened without a run may still receive one from a page that goes away later.</param>
    /// <param name="maxPerBrowser">Runs kept per browser, as many as it may have training or waiting: past that the oldest ends.</param>
    public RunReclaim(TimeProvider clock, TimeSpan grace, TimeSpan heirWindow, int maxPerBrowser, ILogger logger)
    {
        _clock = clock;
        Grace = grace;
        _heirWindow = heirWindow;
        _maxPerBrowser = maxPerBrowser;
        _logger = logger;
    }

    public TimeSpan Grace { get; }

    /// <summary>The runs waiting for their page, oldest first.</summary>
    public IReadOnlyList<ServerRun> Kept
    {
        get { lock (_gate) return [.. _orphans.SelectMany(o => o.Runs).Where(r => !r.Status.IsFinal())]; }
    }

    /// <summary>The newest run the browser's trainer at <paramref name="place"/> left behind, now this caller's; null when none.</summary>
    public ServerRun? Claim(string browserId, TrainerPlace place) => ClaimAll(browserId, place, 1)?[0];

    /// <summary>
    /// The newest <paramref name="count"/> runs one page's block at <paramref name="place"/> left behind together (a
    /// comparison's left and right, in the order they were kept), now this caller's; null when none.
    /// </summary>
    public IReadOnlyList<ServerRun>? ClaimAll(string browserId, TrainerPlace place, int count)
    {
        Orphan? found;
        lock (_gate)
        {
            _orphans.RemoveAll(o => o.Ended);
            found = _orphans.LastOrDefault(o => o.BrowserId == browserId && o.Place == place && o.Runs.Count == count);
            if (found is null) return null;
            _orphans.Remove(found);
        }
        found.Grace?.Dispose();
        _logger.LogInformation("Run(s) {Ids} taken back by their block ({Place})", found.Ids, place);
        return found.Runs;
    }

    /// <summary>A trainer opened without a run: a run its place's old page lets go of soon is handed to it.</summary>
    internal void AwaitHeritage(IRunHeir heir, TrainerPlace place)
    {
        lock (_gate) _heirs.Add(new Heir(heir, place, _clock.GetUtcNow()));
    }

    /// <summary>The trainer got a run of its own, or went away.</summary>
    internal void StopAwaiting(IRunHeir heir)
    {
        lock (_gate) _heirs.RemoveAll(h => ReferenceEquals(h.Session, heir));
    }

    /// <summary>
    /// The page of <paramref name="run"/>'s trainer went away (the run is paused already, unless it was left to finish):
    /// hands it to a trainer of that place opened meanwhile, or keeps it. False when it cannot be kept (no grace, or it
    /// has ended); the caller then ends it as leaving a page always did.
    /// </summary>
    internal Task<bool> KeepAsync(ServerRun run, TrainerPlace place) => KeepAsync([run], place);

    /// <summary>
    /// The page of a block that owns several runs went away (a comparison: its runs are paused already): hands them
    /// together to that block opened meanwhile, or keeps them as one entry. False when they cannot be kept (no grace, or
    /// all have ended); the caller then ends them.
    /// </summary>
    internal async Task<bool> KeepAsync(IReadOnlyList<ServerRun> runs, TrainerPlace place)
    {
        var orphan = new Orphan(runs, place);
        if (Grace <= TimeSpan.Zero || orphan.Ended || _disposed) return false;
        while (NextHeir(orphan.BrowserId, place) is { } heir)
            if (await heir.TryAdoptAsync(runs)) return true;

        var finishesByItself = orphan.FinishesByItself;
        List<Orphan> evicted = [];
        lock (_gate)
        {
            if (_disposed) return false;
            _orphans.RemoveAll(o => o.Ended);
            _orphans.Add(orphan);
            // Created under the lock, so its callback cannot look for the orphan before it is listed.
            if (!finishesByItself) orphan.Grace = _clock.CreateTimer(_ => Expire(orphan), null, Grace, Timeout.InfiniteTimeSpan);
            // Counted in runs, as the browser's share is: a comparison's entry holds two. The newest entry always stays.
            var mine = _orphans.Where(o => o.BrowserId == orphan.BrowserId).ToList();
            var kept = mine.Sum(o => o.LiveRuns);
            foreach (var old in mine.TakeWhile(o => o != orphan))
            {
                if (kept <= _maxPerBrowser) break;
                kept -= old.LiveRuns;
                evicted.Add(old);
                _orphans.Remove(old);
            }
        }
        _logger.LogInformation("Run(s) {Ids} kept for their block ({Place}) to come back{For}", orphan.Ids, place,
            finishesByItself ? " while it finishes" : $" for {Grace.TotalSeconds:0} s");
        foreach (var old in evicted)
        {
            old.Grace?.Dispose();
            // A run left to finish trains on (the scheduler counts it); only its way back is lost.
            foreach (var run in old.Runs.Where(r => !(r.LetFinish && r.CanFinishByItself)))
                await run.EndAsync(RunStatus.Cancelled,
                    $"The page was closed, and this browser left {_maxPerBrowser} newer runs waiting for their pages, the most it may; its history is kept.");
        }
        return true;
    }

    private IRunHeir? NextHeir(string browserId, TrainerPlace place)
    {
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            _heirs.RemoveAll(h => now - h.OpenedUtc > _heirWindow);
            var heir = _heirs.LastOrDefault(h => h.Session.BrowserId == browserId && h.Place == place);
            if (heir is not null) _heirs.Remove(heir);
            return heir?.Session;
        }
    }

    private void Expire(Orphan orphan)
    {
        lock (_gate)
            if (!_orphans.Remove(orphan)) return; // claimed or evicted meanwhile
        orphan.Grace?.Dispose();
        _logger.LogInformation("Run(s) {Ids} ended: their page did not come back within {Grace} s", orphan.Ids, Grace.TotalSeconds);
        // A comparison's runs end together; a side that finished before stays finished (EndAsync leaves an ended run be).
        foreach (var run in orphan.Runs)
            _ = run.EndAsync(RunStatus.Cancelled,
                $"The page was closed and not opened again within {Describe(Grace)}, so the run ended; its history is kept.");
    }

    private static string Describe(TimeSpan time) => time.TotalSeconds < 120
        ? string.Create(CultureInfo.InvariantCulture, $"{time.TotalSeconds:0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{time.TotalMinutes:0.#} min");

    /// <summary>The server is stopping: no grace ends any more (the service interrupts the runs themselves).</summary>
    public void Dispose()
    {
        List<Orphan> orphans;
        lock (_gate)
        {
            _disposed = true;
            orphans = [.. _orphans];
            _orphans.Clear();
            _heirs.Clear();
        }
        foreach (var orphan in orphans) orphan.Grace?.Dispose();
    }

    /// <summary>What one block's page left behind: one trainer's run, or a comparison's two (all of one browser).</summary>
    private sealed class Orphan(IReadOnlyList<ServerRun> runs, TrainerPlace place)
    {
        public IReadOnlyList<ServerRun> Runs { get; } = runs;
        public TrainerPlace Place { get; } = place;
        public ITimer? Grace { get; set; }
        public string BrowserId => Runs[0].BrowserId;
        public string Ids => string.Join(", ", Runs.Select(r => r.Id));
        public int LiveRuns => Runs.Count(r => !r.Status.IsFinal());
        public bool Ended => LiveRuns == 0;

        /// <summary>Every run still going was left to finish: no grace applies, they end by themselves.</summary>
        public bool FinishesByItself => Runs.Where(r => !r.Status.IsFinal()).All(r => r.LetFinish && r.CanFinishByItself);
    }

    private sealed record Heir(IRunHeir Session, TrainerPlace Place, DateTimeOffset OpenedUtc);
}

/// <summary>A block opened without its runs (a trainer, a comparison), waiting for its old page to let go of them.</summary>
internal interface IRunHeir
{
    string BrowserId { get; }

    /// <summary>Takes the runs the old page left, all of them or none; false when the heir no longer can.</summary>
    Task<bool> TryAdoptAsync(IReadOnlyList<ServerRun> runs);
}
