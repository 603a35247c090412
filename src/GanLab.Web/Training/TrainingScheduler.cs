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

    /// <summary>
    /// Trains until the run ends by itself (true: MaxSteps reached, or it failed) or until
    /// <paramref name="yieldRequested"/> fires (false: the slot goes to another run and this one waits again).
    /// </summary>
    Task<bool> TrainSliceAsync(CancellationToken yieldRequested);
}

/// <summary>Where a run stands with the scheduler.</summary>
public enum ScheduleState { None, Queued, Running }

/// <summary>One line of <see cref="TrainingScheduler.Snapshot"/>: a run, its state, and its place in the queue (1 = next).</summary>
public sealed record ScheduledRunInfo(ISchedulableRun Run, ScheduleState State, int? QueuePosition, DateTimeOffset Since);

/// <summary>The limits the scheduler enforces, from <see cref="GanLabWebOptions"/>.</summary>
public sealed record SchedulerLimits(int Slots, int MaxRunsPerBrowser, TimeSpan Quantum);

/// <summary>
/// Every training run on the server goes through here: at most <see cref="SchedulerLimits.Slots"/> train at once,
/// the others wait. The next slot goes to the browser served least recently (round-robin between browsers, so
/// a student with three runs does not get three turns before a student with one), and within a browser to its
/// oldest waiting run. Runs are open-ended, so a run that has trained for a quantum while others wait yields
/// its slot and goes to the back of its browser's line (time slicing); with nobody waiting it trains on.
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
    // When each browser last got a slot (a grant counter, not a time): the fairness order. Kept after a
    // browser's runs leave, so stopping and restarting a run cannot jump the queue.
    private readonly Dictionary<string, long> _lastServed = [];
    // Places kept by runs paused while waiting: the sequence number their next Enqueue takes back.
    private readonly Dictionary<ISchedulableRun, long> _keptPlaces = new(ReferenceEqualityComparer.Instance);
    private long _sequence;
    private long _grants;

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
            _waiting.Add(entry);
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
            if (_waiting.Remove(entry))
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

    /// <summary>1 for the run that gets the next free slot, 2 for the one after…; null when not waiting.</summary>
    public int? QueuePosition(ISchedulableRun run)
    {
        lock (_gate)
        {
            var order = WaitingOrder();
            var index = order.FindIndex(e => ReferenceEquals(e.Run, run));
            return index < 0 ? null : index + 1;
        }
    }

    /// <summary>Running runs (oldest slice first), then waiting runs in the order they will get a slot.</summary>
    public IReadOnlyList<ScheduledRunInfo> Snapshot()
    {
        lock (_gate)
        {
            var running = _running.OrderBy(e => e.Since).Select(e => new ScheduledRunInfo(e.Run, ScheduleState.Running, null, e.Since));
            var waiting = WaitingOrder().Select((e, i) => new ScheduledRunInfo(e.Run, ScheduleState.Queued, i + 1, e.Since));
            return [.. running, .. waiting];
        }
    }

    public int RunningCount { get { lock (_gate) return _running.Count; } }

    public int QueuedCount { get { lock (_gate) return _waiting.Count; } }

    /// <summary>Runs paused while waiting whose place is kept (each is forgotten when its run resumes or ends).</summary>
    public int KeptPlaces { get { lock (_gate) return _keptPlaces.Count; } }

    /// <summary>
    /// Asks runs whose slice has lasted a quantum to yield, as many as there are runs waiting (oldest slices
    /// first). Called every second by <see cref="SchedulerClock"/>; tests call it with a clock of their own.
    /// </summary>
    public void RotateExpiredSlices()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0) return;
            var now = clock.GetUtcNow();
            var expired = _running
                .Where(e => !e.Withdrawn && e.Yield is { IsCancellationRequested: false } && now - e.Since >= limits.Quantum)
                .OrderBy(e => e.Since)
                .Take(_waiting.Count);
            foreach (var entry in expired) entry.Yield!.Cancel();
        }
    }

    /// <summary>Fills free slots from the queue, fairest first.</summary>
    private void Dispatch()
    {
        var started = new List<Entry>();
        lock (_gate)
        {
            while (_running.Count < limits.Slots && _waiting.Count > 0)
            {
                var next = WaitingOrder()[0];
                _waiting.Remove(next);
                _running.Add(next);
                _lastServed[next.Run.BrowserId] = ++_grants;
                next.Since = clock.GetUtcNow();
                next.Yield = new CancellationTokenSource();
                next.SliceEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                started.Add(next);
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
                _waiting.Add(entry);
            }
        }
        entry.SliceEnded!.TrySetResult();
        Dispatch();
    }

    /// <summary>
    /// Waiting runs in the order they would get slots if nothing changed: repeatedly, the browser served
    /// least recently (never served counts as longest ago; ties by who asked first) gets its oldest run.
    /// </summary>
    private List<Entry> WaitingOrder()
    {
        var lines = _waiting.GroupBy(e => e.Run.BrowserId)
            .ToDictionary(g => g.Key, g => new Queue<Entry>(g.OrderBy(e => e.Sequence)));
        var served = lines.Keys.ToDictionary(b => b, b => _lastServed.GetValueOrDefault(b));
        var order = new List<Entry>(_waiting.Count);
        var grant = _grants;
        while (order.Count < _waiting.Count)
        {
            var browser = lines.Where(l => l.Value.Count > 0)
                .MinBy(l => (served[l.Key], l.Value.Peek().Sequence)).Key;
            order.Add(lines[browser].Dequeue());
            served[browser] = ++grant;
        }
        return order;
    }

    private sealed class Entry(ISchedulableRun run)
    {
        public ISchedulableRun Run { get; } = run;
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
