using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>
/// The scheduler with fake runs: which run gets a slot, in what order, what the queue says, and what Withdraw and
/// the quantum do. No training and no sleeping: slices end when a test says so, and the clock moves when told.
/// </summary>
public class TrainingSchedulerTests
{
    /// <summary>A guard against a hang, never a measured time: every awaited event here happens at once or never.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private readonly ManualClock _clock = new();

    private TrainingScheduler Scheduler(int slots = 1, int perBrowser = 5, int quantumSeconds = 10, int toySlots = 0) =>
        new(new SchedulerLimits(slots, perBrowser, TimeSpan.FromSeconds(quantumSeconds), toySlots), _clock);

    [Fact]
    public async Task Slots_go_round_robin_between_browsers_not_first_come_first_served()
    {
        var scheduler = Scheduler(slots: 1);
        var (a1, a2, a3, b1, c1) = (new FakeRun("a"), new FakeRun("a"), new FakeRun("a"), new FakeRun("b"), new FakeRun("c"));

        foreach (var run in new[] { a1, a2, a3, b1, c1 }) scheduler.Enqueue(run);
        await a1.Started.WaitAsync(Hang);

        // a was just served, so b and c (never served) come before a's other runs.
        Assert.Equal([null, 3, 4, 1, 2], new[] { a1, a2, a3, b1, c1 }.Select(scheduler.QueuePosition));

        var order = new List<FakeRun> { a1 };
        for (var current = a1; order.Count < 5;)
        {
            current.Finish();
            current = await NextStarted(scheduler, [a2, a3, b1, c1], order);
            order.Add(current);
        }
        Assert.Equal([a1, b1, c1, a2, a3], order);
    }

    [Fact]
    public async Task A_browser_served_recently_waits_behind_one_that_was_not()
    {
        var scheduler = Scheduler(slots: 1);
        var (a1, b1, a2, b2) = (new FakeRun("a"), new FakeRun("b"), new FakeRun("a"), new FakeRun("b"));
        scheduler.Enqueue(a1);
        await a1.Started.WaitAsync(Hang);
        scheduler.Enqueue(a2);
        scheduler.Enqueue(b1);
        scheduler.Enqueue(b2);

        Assert.Equal(1, scheduler.QueuePosition(b1));
        Assert.Equal(2, scheduler.QueuePosition(a2));
        Assert.Equal(3, scheduler.QueuePosition(b2));
    }

    [Fact]
    public async Task Every_free_slot_is_filled_and_the_rest_wait()
    {
        var scheduler = Scheduler(slots: 2);
        var runs = Enumerable.Range(0, 4).Select(i => new FakeRun($"browser{i}")).ToArray();
        foreach (var run in runs) scheduler.Enqueue(run);

        await Task.WhenAll(runs[0].Started, runs[1].Started).WaitAsync(Hang);
        Assert.Equal(2, scheduler.RunningCount);
        Assert.Equal(2, scheduler.QueuedCount);
        Assert.Equal([ScheduleState.Running, ScheduleState.Running, ScheduleState.Queued, ScheduleState.Queued], runs.Select(scheduler.StateOf));
        Assert.Equal([null, null, 1, 2], runs.Select(scheduler.QueuePosition));
    }

    [Fact]
    public async Task A_browser_may_hold_only_its_share_and_others_are_not_affected()
    {
        var scheduler = Scheduler(slots: 1, perBrowser: 2);
        var first = new FakeRun("a");
        scheduler.Enqueue(first);
        scheduler.Enqueue(new FakeRun("a"));

        var refused = Assert.Throws<RunQueueFullException>(() => scheduler.Enqueue(new FakeRun("a")));
        Assert.Contains("the most one browser may have (2)", refused.Message);
        scheduler.Enqueue(new FakeRun("b"));
        Assert.Equal(2, scheduler.QueuedCount);

        // A run that ends gives the browser its share back.
        await first.Started.WaitAsync(Hang);
        first.Finish();
        await first.Ended.WaitAsync(Hang);
        await WaitUntil(() => scheduler.StateOf(first) == ScheduleState.None);
        scheduler.Enqueue(new FakeRun("a"));
    }

    [Fact]
    public async Task Withdrawing_a_waiting_run_moves_those_behind_it_up()
    {
        var scheduler = Scheduler(slots: 1);
        var (running, w1, w2, w3) = (new FakeRun("a"), new FakeRun("b"), new FakeRun("c"), new FakeRun("d"));
        foreach (var run in new[] { running, w1, w2, w3 }) scheduler.Enqueue(run);
        await running.Started.WaitAsync(Hang);
        var changes = 0;
        scheduler.Changed += () => Interlocked.Increment(ref changes);

        await scheduler.WithdrawAsync(w1);

        Assert.Equal(ScheduleState.None, scheduler.StateOf(w1));
        Assert.Equal(1, scheduler.QueuePosition(w2));
        Assert.Equal(2, scheduler.QueuePosition(w3));
        Assert.True(changes > 0, "panels are told that positions moved");
        Assert.False(w1.Started.IsCompleted);
    }

    [Fact]
    public async Task Withdrawing_a_running_run_stops_it_for_good_and_frees_its_slot()
    {
        var scheduler = Scheduler(slots: 1);
        var (running, waiting) = (new FakeRun("a"), new FakeRun("b"));
        scheduler.Enqueue(running);
        scheduler.Enqueue(waiting);
        await running.Started.WaitAsync(Hang);

        await scheduler.WithdrawAsync(running).WaitAsync(Hang);

        Assert.True(running.YieldWasRequested);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(running));
        await waiting.Started.WaitAsync(Hang);
        Assert.Equal(1, running.Slices);
    }

    [Fact]
    public async Task A_run_whose_quantum_is_over_yields_to_a_waiting_run_and_queues_again()
    {
        var scheduler = Scheduler(slots: 1, quantumSeconds: 10);
        var (a, b) = (new FakeRun("a"), new FakeRun("b"));
        scheduler.Enqueue(a);
        await a.Started.WaitAsync(Hang);
        scheduler.Enqueue(b);

        _clock.Advance(TimeSpan.FromSeconds(9));
        scheduler.RotateExpiredSlices();
        Assert.False(a.YieldWasRequested);

        _clock.Advance(TimeSpan.FromSeconds(1));
        scheduler.RotateExpiredSlices();

        await b.Started.WaitAsync(Hang);
        Assert.True(a.YieldWasRequested);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(a));
        Assert.Equal(1, scheduler.QueuePosition(a));
    }

    [Fact]
    public async Task With_nobody_waiting_a_run_trains_on_past_its_quantum()
    {
        var scheduler = Scheduler(slots: 1, quantumSeconds: 10);
        var a = new FakeRun("a");
        scheduler.Enqueue(a);
        await a.Started.WaitAsync(Hang);

        _clock.Advance(TimeSpan.FromHours(1));
        scheduler.RotateExpiredSlices();

        Assert.False(a.YieldWasRequested);
        Assert.Equal(ScheduleState.Running, scheduler.StateOf(a));
    }

    [Fact]
    public async Task A_slice_that_throws_frees_its_slot()
    {
        var scheduler = Scheduler(slots: 1);
        var (broken, next) = (new FakeRun("a") { Throws = true }, new FakeRun("b"));
        scheduler.Enqueue(broken);
        scheduler.Enqueue(next);

        await next.Started.WaitAsync(Hang);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(broken));
    }

    [Fact]
    public async Task The_snapshot_lists_running_runs_then_the_queue_in_order()
    {
        var scheduler = Scheduler(slots: 1);
        var (a1, a2, b1) = (new FakeRun("a"), new FakeRun("a"), new FakeRun("b"));
        foreach (var run in new[] { a1, a2, b1 }) scheduler.Enqueue(run);
        await a1.Started.WaitAsync(Hang);

        var snapshot = scheduler.Snapshot();

        Assert.Equal([a1, b1, a2], snapshot.Select(s => s.Run));
        Assert.Equal([ScheduleState.Running, ScheduleState.Queued, ScheduleState.Queued], snapshot.Select(s => s.State));
        Assert.Equal([null, 1, 2], snapshot.Select(s => s.QueuePosition));
    }

    [Fact]
    public async Task A_waiting_run_paused_and_resumed_gets_its_place_back_not_the_back_of_the_queue()
    {
        var scheduler = Scheduler(slots: 1);
        var (running, b, c, d) = (new FakeRun("x"), new FakeRun("b"), new FakeRun("c"), new FakeRun("d"));
        foreach (var run in new[] { running, b, c, d }) scheduler.Enqueue(run);
        await running.Started.WaitAsync(Hang);

        await scheduler.WithdrawAsync(c, keepPlace: true);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(c));
        Assert.Equal([1, 2], new[] { b, d }.Select(scheduler.QueuePosition));
        Assert.Equal(1, scheduler.KeptPlaces);

        scheduler.Enqueue(c);

        Assert.Equal([1, 2, 3], new[] { b, c, d }.Select(scheduler.QueuePosition));
        Assert.Equal(0, scheduler.KeptPlaces);
    }

    [Fact]
    public async Task A_paused_run_whose_followers_started_meanwhile_is_next_ahead_of_later_arrivals()
    {
        var scheduler = Scheduler(slots: 1);
        var (running, b, c, d) = (new FakeRun("x"), new FakeRun("b"), new FakeRun("c"), new FakeRun("d"));
        foreach (var run in new[] { running, b, c, d }) scheduler.Enqueue(run);
        await running.Started.WaitAsync(Hang);
        await scheduler.WithdrawAsync(b, keepPlace: true);

        // c, which stood behind b, gets the slot; e arrives after.
        running.Finish();
        await c.Started.WaitAsync(Hang);
        var e = new FakeRun("e");
        scheduler.Enqueue(e);
        scheduler.Enqueue(b);

        Assert.Equal([1, 2, 3], new[] { b, d, e }.Select(scheduler.QueuePosition));
        c.Finish();
        await b.Started.WaitAsync(Hang);
        Assert.False(d.Started.IsCompleted);
    }

    [Fact]
    public async Task A_kept_place_does_not_put_a_browser_ahead_of_one_served_less_recently()
    {
        var scheduler = Scheduler(slots: 1);
        var (running, a1, b1, a2) = (new FakeRun("x"), new FakeRun("a"), new FakeRun("b"), new FakeRun("a"));
        foreach (var run in new[] { running, a1, b1, a2 }) scheduler.Enqueue(run);
        await running.Started.WaitAsync(Hang);
        await scheduler.WithdrawAsync(a1, keepPlace: true);

        // Browser a is served (its other run) while a1 is paused.
        running.Finish();
        await b1.Started.WaitAsync(Hang);
        b1.Finish();
        await a2.Started.WaitAsync(Hang);
        var c1 = new FakeRun("c");
        scheduler.Enqueue(c1);
        scheduler.Enqueue(a1);

        // a1 arrived first of all, but browser a had the last turn: c, never served, goes first.
        Assert.Equal(1, scheduler.QueuePosition(c1));
        Assert.Equal(2, scheduler.QueuePosition(a1));
    }

    [Fact]
    public async Task A_run_paused_while_running_or_withdrawn_for_good_keeps_no_place()
    {
        var scheduler = Scheduler(slots: 1);
        var (a, b, c, d) = (new FakeRun("a"), new FakeRun("b"), new FakeRun("c"), new FakeRun("d"));
        foreach (var run in new[] { a, b, c, d }) scheduler.Enqueue(run);
        await a.Started.WaitAsync(Hang);

        // a had its turn: paused while training it queues again at the back, like a run whose quantum is over.
        await scheduler.WithdrawAsync(a, keepPlace: true).WaitAsync(Hang);
        await b.Started.WaitAsync(Hang);
        Assert.Equal(0, scheduler.KeptPlaces);

        // c is paused while waiting, then reset: the place it kept is forgotten.
        await scheduler.WithdrawAsync(c, keepPlace: true);
        await scheduler.WithdrawAsync(c);
        Assert.Equal(0, scheduler.KeptPlaces);
        scheduler.Enqueue(c);
        Assert.Equal([1, 2], new[] { d, c }.Select(scheduler.QueuePosition));
    }

    [Fact]
    public async Task A_kept_place_is_not_a_share_a_browser_past_its_share_is_still_refused()
    {
        var scheduler = Scheduler(slots: 1, perBrowser: 2);
        var (running, a1, a2, a3) = (new FakeRun("x"), new FakeRun("a"), new FakeRun("a"), new FakeRun("a"));
        foreach (var run in new[] { running, a1, a2 }) scheduler.Enqueue(run);
        await running.Started.WaitAsync(Hang);
        await scheduler.WithdrawAsync(a1, keepPlace: true);
        scheduler.Enqueue(a3);

        Assert.Throws<RunQueueFullException>(() => scheduler.Enqueue(a1));
        Assert.Equal(1, scheduler.KeptPlaces);
        await scheduler.WithdrawAsync(a2);
        scheduler.Enqueue(a1);
        Assert.Equal([1, 2], new[] { a1, a3 }.Select(scheduler.QueuePosition));
    }

    [Fact]
    public async Task A_toy_gets_its_own_slot_while_image_runs_hold_and_wait_for_the_training_slot()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1);
        var (image, waitingImage) = (new FakeRun("a"), new FakeRun("b"));
        scheduler.Enqueue(image);
        scheduler.Enqueue(waitingImage);
        await image.Started.WaitAsync(Hang);

        var toy = new FakeRun("c") { Lane = RunLane.Toy };
        scheduler.Enqueue(toy);

        await toy.Started.WaitAsync(Hang);
        Assert.Equal(ScheduleState.Running, scheduler.StateOf(toy));
        Assert.Equal(1, scheduler.QueuePosition(waitingImage));
        Assert.Equal((1, 1), scheduler.CountOf(RunLane.Training));
        Assert.Equal((1, 0), scheduler.CountOf(RunLane.Toy));
    }

    [Fact]
    public async Task Toys_borrow_a_free_training_slot_but_image_runs_never_take_the_toy_slot()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1);
        var (inToySlot, borrowing) = (new FakeRun("a") { Lane = RunLane.Toy }, new FakeRun("b") { Lane = RunLane.Toy });
        scheduler.Enqueue(inToySlot);
        scheduler.Enqueue(borrowing);
        await Task.WhenAll(inToySlot.Started, borrowing.Started).WaitAsync(Hang);

        // The training slot is lent to a toy: an image run arriving now waits for it, first in its line.
        var image = new FakeRun("c");
        scheduler.Enqueue(image);
        Assert.Equal(1, scheduler.QueuePosition(image));

        // The toy slot coming free is no use to the image run...
        inToySlot.Finish();
        await inToySlot.Ended.WaitAsync(Hang);
        await WaitUntil(() => scheduler.RunningCount == 1);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(image));

        // ...the borrowed training slot coming back is, and it goes to the image run, not to the next toy.
        var nextToy = new FakeRun("d") { Lane = RunLane.Toy };
        scheduler.Enqueue(nextToy);
        await nextToy.Started.WaitAsync(Hang); // the free toy slot
        var laterToy = new FakeRun("e") { Lane = RunLane.Toy };
        scheduler.Enqueue(laterToy);
        borrowing.Finish();
        await image.Started.WaitAsync(Hang);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(laterToy));
        Assert.Equal(1, scheduler.QueuePosition(laterToy));
    }

    [Fact]
    public async Task Queue_positions_and_fair_turns_are_counted_within_each_lane()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1);
        var (image, toy) = (new FakeRun("a"), new FakeRun("a") { Lane = RunLane.Toy });
        scheduler.Enqueue(image);
        scheduler.Enqueue(toy);
        await Task.WhenAll(image.Started, toy.Started).WaitAsync(Hang);

        var (imageB, toyB, toyA2, toyC) = (new FakeRun("b"), new FakeRun("b") { Lane = RunLane.Toy }, new FakeRun("a") { Lane = RunLane.Toy },
            new FakeRun("c") { Lane = RunLane.Toy });
        scheduler.Enqueue(toyA2);
        scheduler.Enqueue(imageB);
        scheduler.Enqueue(toyB);
        scheduler.Enqueue(toyC);

        // The image run is first of its line though toys arrived before it; among toys, a (served a toy turn) goes last.
        Assert.Equal(1, scheduler.QueuePosition(imageB));
        Assert.Equal([3, 1, 2], new[] { toyA2, toyB, toyC }.Select(scheduler.QueuePosition));
        var snapshot = scheduler.Snapshot();
        Assert.All(snapshot.Take(2), line => Assert.Equal(ScheduleState.Running, line.State));
        Assert.Equal([imageB, toyB, toyC, toyA2], snapshot.Skip(2).Select(line => line.Run));
        Assert.Equal([1, 1, 2, 3], snapshot.Skip(2).Select(line => line.QueuePosition));
    }

    [Fact]
    public async Task A_toy_whose_quantum_is_over_yields_to_a_waiting_toy_not_to_a_waiting_image_run()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1, quantumSeconds: 10);
        var (image, toy, waitingImage) = (new FakeRun("a"), new FakeRun("b") { Lane = RunLane.Toy }, new FakeRun("c"));
        scheduler.Enqueue(image);
        scheduler.Enqueue(toy);
        scheduler.Enqueue(waitingImage);
        await Task.WhenAll(image.Started, toy.Started).WaitAsync(Hang);

        _clock.Advance(TimeSpan.FromSeconds(11));
        scheduler.RotateExpiredSlices();
        await image.Ended.WaitAsync(Hang);
        Assert.False(toy.YieldWasRequested);

        var waitingToy = new FakeRun("d") { Lane = RunLane.Toy };
        scheduler.Enqueue(waitingToy);
        scheduler.RotateExpiredSlices();
        await toy.Ended.WaitAsync(Hang);
        await waitingToy.Started.WaitAsync(Hang);
    }

    [Fact]
    public async Task Without_toy_slots_toys_wait_in_the_one_line_with_the_image_runs()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 0);
        var (image, toy, laterImage) = (new FakeRun("a"), new FakeRun("b") { Lane = RunLane.Toy }, new FakeRun("c"));
        scheduler.Enqueue(image);
        scheduler.Enqueue(toy);
        scheduler.Enqueue(laterImage);
        await image.Started.WaitAsync(Hang);

        Assert.Equal([1, 2], new[] { toy, laterImage }.Select(scheduler.QueuePosition));
        image.Finish();
        await toy.Started.WaitAsync(Hang);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(laterImage));
    }

    [Fact]
    public async Task Toy_turns_shorten_as_the_toys_line_grows_so_each_toy_comes_round_sooner()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1);
        var image = new FakeRun("image");
        scheduler.Enqueue(image);
        scheduler.Enqueue(new FakeRun("image-2")); // an image run waits: no toy borrows the training slot
        await image.Started.WaitAsync(Hang);
        var playing = new FakeRun("toy-0") { Lane = RunLane.Toy };
        scheduler.Enqueue(playing);
        await playing.Started.WaitAsync(Hang);
        Assert.Equal(TrainingScheduler.LongestToyTurn, scheduler.ToyTurnLength());

        // 8 toys waiting for one slot: 2 s / 8 = 250 ms, so each is back within about 2 s rather than 4.
        var waiting = Enumerable.Range(1, 29).Select(i => new FakeRun($"toy-{i}") { Lane = RunLane.Toy }).ToArray();
        foreach (var toy in waiting.Take(8)) scheduler.Enqueue(toy);
        Assert.Equal(TimeSpan.FromMilliseconds(250), scheduler.ToyTurnLength());

        // A class's worth: never below the shortest turn, whatever the line.
        foreach (var toy in waiting.Skip(8)) scheduler.Enqueue(toy);
        Assert.Equal(TrainingScheduler.ShortestToyTurn, scheduler.ToyTurnLength());

        // Few waiting: never above the longest.
        foreach (var toy in waiting.Skip(2)) await scheduler.WithdrawAsync(toy);
        Assert.Equal(TrainingScheduler.LongestToyTurn, scheduler.ToyTurnLength());
    }

    [Fact]
    public async Task A_toy_in_a_borrowed_training_slot_serves_the_toys_line_too()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 1);
        var (inToySlot, borrowing) = (new FakeRun("a") { Lane = RunLane.Toy }, new FakeRun("b") { Lane = RunLane.Toy });
        scheduler.Enqueue(inToySlot);
        scheduler.Enqueue(borrowing);
        await Task.WhenAll(inToySlot.Started, borrowing.Started).WaitAsync(Hang);

        foreach (var i in Enumerable.Range(0, 16)) scheduler.Enqueue(new FakeRun($"toy-{i}") { Lane = RunLane.Toy });

        // Two slots turn the line over twice as fast: 2 s × 2 / 16.
        Assert.Equal(TimeSpan.FromMilliseconds(250), scheduler.ToyTurnLength());
    }

    [Fact]
    public async Task Without_toy_slots_toy_turns_keep_their_longest_length()
    {
        var scheduler = Scheduler(slots: 1, toySlots: 0);
        var toys = Enumerable.Range(0, 10).Select(i => new FakeRun($"toy-{i}") { Lane = RunLane.Toy }).ToArray();
        foreach (var toy in toys) scheduler.Enqueue(toy);
        await toys[0].Started.WaitAsync(Hang);

        // In the one line toys queue behind image runs' quantums: shortening their own turns would buy them nothing.
        Assert.Equal(TrainingScheduler.LongestToyTurn, scheduler.ToyTurnLength());
    }

    private static async Task<FakeRun> NextStarted(TrainingScheduler scheduler, FakeRun[] candidates, List<FakeRun> already)
    {
        var waiting = candidates.Where(c => !already.Contains(c)).ToArray();
        var started = await Task.WhenAny(waiting.Select(async c => { await c.Started; return c; })).WaitAsync(Hang);
        return await started;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var guard = Task.Delay(Hang);
        while (!condition())
        {
            if (guard.IsCompleted) throw new TimeoutException("the condition never held");
            await Task.Yield();
        }
    }

    /// <summary>A run that trains (does nothing) until the test finishes it or the scheduler asks it to yield.</summary>
    private sealed class FakeRun(string browserId) : ISchedulableRun
    {
        private readonly TaskCompletionSource<bool> _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string BrowserId { get; } = browserId;
        public RunLane Lane { get; init; } = RunLane.Training;
        public bool Throws { get; init; }
        public int Slices;
        public volatile bool YieldWasRequested;
        public Task Started => _started.Task;
        public Task Ended => _ended.Task;

        public void Finish() => _finish.TrySetResult(true);

        public async Task<bool> TrainSliceAsync(CancellationToken yieldRequested)
        {
            Interlocked.Increment(ref Slices);
            _started.TrySetResult();
            if (Throws) throw new InvalidOperationException("this run is broken");
            var yielded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            using (yieldRequested.Register(() => { YieldWasRequested = true; yielded.TrySetResult(false); }))
            {
                var ended = await await Task.WhenAny(_finish.Task, yielded.Task);
                _ended.TrySetResult();
                return ended;
            }
        }
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
