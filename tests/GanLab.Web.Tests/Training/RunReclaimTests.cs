using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>
/// A page that goes away leaves its trainer's run to <see cref="RunReclaim"/>: the same trainer of the same browser
/// opened again takes it back (a reload); anyone else starts fresh; a run nobody takes back ends when the grace is over
/// and its model is freed. Real runs (libtorch and the MNIST digits), a test clock for the grace.
/// </summary>
public class RunReclaimTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private const string OtherBrowser = "fedcba9876543210fedcba9876543210";

    private static readonly TrainerPlace Block = TrainerPlace.LessonBlock("what-is-a-gan", "gan-trainer", "model: mlp-gan\nbatch-size: 16\n", 0);
    private static readonly TrainerPlace OtherBlock = TrainerPlace.LessonBlock("what-is-a-gan", "gan-trainer", "model: mlp-gan\nbatch-size: 16\n", 1);

    private readonly TestClock _clock = new();

    private static GanTrainingOptions Small(int seed = 1, long? maxSteps = null) => new() { BatchSize = 16, Seed = seed, MaxSteps = maxSteps };

    /// <summary>Trains a trainer at <paramref name="place"/> a few steps, pauses it (unless it is left to finish) and closes its page.</summary>
    private static async Task<ServerRun> TrainAndLeaveAsync(WebTestContext context, TrainerPlace place, GanTrainingOptions options,
        bool letFinish = false, bool pauseFirst = true)
    {
        var session = context.Training.OpenSession(options, WebTestContext.BrowserId, place);
        session.LetFinish = letFinish;
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step >= 3, Patience), "the run should train");
        var run = session.Run!;
        if (pauseFirst && !letFinish) await session.StopAsync();
        session.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Contains(run) || run.Status.IsFinal(), Patience),
            "the closed page's run should be kept or ended");
        return run;
    }

    [Fact]
    public async Task The_same_trainer_of_the_same_browser_takes_back_its_paused_run_and_trains_on_from_it()
    {
        using var context = new WebTestContext(clock: _clock);
        // Not stopped first: closing the page pauses a training run by itself.
        var run = await TrainAndLeaveAsync(context, Block, Small(seed: 3), pauseFirst: false);
        Assert.Equal(RunStatus.Paused, run.Status);
        var pausedAt = run.LastProgress!.Step;
        Assert.Equal(1, context.Training.LiveRuns); // paused, weights kept for the page's return

        // The lesson block's own settings (seed 1): the run's settings (seed 3) are the ones that come back.
        using var reloaded = context.Training.OpenSession(Small(seed: 1), WebTestContext.BrowserId, Block);

        Assert.Same(run, reloaded.Run);
        Assert.Same(run, reloaded.Adopted);
        Assert.Equal(RunStatus.Paused, reloaded.Status);
        Assert.Equal(3, reloaded.Options.Seed);
        Assert.Equal(pausedAt, reloaded.LastProgress!.Step);
        Assert.Empty(context.Training.Reclaim.Kept);

        await reloaded.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => reloaded.LastProgress!.Step > pausedAt, Patience), "Resume should train on from the same weights");
        Assert.Same(run, Assert.Single(context.Training.ActiveRuns));
    }

    [Fact]
    public async Task Another_browser_another_block_or_a_trainer_without_a_place_starts_fresh()
    {
        using var context = new WebTestContext(clock: _clock);
        var run = await TrainAndLeaveAsync(context, Block, Small());

        using var otherBrowser = context.Training.OpenSession(Small(), OtherBrowser, Block);
        using var otherBlock = context.Training.OpenSession(Small(), WebTestContext.BrowserId, OtherBlock);
        using var noPlace = context.Training.OpenSession(Small(), WebTestContext.BrowserId);

        Assert.Null(otherBrowser.Run);
        Assert.Null(otherBlock.Run);
        Assert.Null(noPlace.Run);
        Assert.Same(run, Assert.Single(context.Training.Reclaim.Kept));
        Assert.Equal(RunStatus.Paused, run.Status);
    }

    [Fact]
    public async Task A_run_nobody_takes_back_ends_when_the_grace_is_over_and_its_model_is_freed()
    {
        using var context = new WebTestContext(clock: _clock, runReclaimGraceSeconds: 180);
        var run = await TrainAndLeaveAsync(context, Block, Small());
        Assert.Equal(1, context.Training.LiveRuns);

        _clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal(RunStatus.Paused, run.Status);
        Assert.Same(run, Assert.Single(context.Training.Reclaim.Kept));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(SpinWait.SpinUntil(() => run.Status.IsFinal(), Patience), "the grace is over: the run should end");
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("The page was closed and not opened again within 3 min, so the run ended; its history is kept.", run.FaultMessage);
        Assert.True(SpinWait.SpinUntil(() => context.Training.LiveRuns == 0, Patience), "the ended run's model should be freed");
        Assert.Empty(context.Training.ActiveRuns);
        Assert.Empty(context.Training.Reclaim.Kept);
        Assert.Equal(0, _clock.ActiveTimers);

        using var tooLate = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);
        Assert.Null(tooLate.Run);
        await context.Recorder.FlushAsync();
        Assert.Equal(RunStatus.Cancelled, context.Store.Find(run.Id)!.Status); // the Runs page still lists it
    }

    [Fact]
    public async Task Without_a_grace_leaving_the_page_ends_the_run_at_once()
    {
        using var context = new WebTestContext(clock: _clock, runReclaimGraceSeconds: 0);
        var run = await TrainAndLeaveAsync(context, Block, Small());

        Assert.True(SpinWait.SpinUntil(() => run.Status.IsFinal(), Patience));
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("The page was closed while the run was going.", run.FaultMessage);
        Assert.Empty(context.Training.Reclaim.Kept);
    }

    [Fact]
    public async Task A_run_left_to_finish_is_taken_back_still_training_however_late()
    {
        using var context = new WebTestContext(clock: _clock);
        var run = await TrainAndLeaveAsync(context, Block, Small(maxSteps: 1_000_000), letFinish: true);
        Assert.True(run.Status is RunStatus.Running or RunStatus.Queued, $"a run left to finish trains on, but it is {run.Status}");

        // It ends by itself: no grace applies to it.
        _clock.Advance(TimeSpan.FromHours(1));
        using var reloaded = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);

        Assert.Same(run, reloaded.Run);
        Assert.True(reloaded.Status is RunStatus.Running or RunStatus.Queued, $"the adopted run should still train, but it is {reloaded.Status}");
        Assert.True(reloaded.LetFinish);
        await reloaded.ResetAsync();
    }

    [Fact]
    public async Task A_finished_run_is_not_taken_back()
    {
        using var context = new WebTestContext(clock: _clock);
        // One finished on its page, one left to finish that finishes after its page closed.
        var finishedOnPage = context.Training.OpenSession(Small(maxSteps: 3), WebTestContext.BrowserId, Block);
        await finishedOnPage.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => finishedOnPage.Status == RunStatus.Finished, Patience));
        finishedOnPage.Dispose();
        var leftToFinish = await TrainAndLeaveAsync(context, OtherBlock, Small(maxSteps: 60), letFinish: true);
        Assert.True(SpinWait.SpinUntil(() => leftToFinish.Status.IsFinal(), Patience));
        Assert.Equal(RunStatus.Finished, leftToFinish.Status);

        using var first = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);
        using var second = context.Training.OpenSession(Small(), WebTestContext.BrowserId, OtherBlock);

        Assert.Null(first.Run);
        Assert.Null(second.Run);
        Assert.Empty(context.Training.Reclaim.Kept);
    }

    [Fact]
    public async Task With_two_tabs_of_one_lesson_only_one_holds_the_run_and_a_reload_finds_it()
    {
        using var context = new WebTestContext(clock: _clock);
        var tabA = context.Training.OpenSession(Small(seed: 1), WebTestContext.BrowserId, Block);
        await tabA.StartAsync();
        var run = tabA.Run!;

        using var tabB = context.Training.OpenSession(Small(seed: 1), WebTestContext.BrowserId, Block);
        Assert.Null(tabB.Run); // tab A holds it
        await tabB.StartAsync();
        Assert.NotSame(run, tabB.Run);

        tabA.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Contains(run), Patience));
        Assert.NotSame(run, tabB.Run); // a trainer with a run of its own inherits nothing

        using var tabAReloaded = context.Training.OpenSession(Small(seed: 1), WebTestContext.BrowserId, Block);
        Assert.Same(run, tabAReloaded.Run);
    }

    [Fact]
    public async Task A_trainer_opened_before_its_old_page_let_go_receives_the_run_when_it_does()
    {
        using var context = new WebTestContext(clock: _clock);
        var old = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);
        await old.StartAsync();
        var run = old.Run!;
        // The reloaded page is up while the old one's circuit still holds the run (its goodbye was lost).
        using var reloaded = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);
        var adopted = 0;
        reloaded.RunAdopted += () => Interlocked.Increment(ref adopted);
        Assert.Null(reloaded.Run);

        old.Dispose();

        // The run is handed over first and the event follows on the same thread: wait for the event, not the hand-over.
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref adopted) > 0, Patience), "the waiting trainer should receive the run");
        Assert.Same(run, reloaded.Run);
        Assert.Same(run, reloaded.Adopted);
        Assert.Equal(1, adopted);
        Assert.True(SpinWait.SpinUntil(() => reloaded.Status == RunStatus.Paused, Patience));
        Assert.Empty(context.Training.Reclaim.Kept);
    }

    [Fact]
    public async Task A_trainer_waits_for_its_old_page_only_as_long_as_a_dropped_tab_is_kept()
    {
        using var context = new WebTestContext(clock: _clock);
        var old = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);
        await old.StartAsync();
        var run = old.Run!;
        using var opened = context.Training.OpenSession(Small(), WebTestContext.BrowserId, Block);

        _clock.Advance(TimeSpan.FromSeconds(context.Options.DisconnectedTabSeconds + 1));
        old.Dispose();

        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Contains(run), Patience), "the run should wait for its page");
        Assert.Null(opened.Run);
    }

    [Fact]
    public async Task A_browser_keeps_no_more_closed_pages_runs_than_it_may_have_runs()
    {
        using var context = new WebTestContext(maxRunsPerBrowser: 1, clock: _clock);
        var older = await TrainAndLeaveAsync(context, Block, Small(seed: 1));
        var newer = await TrainAndLeaveAsync(context, OtherBlock, Small(seed: 2));

        Assert.True(SpinWait.SpinUntil(() => older.Status.IsFinal(), Patience), "the oldest kept run should end");
        Assert.Equal(RunStatus.Cancelled, older.Status);
        Assert.Contains("this browser left 1 newer runs waiting for their pages", older.FaultMessage);
        Assert.Same(newer, Assert.Single(context.Training.Reclaim.Kept));
        Assert.True(SpinWait.SpinUntil(() => context.Training.LiveRuns == 1, Patience), "the ended run's model should be freed");
    }
}
