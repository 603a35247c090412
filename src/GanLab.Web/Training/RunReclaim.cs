using System.Globalization;

namespace GanLab.Web.Training;

/// <summary>
/// Runs whose page went away, kept for the page to come back: a reload, a closed tab reopened, a look at another lesson.
/// A run not left to finish arrives paused and is kept for <see cref="Grace"/>; past it, it ends (its history stays in the
/// runs database) and its model is freed. A run left to finish arrives training and can be taken back until it ends by
/// itself. A trainer opened with the same <see cref="TrainerPlace"/> by the same browser takes the newest such run
/// (<see cref="Claim"/>); a run held by an open trainer is never here, so a second tab of the same lesson starts fresh.
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
        get { lock (_gate) return [.. _orphans.Where(o => !o.Run.Status.IsFinal()).Select(o => o.Run)]; }
    }

    /// <summary>The newest run the browser's trainer at <paramref name="place"/> left behind, now this caller's; null when none.</summary>
    public ServerRun? Claim(string browserId, TrainerPlace place)
    {
        Orphan? found;
        lock (_gate)
        {
            _orphans.RemoveAll(o => o.Run.Status.IsFinal());
            found = _orphans.LastOrDefault(o => o.Run.BrowserId == browserId && o.Place == place);
            if (found is null) return null;
            _orphans.Remove(found);
        }
        found.Grace?.Dispose();
        _logger.LogInformation("Run {Id} taken back by its trainer ({Place})", found.Run.Id, place);
        return found.Run;
    }

    /// <summary>A trainer opened without a run: a run its place's old page lets go of soon is handed to it.</summary>
    internal void AwaitHeritage(TrainerSession heir, TrainerPlace place)
    {
        lock (_gate) _heirs.Add(new Heir(heir, place, _clock.GetUtcNow()));
    }

    /// <summary>The trainer got a run of its own, or went away.</summary>
    internal void StopAwaiting(TrainerSession heir)
    {
        lock (_gate) _heirs.RemoveAll(h => ReferenceEquals(h.Session, heir));
    }

    /// <summary>
    /// The page of <paramref name="run"/>'s trainer went away (the run is paused already, unless it was left to finish):
    /// hands it to a trainer of that place opened meanwhile, or keeps it. False when it cannot be kept (no grace, or it
    /// has ended); the caller then ends it as leaving a page always did.
    /// </summary>
    internal async Task<bool> KeepAsync(ServerRun run, TrainerPlace place)
    {
        if (Grace <= TimeSpan.Zero || run.Status.IsFinal() || _disposed) return false;
        while (NextHeir(run.BrowserId, place) is { } heir)
            if (await heir.TryAdoptAsync(run)) return true;

        var finishesByItself = run.LetFinish && run.CanFinishByItself;
        var orphan = new Orphan(run, place);
        List<Orphan> evicted;
        lock (_gate)
        {
            if (_disposed) return false;
            _orphans.RemoveAll(o => o.Run.Status.IsFinal());
            _orphans.Add(orphan);
            // Created under the lock, so its callback cannot look for the orphan before it is listed.
            if (!finishesByItself) orphan.Grace = _clock.CreateTimer(_ => Expire(orphan), null, Grace, Timeout.InfiniteTimeSpan);
            var mine = _orphans.Where(o => o.Run.BrowserId == run.BrowserId).ToList();
            evicted = mine.Take(Math.Max(0, mine.Count - _maxPerBrowser)).ToList();
            foreach (var old in evicted) _orphans.Remove(old);
        }
        _logger.LogInformation("Run {Id} kept for its trainer ({Place}) to come back{For}", run.Id, place,
            finishesByItself ? " while it finishes" : $" for {Grace.TotalSeconds:0} s");
        foreach (var old in evicted)
        {
            old.Grace?.Dispose();
            // A run left to finish trains on (the scheduler counts it); only its way back is lost.
            if (!(old.Run.LetFinish && old.Run.CanFinishByItself))
                await old.Run.EndAsync(RunStatus.Cancelled,
                    $"The page was closed, and this browser left {_maxPerBrowser} newer runs waiting for their pages, the most it may; its history is kept.");
        }
        return true;
    }

    private TrainerSession? NextHeir(string browserId, TrainerPlace place)
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
        _logger.LogInformation("Run {Id} ended: its page did not come back within {Grace} s", orphan.Run.Id, Grace.TotalSeconds);
        _ = orphan.Run.EndAsync(RunStatus.Cancelled,
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

    private sealed class Orphan(ServerRun run, TrainerPlace place)
    {
        public ServerRun Run { get; } = run;
        public TrainerPlace Place { get; } = place;
        public ITimer? Grace { get; set; }
    }

    private sealed record Heir(TrainerSession Session, TrainerPlace Place, DateTimeOffset OpenedUtc);
}
