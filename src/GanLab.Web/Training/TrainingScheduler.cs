namespace GanLab.Web.Training;

/// <summary>What the scheduler runs: one student's training, a slice at a time.</summary>
public interface ISchedulableRun
{
    /// <summary>The browser that asked for the run: fair share is between browsers, not runs.</summary>
    string BrowserId { get; }

    /// <summary>
    /// Whether the run counts towards its browser's <see cref="SchedulerLimits.MaxRunsPerBrowser"/>. A measurement
    /// (<see cref="Evaluation.EvaluationTicket"/>) does not: it is queued for the student when runs end (a comparison
    /// measures both its runs), and refusing it then would leave a table without its numbers; it still waits its
    /// browser's turn like any run.
    /// </summary>
    bool CountsTowardsShare => true;

    /// <summary>Which slots the run may take: image runs and measurements train in the training slots; toys may also take the toy slots.</summary>
    RunLane Lane => RunLane.Training;

    /// <summary>
    /// Trains until the run ends by itself (true: MaxSteps reached, or it failed) or until
    /// <paramref name="yieldRequested"/> fires (false: the slot goes to another run and this one waits again).
    /// </summary>
    Task<bool> TrainSliceAsync(CancellationToken yieldRequested);
}

/// <summary>
/// The two kinds of work the scheduler shares the machine between. Image runs (and measurements) train for a quantum of
/// seconds at a time; a toy trains a fraction of a second per turn (<see cref="TrainingScheduler.ToyTurnLength"/>) and is
/// watched as it moves. In one line behind thirty image runs a toy would wait minutes between turns and look frozen, so
/// toys have slots of their own
/// (<see cref="SchedulerLimits.ToySlots"/>) that image runs never take, and they may borrow a free training slot, which
/// they hand back within a slice.
/// </summary>
public enum RunLane
{
    /// <summary>Image runs and measurements: the training slots only, time-sliced by the quantum.</summary>
    Training,

    /// <summary>Toy GANs: the toy slots, or a training slot no image run is waiting for.</summary>
    Toy,
}

/// <summary>Where a run stands with the scheduler.</summary>
public enum ScheduleState { None, Queued, Running }

/// <summary>One line of <see cref="TrainingScheduler.Snapshot"/>: a run, its state, and its place in the queue (1 = next).</summary>
public sealed record ScheduledRunInfo(ISchedulableRun Run, ScheduleState State, int? QueuePosition, DateTimeOffset Since);

/// <summary>The limits the scheduler enforces, from <see cref="GanLabWebOptions"/>.</summary>
/// <param name="Slots">training slots: runs of either lane train in them, at most this many at once</param>
/// <param name="ToySlots">slots only toys use, on top of <paramref name="Slots"/>; 0: toys queue for training slots like image runs</param>
public sealed record SchedulerLimits(int Slots, int MaxRunsPerBrowser, TimeSpan Quantum, int ToySlots = 0)
{
    /// <summary>The most runs that train at the same moment: both kinds of slot.</summary>
    public int TotalSlots => Slots + ToySlots;
}

/// <summary>
/// Every training run on the server goes through here: at most <see cref="SchedulerLimits.TotalSlots"/> train at once,
/// the others wait. Each <see cref="RunLane"/> has its own line: image runs wait for a training slot, toys for a toy slot
/// or a training slot that no image run is waiting for (<see cref="RunLane"/> says why). Within a lane the next slot goes
/// to the browser that lane served least recently (round-robin between browsers, so a student with three runs does not
/// get three turns before a student with one), and within a browser to its oldest waiting run. Runs are open-ended, so a
/// run that has trained for a quantum while others of its lane wait yields its slot and goes to the back of its browser's
/// line (time slicing); with nobody waiting it trains on.
/// A waiting run that is paused keeps its place (see <see cref="WithdrawAsync"/> with keepPlace): resumed, it
/// comes back with the sequence number it had, ahead of every run that arrived after it.
/// The scheduler knows nothing of models: tests drive it with fakes.
/// </summary>
public sealed class TrainingScheduler(SchedulerLimits limits, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _waiting = [];
    private readonly List<Entry> _running = [];
    private readonly Dictionary<ISchedulableRun, Entry> _entries = new(ReferenceEqualityComparer.Instance);
    // When each browser last got a slot in each lane (a grant counter, not a time): the fairness order. Kept after a
    // browser's runs leave, so stopping and restarting a run cannot jump the queue. Per lane, so a student playing a toy
    // does not lose the turn of their image run.
    private readonly Dictionary<(RunLane, string), long> _lastServed = [];
    // Places kept by runs paused while waiting: the sequence number their next Enqueue takes back.
    private readonly Dictionary<ISchedulableRun, long> _keptPlaces = new(ReferenceEqualityComparer.Instance);
    private long _sequence;
    private long _grants;
    // Every waiting run's place in its lane's line, worked out once after the lines change: each change is announced to
    // every run on the server (Changed), and each asks for its place, so working it out per question cost a class of 30
    // several milliseconds at every toy's turn. Null when a line has changed since (JoinLine, LeaveLine).
    private Dictionary<Entry, int>? _positions;

    public SchedulerLimits Limits => limits;

    /// <summary>Raised (outside the lock, on any thread) whenever a run joins, leaves, starts or yields: positions moved.</summary>
    public event Action? Changed;

    /// <summary>
    /// Puts a run in the queue, and starts it at once when a slot is free. A run paused while waiting (withdrawn with
    /// keepPlace) takes back its old sequence number: in its browser's line it stands before every run that arrived
    /// after it, and between browsers the usual order holds (the browser served least recently goes first), so a
    /// place kept can never buy a browser more than its share. When runs behind it have started meanwhile, that makes
    /// it next in line among the runs still waiting, ahead of later arrivals.
    /// </summary>
    /// <exception cref="RunQueueFullException">The browser already has <see cref="SchedulerLimits.MaxRunsPerBrowser"/> runs here.</exception>
    public void Enqueue(ISchedulableRun run)
    {
        lock (_gate)
        {
            if (_entries.ContainsKey(run)) return;
            var mine = _entries.Values.Count(e => e.Run.BrowserId == run.BrowserId && e.Run.CountsTowardsShare);
            if (run.CountsTowardsShare && mine >= limits.MaxRunsPerBrowser)
                throw new RunQueueFullException(
                    $"This browser already has {mine} runs training or waiting, the most one browser may have ({limits.MaxRunsPerBrowser}), " +
                    "so that every student gets a turn. Stop or reset one of them, then press Train again.");
            var sequence = _keptPlaces.Remove(run, out var kept) ? kept : ++_sequence;
            var entry = new Entry(run) { Sequence = sequence, Since = clock.GetUtcNow() };
            _entries.Add(run, entry);
            JoinLine(entry);
        }
        Dispatch();
    }

    /// <summary>
    /// Takes a run out: a waiting run leaves the queue; a running one is asked to yield and is not queued again.
    /// Completes when the run no longer trains. A run the scheduler does not hold completes at once.
    /// </summary>
    /// <param name="keepPlace">
    /// A pause, not an end: a waiting run keeps its place for its next <see cref="Enqueue"/>, and a place kept earlier
    /// stays kept. A running run keeps none: it has had its turn, and when resumed it queues like a run whose quantum
    /// is over. False (Reset, leaving, cancelling) forgets any place kept.
    /// </param>
    public Task WithdrawAsync(ISchedulableRun run, bool keepPlace = false)
    {
        Task sliceEnded;
        lock (_gate)
        {
            if (!keepPlace) _keptPlaces.Remove(run);
            if (!_entries.TryGetValue(run, out var entry)) return Task.CompletedTask;
            if (LeaveLine(entry))
            {
                _entries.Remove(run);
                if (keepPlace) _keptPlaces[run] = entry.Sequence;
                sliceEnded = Task.CompletedTask;
            }
            else
            {
                entry.Withdrawn = true;
                entry.Yield?.Cancel();
                sliceEnded = entry.SliceEnded!.Task;
            }
        }
        Changed?.Invoke();
        return sliceEnded;
    }

    public ScheduleState StateOf(ISchedulableRun run)
    {
        lock (_gate)
            return !_entries.TryGetValue(run, out var entry) ? ScheduleState.None
                : _running.Contains(entry) ? ScheduleState.Running : ScheduleState.Queued;
    }

    /// <summary>1 for the run that gets the next free slot of its lane, 2 for the one after…; null when not waiting.</summary>
    public int? QueuePosition(ISchedulableRun run)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(run, out var entry)) return null;
            _positions ??= Enum.GetValues<RunLane>()
                .SelectMany(lane => WaitingOrder(lane).Select((e, i) => (Entry: e, Position: i + 1)))
                .ToDictionary(p => p.Entry, p => p.Position);
            return _positions.TryGetValue(entry, out var position) ? position : null;
        }
    }

    /// <summary>Running runs (oldest slice first), then each lane's waiting runs in the order they will get a slot (positions per lane).</summary>
    public IReadOnlyList<ScheduledRunInfo> Snapshot()
    {
        lock (_gate)
        {
            var running = _running.OrderBy(e => e.Since).Select(e => new ScheduledRunInfo(e.Run, ScheduleState.Running, null, e.Since));
            var waiting = Enum.GetValues<RunLane>().SelectMany(lane =>
                WaitingOrder(lane).Select((e, i) => new ScheduledRunInfo(e.Run, ScheduleState.Queued, i + 1, e.Since)));
            return [.. running, .. waiting];
        }
    }

    public int RunningCount { get { lock (_gate) return _running.Count; } }

    public int QueuedCount { get { lock (_gate) return _waiting.Count; } }

    /// <summary>Runs of one lane training now (wherever their slot is) and waiting: for the instructor's view of the load.</summary>
    public (int Running, int Queued) CountOf(RunLane lane)
    {
        lock (_gate) return (_running.Count(e => e.Run.Lane == lane), _waiting.Count(e => e.Run.Lane == lane));
    }

    /// <summary>Runs paused while waiting whose place is kept (each is forgotten when its run resumes or ends).</summary>
    public int KeptPlaces { get { lock (_gate) return _keptPlaces.Count; } }

    /// <summary>
    /// Asks runs whose slice has lasted a quantum to yield, oldest slices first: in the training slots as many as there
    /// are image runs waiting, in the toy slots as many as there are toys waiting. Called every second by
    /// <see cref="SchedulerClock"/>; tests call it with a clock of their own.
    /// </summary>
    public void RotateExpiredSlices()
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            foreach (var (pool, waiting) in new[] { (Pool.Training, WaitingCount(RunLane.Training)), (Pool.Toy, WaitingCount(RunLane.Toy)) })
            {
                var expired = _running
                    .Where(e => e.Pool == pool && !e.Withdrawn && e.Yield is { IsCancellationRequested: false } && now - e.Since >= limits.Quantum)
                    .OrderBy(e => e.Since)
                    .Take(waiting);
                foreach (var entry in expired) entry.Yield!.Cancel();
            }
        }
    }

    /// <summary>The turn a toy takes when nobody else waits for a toy slot (it is given the next one at once anyway).</summary>
    public static readonly TimeSpan LongestToyTurn = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The shortest turn: about a hundred toy steps. Each turn ends with a frame (the view and an evaluation, about 3 ms on
    /// the 2-core CPU) and a thread hop, which shorter turns would make a noticeable share of the slot's time.
    /// </summary>
    public static readonly TimeSpan ShortestToyTurn = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a waiting toy should stand still at most, while turns are longer than the shortest.</summary>
    public static readonly TimeSpan ToyTurnAround = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a toy should train in the turn it starts now. A student watches a toy move, so what they notice is how
    /// long it stands still between turns, not how long a turn lasts: every waiting toy trains once before this one
    /// again, so turns shrink as the toys' line grows, to bring each toy round within <see cref="ToyTurnAround"/>
    /// (30 toys on one toy slot: a tenth of a second each, back every 3.6 to 3.8 s as measured with a class's image runs
    /// beside them, where half-second turns came back every 15 s). Past 20 toys per serving slot the shortest turn sets the
    /// rhythm, and each turn's frame and thread hop (about 20 ms under that load) add to it; the page tells the student
    /// the rhythm (<see cref="ToyRun.Turns"/>). The share of the slots each toy gets is the same either way; only the
    /// rhythm changes.
    /// </summary>
    public TimeSpan ToyTurnLength()
    {
        lock (_gate)
        {
            var waiting = WaitingCount(RunLane.Toy);
            if (waiting == 0) return LongestToyTurn;
            // Every toy slot, and every training slot a toy holds, serves the toys' line in turn.
            var serving = Math.Max(1, _running.Count(e => LaneOf(e) == RunLane.Toy));
            var turn = ToyTurnAround * serving / waiting;
            return turn < ShortestToyTurn ? ShortestToyTurn : turn > LongestToyTurn ? LongestToyTurn : turn;
        }
    }

    // Every change to the waiting lines goes through these two, so the places worked out from them are never stale. A grant
    // (_lastServed) also moves places, and always comes with its run leaving the line.
    private void JoinLine(Entry entry)
    {
        _waiting.Add(entry);
        _positions = null;
    }

    private bool LeaveLine(Entry entry)
    {
        if (!_waiting.Remove(entry)) return false;
        _positions = null;
        return true;
    }

    /// <summary>A run's lane here: without toy slots there is one line for all, as toys would never get a slot otherwise.</summary>
    private RunLane LaneOf(Entry entry) => limits.ToySlots > 0 ? entry.Run.Lane : RunLane.Training;

    private int WaitingCount(RunLane lane) => _waiting.Count(e => LaneOf(e) == lane);

    private int FreeSlots(Pool pool) =>
        (pool == Pool.Training ? limits.Slots : limits.ToySlots) - _running.Count(e => e.Pool == pool);

    /// <summary>
    /// Fills free slots from the queues, fairest first: training slots from the image runs' line, toy slots from the toys'
    /// line, and then training slots that no image run waits for from the toys' line (a borrowed slot comes back within
    /// a toy's turn).
    /// </summary>
    private void Dispatch()
    {
        var started = new List<Entry>();
        lock (_gate)
        {
            foreach (var (pool, lane) in new[] { (Pool.Training, RunLane.Training), (Pool.Toy, RunLane.Toy), (Pool.Training, RunLane.Toy) })
            {
                while (FreeSlots(pool) > 0 && WaitingOrder(lane) is [var next, ..])
                {
                    LeaveLine(next);
                    _running.Add(next);
                    _lastServed[(lane, next.Run.BrowserId)] = ++_grants;
                    next.Pool = pool;
                    next.Since = clock.GetUtcNow();
                    next.Yield = new CancellationTokenSource();
                    next.SliceEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    started.Add(next);
                }
            }
        }
        Changed?.Invoke();
        // Off the caller's thread: a slice may first load a dataset and build networks.
        foreach (var entry in started) _ = Task.Run(() => RunSliceAsync(entry));
    }

    private async Task RunSliceAsync(Entry entry)
    {
        var ended = true;
        try
        {
            ended = await entry.Run.TrainSliceAsync(entry.Yield!.Token);
        }
        catch (Exception)
        {
            // The run reports its own failure; the scheduler's job is only to free the slot.
        }
        lock (_gate)
        {
            _running.Remove(entry);
            entry.Yield!.Dispose();
            entry.Yield = null;
            if (ended || entry.Withdrawn)
            {
                _entries.Remove(entry.Run);
            }
            else
            {
                // Back of its browser's line: behind that browser's other waiting runs.
                entry.Sequence = ++_sequence;
                entry.Since = clock.GetUtcNow();
                JoinLine(entry);
            }
        }
        entry.SliceEnded!.TrySetResult();
        Dispatch();
    }

    /// <summary>
    /// A lane's waiting runs in the order they would get slots if nothing changed: repeatedly, the browser that lane
    /// served least recently (never served counts as longest ago; ties by who asked first) gets its oldest run.
    /// </summary>
    private List<Entry> WaitingOrder(RunLane lane)
    {
        var lines = _waiting.Where(e => LaneOf(e) == lane).GroupBy(e => e.Run.BrowserId)
            .ToDictionary(g => g.Key, g => new Queue<Entry>(g.OrderBy(e => e.Sequence)));
        var served = lines.Keys.ToDictionary(b => b, b => _lastServed.GetValueOrDefault((lane, b)));
        var count = lines.Values.Sum(l => l.Count);
        var order = new List<Entry>(count);
        var grant = _grants;
        while (order.Count < count)
        {
            var browser = lines.Where(l => l.Value.Count > 0)
                .MinBy(l => (served[l.Key], l.Value.Peek().Sequence)).Key;
            order.Add(lines[browser].Dequeue());
            served[browser] = ++grant;
        }
        return order;
    }

    /// <summary>Which slots a running entry holds (a toy may hold a training slot).</summary>
    private enum Pool { Training, Toy }

    private sealed class Entry(ISchedulableRun run)
    {
        public ISchedulableRun Run { get; } = run;
        public Pool Pool { get; set; }
        public long Sequence { get; set; }
        public DateTimeOffset Since { get; set; }
        public bool Withdrawn { get; set; }
        public CancellationTokenSource? Yield { get; set; }
        public TaskCompletionSource? SliceEnded { get; set; }
    }
}

/// <summary>A browser asked for more runs than <see cref="SchedulerLimits.MaxRunsPerBrowser"/>; the message says what to do.</summary>
public sealed class RunQueueFullException(string message) : Exception(message);

/// <summary>Gives the scheduler its heartbeat: every second, runs whose quantum is over yield to waiting ones.</summary>
public sealed class SchedulerClock(TrainingScheduler scheduler) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) scheduler.RotateExpiredSlices();
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }
}
