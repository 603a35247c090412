using System.Collections.Concurrent;
using GanLab.Core.Toys;
using GanLab.Web.Runs;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>
/// A toy run against the real scheduler (libtorch shim needed): it waits for a slot like an image run, counts towards
/// its browser's share, trains single steps and slices through the scheduler, and frees its networks. The scheduler here has
/// no toy slots (GanLab:ToySlots 0), so one held training slot makes a toy wait; the toy lane is TrainingSchedulerTests'.
/// </summary>
public class ToyRunTests
{
    /// <summary>A guard against a hang, never a measured time.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static TrainingScheduler Scheduler(int slots = 1, int perBrowser = 3) =>
        new(new SchedulerLimits(slots, perBrowser, TimeSpan.FromSeconds(10)), TimeProvider.System);

    private static readonly ToyGanOptions Small = new() { BatchSize = 32, FixedNoiseSize = 64 };

    private static void WaitFor(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, Patience), what);

    [Fact]
    public async Task A_toy_waits_for_a_slot_held_by_another_run_and_trains_when_it_frees()
    {
        var scheduler = Scheduler(slots: 1);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);
        await using var toy = new ToyRun(scheduler, "my-browser", Small);

        await toy.PlayAsync();

        Assert.Equal(ToyRunStatus.Playing, toy.Status);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(toy));
        Assert.Equal(1, toy.QueuePosition);
        Assert.False(toy.HoldsNetworks);
        Assert.Null(toy.LastFrame);

        imageRun.Finish();
        WaitFor(() => toy.LastFrame is not null, "the toy trains once the slot is free");
        Assert.True(toy.HoldsNetworks);

        await toy.PauseAsync();
        Assert.Equal(ToyRunStatus.Paused, toy.Status);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(toy));
        Assert.True(toy.LastFrame!.Progress.Step > 0);
    }

    [Fact]
    public async Task A_toy_paused_while_waiting_and_played_again_keeps_its_place_in_the_queue()
    {
        var scheduler = Scheduler(slots: 1);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);
        await using var toy = new ToyRun(scheduler, "my-browser", Small);
        await toy.PlayAsync();
        var later = new HeldRun("a-third-browser");
        scheduler.Enqueue(later);
        Assert.Equal(1, toy.QueuePosition);

        await toy.PauseAsync();
        Assert.Equal(1, scheduler.QueuePosition(later));
        await toy.PlayAsync();

        Assert.Equal(1, toy.QueuePosition);
        Assert.Equal(2, scheduler.QueuePosition(later));
        await scheduler.WithdrawAsync(later);
        imageRun.Finish();
    }

    [Fact]
    public async Task A_playing_toy_hands_its_slot_to_a_waiting_run_after_a_slice_not_after_a_quantum()
    {
        var scheduler = Scheduler(slots: 1);
        await using var toy = new ToyRun(scheduler, "my-browser", Small);
        await toy.PlayAsync();
        WaitFor(() => scheduler.StateOf(toy) == ScheduleState.Running, "the toy starts");

        // The quantum is 10 s and nobody rotates slices here: only the toy's own yield can let the other run in.
        var other = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);

        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(toy));
        Assert.Equal(ToyRunStatus.Playing, toy.Status);
        other.Finish();
        await toy.PauseAsync();
    }

    [Fact]
    public async Task Each_step_button_trains_one_step_of_its_kind_through_the_scheduler()
    {
        var scheduler = Scheduler();
        await using var toy = new ToyRun(scheduler, "my-browser", Small);

        await toy.StepAsync(ToyStep.Discriminator);
        WaitFor(() => toy.Status == ToyRunStatus.Paused, "the D step ends");
        var afterD = toy.LastFrame!;
        Assert.Equal(1, afterD.Progress.Step);
        Assert.True(double.IsNaN(afterD.Progress.GradientNormG), "a D step must not update G");

        await toy.StepAsync(ToyStep.Generator);
        WaitFor(() => toy.Status == ToyRunStatus.Paused && toy.LastFrame!.Progress.Step == 2, "the G step ends");
        Assert.True(double.IsNaN(toy.LastFrame!.Progress.GradientNormD), "a G step must not update D");
        // Only G moved between the two frames: the fixed real points are the same, G's points are not.
        Assert.Equal(afterD.View.Real, toy.LastFrame.View.Real);
        Assert.NotEqual(afterD.View.Fake, toy.LastFrame.View.Fake);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(toy));
    }

    [Fact]
    public async Task Steps_pressed_as_soon_as_the_last_one_shows_paused_each_train_once()
    {
        // Paused must mean the scheduler has let go: a step queued while it still held the run would be dropped.
        var scheduler = Scheduler();
        await using var toy = new ToyRun(scheduler, "my-browser", Small);
        for (var step = 1; step <= 10; step++)
        {
            await toy.StepAsync(ToyStep.Both);
            Assert.Equal(ToyRunStatus.Stepping, toy.Status);
            WaitFor(() => toy.Status == ToyRunStatus.Paused, $"step {step} ends");
            Assert.Equal(step, toy.LastFrame!.Progress.Step);
        }
    }

    [Fact]
    public async Task A_browser_past_its_share_is_refused_with_the_reason_and_the_toy_stays_as_it_was()
    {
        var scheduler = Scheduler(slots: 1, perBrowser: 1);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "my-browser", Patience);
        await using var toy = new ToyRun(scheduler, "my-browser", Small);

        await toy.PlayAsync();

        Assert.Equal(ToyRunStatus.Idle, toy.Status);
        Assert.Contains("the most one browser may have (1)", toy.Refusal);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(toy));

        imageRun.Finish();
        WaitFor(() => scheduler.RunningCount == 0, "the image run leaves");
        await toy.StepAsync(ToyStep.Both);
        Assert.Null(toy.Refusal);
        WaitFor(() => toy.Status == ToyRunStatus.Paused, "the step runs once there is room");
    }

    [Fact]
    public async Task Reset_and_disposal_free_the_networks_and_leave_the_queue()
    {
        var scheduler = Scheduler();
        var toy = new ToyRun(scheduler, "my-browser", Small);
        await toy.PlayAsync();
        WaitFor(() => toy.LastFrame is not null, "the toy trains");

        await toy.ResetAsync();
        Assert.Equal(ToyRunStatus.Idle, toy.Status);
        Assert.False(toy.HoldsNetworks);
        Assert.Null(toy.LastFrame);

        await toy.PlayAsync();
        WaitFor(() => toy.HoldsNetworks, "the toy trains again");
        await toy.DisposeAsync();
        Assert.False(toy.HoldsNetworks);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(toy));
        Assert.Equal(0, scheduler.RunningCount + scheduler.QueuedCount);
    }

    [Fact]
    public async Task A_diverging_toy_stops_with_a_message_naming_the_step_and_the_learning_rate_and_frees_its_slot()
    {
        // Least squares with SGD at lr 1 overflows within a few steps on this seed (measured: step 3).
        var scheduler = Scheduler();
        await using var toy = new ToyRun(scheduler, "my-browser", Small with { Loss = "least-squares", Optimizer = "sgd", LearningRate = 1 });

        await toy.PlayAsync();

        WaitFor(() => toy.Status == ToyRunStatus.Failed, "the run fails");
        Assert.Matches(@"^training diverged at step \d+: Loss_D = .*this run used 1\)", toy.FaultMessage);
        Assert.EndsWith("then press Reset.", toy.FaultMessage);
        WaitFor(() => scheduler.StateOf(toy) == ScheduleState.None, "a failed run leaves the scheduler");

        await toy.PlayAsync();
        Assert.Equal(ToyRunStatus.Failed, toy.Status);
        await toy.ResetAsync();
        Assert.Equal(ToyRunStatus.Idle, toy.Status);
        Assert.Null(toy.FaultMessage);
    }

    [Fact]
    public async Task A_toy_is_on_record_from_its_first_play_with_each_status_once_and_reset_starts_a_new_run()
    {
        var scheduler = Scheduler(slots: 1);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);
        await using var toy = new ToyRun(scheduler, "my-browser", Small) { Component = "toy-2d" };
        var written = new ConcurrentQueue<RunRecord>();
        toy.RecordChanged += written.Enqueue;
        Assert.Null(toy.Record);

        await toy.PlayAsync();
        Assert.Equal(RunStatus.Queued, toy.LiveStatus);
        var queued = Assert.Single(written);
        Assert.Equal((RunKind.Toy, "toy-2d", "ring-8", "my-browser"), (queued.Kind, queued.Options.Model, queued.Options.Dataset, queued.BrowserId));
        Assert.Null(queued.StartedUtc);

        imageRun.Finish();
        WaitFor(() => toy.LastFrame is { Progress.Step: > 1 }, "the toy trains, slice after slice");
        await toy.PauseAsync();
        var first = toy.Record!;
        // Written when the status changed, not at every slice the toy handed back.
        Assert.Equal([RunStatus.Queued, RunStatus.Running, RunStatus.Paused], written.Select(r => r.Status));
        Assert.All(written, r => Assert.Equal(first.Id, r.Id));
        Assert.NotNull(first.StartedUtc);
        Assert.Equal(toy.LastFrame!.Progress.Step, first.Steps);
        Assert.Equal(toy.Options, first.ToyOptions);

        await toy.ResetAsync();
        Assert.Equal((RunStatus.Cancelled, "Reset by the student."), (written.Last().Status, written.Last().Fault));
        Assert.NotNull(written.Last().FinishedUtc);
        Assert.Null(toy.Record);

        await toy.StepAsync(ToyStep.Both);
        WaitFor(() => toy.Status == ToyRunStatus.Paused, "the step ends");
        Assert.NotEqual(first.Id, toy.Record!.Id);
        Assert.Equal(RunStatus.Paused, toy.Record.Status);
        Assert.Equal(1, toy.Record.Steps);
    }

    [Fact]
    public async Task A_toy_ended_from_outside_frees_its_networks_tells_the_student_and_goes_on_record_as_ended()
    {
        var scheduler = Scheduler();
        await using var toy = new ToyRun(scheduler, "my-browser", Small);
        var written = new ConcurrentQueue<RunRecord>();
        toy.RecordChanged += written.Enqueue;
        await toy.PlayAsync();
        WaitFor(() => toy.HoldsNetworks, "the toy trains");

        await toy.EndAsync(RunStatus.Cancelled, "Cancelled by the instructor.");

        Assert.Equal(ToyRunStatus.Failed, toy.Status);
        Assert.Equal("Cancelled by the instructor. Press Reset to start again.", toy.FaultMessage);
        Assert.False(toy.HoldsNetworks);
        Assert.Equal(ScheduleState.None, scheduler.StateOf(toy));
        Assert.Equal((RunStatus.Cancelled, "Cancelled by the instructor."), (written.Last().Status, written.Last().Fault));
        Assert.Equal(RunStatus.Cancelled, toy.LiveStatus);

        // Ended is ended: nothing more is written, and Reset gives a fresh toy.
        var count = written.Count;
        await toy.EndAsync(RunStatus.Interrupted, "again");
        await toy.ResetAsync();
        Assert.Equal(count, written.Count);
        Assert.Equal(ToyRunStatus.Idle, toy.Status);
    }

    [Fact]
    public async Task A_refused_play_puts_nothing_on_record_and_a_failed_or_closed_toy_says_how_it_ended()
    {
        var scheduler = Scheduler(slots: 1, perBrowser: 1);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "my-browser", Patience);
        var written = new ConcurrentQueue<RunRecord>();
        await using (var refused = new ToyRun(scheduler, "my-browser", Small))
        {
            refused.RecordChanged += written.Enqueue;
            await refused.PlayAsync();
            Assert.NotNull(refused.Refusal);
            Assert.Null(refused.Record);
        }
        Assert.Empty(written);
        imageRun.Finish();
        WaitFor(() => scheduler.RunningCount == 0, "the image run leaves");

        var diverging = new ToyRun(scheduler, "my-browser", Small with { Loss = "least-squares", Optimizer = "sgd", LearningRate = 1 });
        diverging.RecordChanged += written.Enqueue;
        await diverging.PlayAsync();
        WaitFor(() => diverging.Status == ToyRunStatus.Failed, "the run fails");
        Assert.Equal(RunStatus.Failed, written.Last().Status);
        Assert.Contains("training diverged", written.Last().Fault);
        await diverging.DisposeAsync();
        Assert.Equal(RunStatus.Failed, written.Last().Status); // closing the page does not rewrite how it ended

        var closed = new ToyRun(scheduler, "my-browser", Small);
        closed.RecordChanged += written.Enqueue;
        await closed.StepAsync(ToyStep.Both);
        WaitFor(() => closed.Status == ToyRunStatus.Paused, "the step ends");
        await closed.DisposeAsync();
        Assert.Equal((RunStatus.Cancelled, "The page was closed while the run was going."), (written.Last().Status, written.Last().Fault));
    }

    [Fact]
    public void Invalid_options_are_refused_before_anything_is_queued()
    {
        var error = Assert.Throws<ArgumentException>(() => new ToyRun(Scheduler(), "b", new ToyGanOptions { Distribution = "spiral" }));
        Assert.Contains("allowed: ring-8", error.Message);
    }

    [Fact]
    public async Task Toys_taking_turns_tell_how_often_their_turn_comes_and_stay_quiet_while_places_move()
    {
        // One toy slot for two toys; the training slot is held, so neither can borrow it.
        var scheduler = new TrainingScheduler(new SchedulerLimits(1, 3, TimeSpan.FromSeconds(10), ToySlots: 1), TimeProvider.System);
        var imageRun = await HeldRun.HoldingSlotAsync(scheduler, "a-third-browser", Patience);
        await using var mine = new ToyRun(scheduler, "my-browser", Small);
        await using var theirs = new ToyRun(scheduler, "another-browser", Small with { Seed = 7 });
        await mine.PlayAsync();
        await theirs.PlayAsync();

        // Half-second turns in turn: each comes back after about a second.
        WaitFor(() => mine.Turns is { Position: null }, "after its turns, the toy says whom it shares the slot with");
        var turns = mine.Turns!.Value;
        Assert.Equal(1, turns.OtherToys);
        Assert.InRange(turns.Every, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));

        // Every turn moves both toys' places in line; a page showing the rhythm has nothing new to draw.
        var (moves, notices) = (0, 0);
        scheduler.Changed += () => Interlocked.Increment(ref moves);
        mine.StateChanged += () => Interlocked.Increment(ref notices);
        WaitFor(() => Volatile.Read(ref moves) >= 12, "the toys take turns");
        Assert.True(Volatile.Read(ref notices) <= 1, $"{notices} re-renders asked for over {moves} queue moves");

        await theirs.PauseAsync();
        WaitFor(() => mine.Turns is null, "alone again, the toy trains without waiting and says nothing of turns");
        imageRun.Finish();
    }
}
