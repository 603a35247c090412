using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>
/// A comparison whose page goes away leaves its two runs to <see cref="RunReclaim"/> as one: the same block of the same
/// browser opened again takes both back, paused where they were, and its budget goes on where it stood; anyone else
/// starts fresh; nobody coming back ends both and frees their models; a comparison that had ended is not taken back.
/// Real runs (libtorch and the MNIST digits), a test clock for the grace.
/// </summary>
public class ComparisonReclaimTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const string OtherBrowser = "fedcba9876543210fedcba9876543210";
    private const string Yaml = "both:\n  batch-size: 16\nleft:\n  labels: normal\nright:\n  labels: swapped\n";

    private static readonly TrainerPlace Block = TrainerPlace.LessonBlock("what-is-a-gan", "gan-compare", Yaml, 0);
    private static readonly TrainerPlace OtherBlock = TrainerPlace.LessonBlock("what-is-a-gan", "gan-compare", Yaml, 1);

    private readonly TestClock _clock = new();

    private static GanTrainingOptions Side(string labels, long? maxSteps = null) =>
        new() { BatchSize = 16, Seed = 5, Labels = labels, MaxSteps = maxSteps };

    private static GanComparison Open(WebTestContext context, TrainerPlace? place, long? maxSteps = null, double? seconds = null,
        string browserId = WebTestContext.BrowserId) =>
        new(context.Training, null, browserId, Side("normal", maxSteps), Side("swapped", maxSteps), seconds, samples: null, place);

    private static (ServerRun Left, ServerRun Right) Runs(GanComparison comparison) => (comparison.Left.Session.Run!, comparison.Right.Session.Run!);

    /// <summary>Trains both runs a few steps, stops them and closes the page; returns the runs once they wait for it.</summary>
    private static async Task<(ServerRun Left, ServerRun Right)> TrainAndLeaveAsync(WebTestContext context, TrainerPlace place, long? maxSteps = null)
    {
        var comparison = Open(context, place, maxSteps);
        await comparison.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => comparison.Sides.All(s => s.Session.LastProgress?.Step >= 3), Patience), "both runs should train");
        var runs = Runs(comparison);
        await comparison.StopAsync();
        comparison.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Count == 2, Patience), "both runs should wait for their page");
        return runs;
    }

    [Fact]
    public async Task The_same_block_of_the_same_browser_takes_back_both_runs_paused_and_trains_both_on()
    {
        using var context = new WebTestContext(clock: _clock);
        var comparison = Open(context, Block);
        await comparison.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => comparison.Sides.All(s => s.Session.LastProgress?.Step >= 3), Patience), "both runs should train");
        var (left, right) = Runs(comparison);
        // Not stopped first: closing the page pauses both by itself.
        comparison.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Count == 2, Patience), "both runs should wait for their page");
        Assert.Equal((RunStatus.Paused, RunStatus.Paused), (left.Status, right.Status));
        var (leftAt, rightAt) = (left.LastProgress!.Step, right.LastProgress!.Step);
        Assert.Equal(2, context.Training.LiveRuns); // weights kept for the page's return

        using var reloaded = Open(context, Block);

        Assert.True(reloaded.Adopted);
        Assert.Same(left, reloaded.Left.Session.Run);
        Assert.Same(right, reloaded.Right.Session.Run);
        Assert.Same(left, reloaded.Left.Session.Adopted);
        Assert.Equal("swapped", reloaded.Right.Session.Options.Labels);
        Assert.Empty(context.Training.Reclaim.Kept);
        // The final table's means cover the steps trained before the reload too (read back from the runs database).
        await context.Recorder.FlushAsync();
        var stored = (int)Math.Min(context.Store.MetricCount(left.Id), ComparisonSide.FinalWindow);
        Assert.True(SpinWait.SpinUntil(() => reloaded.Left.RecentMeans()?.Steps == stored, Patience),
            $"the left side's means should cover its {stored} stored steps, not {reloaded.Left.RecentMeans()?.Steps}");

        await reloaded.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => left.LastProgress!.Step > leftAt && right.LastProgress!.Step > rightAt, Patience),
            "Resume should train both on from their weights");
        Assert.Equal(2, context.Training.ActiveRuns.Count);
    }

    [Fact]
    public async Task Another_browser_another_block_or_a_comparison_without_a_place_starts_fresh()
    {
        using var context = new WebTestContext(clock: _clock);
        var (left, right) = await TrainAndLeaveAsync(context, Block);
        // A trainer at the comparison's place takes nothing either: a comparison's runs go back only together.
        using var trainer = context.Training.OpenSession(Side("normal"), WebTestContext.BrowserId, Block);

        using var otherBrowser = Open(context, Block, browserId: OtherBrowser);
        using var otherBlock = Open(context, OtherBlock);
        using var noPlace = Open(context, place: null);

        Assert.Null(trainer.Run);
        Assert.All([otherBrowser, otherBlock, noPlace], c =>
        {
            Assert.False(c.Adopted);
            Assert.All(c.Sides, s => Assert.Null(s.Session.Run));
        });
        Assert.Equal([left, right], context.Training.Reclaim.Kept);
    }

    [Fact]
    public async Task Nobody_coming_back_ends_both_runs_when_the_grace_is_over_and_frees_their_models()
    {
        using var context = new WebTestContext(clock: _clock, runReclaimGraceSeconds: 180);
        var (left, right) = await TrainAndLeaveAsync(context, Block);
        Assert.Equal(2, context.Training.LiveRuns);

        _clock.Advance(TimeSpan.FromSeconds(179));
        Assert.Equal((RunStatus.Paused, RunStatus.Paused), (left.Status, right.Status));

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.True(SpinWait.SpinUntil(() => left.Status.IsFinal() && right.Status.IsFinal(), Patience), "the grace is over: both should end");
        Assert.Equal((RunStatus.Cancelled, RunStatus.Cancelled), (left.Status, right.Status));
        Assert.Contains("not opened again within 3 min", right.FaultMessage);
        Assert.True(SpinWait.SpinUntil(() => context.Training.LiveRuns == 0, Patience), "the ended runs' models should be freed");
        Assert.Empty(context.Training.Reclaim.Kept);
        Assert.Equal(0, _clock.ActiveTimers);

        using var tooLate = Open(context, Block);
        Assert.False(tooLate.Adopted);
        Assert.Null(tooLate.Left.Session.Run);
    }

    [Fact]
    public async Task A_comparison_whose_runs_both_ended_is_not_taken_back_and_both_stay_on_record()
    {
        using var context = new WebTestContext(clock: _clock);
        var comparison = Open(context, Block, maxSteps: 3);
        await comparison.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => comparison.BothEnded, Patience), "both runs should finish");
        var (left, right) = Runs(comparison);
        comparison.Dispose();

        using var reloaded = Open(context, Block, maxSteps: 3);

        Assert.False(reloaded.Adopted);
        Assert.All(reloaded.Sides, s => Assert.Null(s.Session.Run));
        Assert.Empty(context.Training.Reclaim.Kept);
        await context.Recorder.FlushAsync();
        Assert.Equal(RunStatus.Finished, context.Store.Find(left.Id)!.Status);
        Assert.Equal(RunStatus.Finished, context.Store.Find(right.Id)!.Status);
    }

    [Fact]
    public async Task A_side_that_finished_comes_back_with_its_paused_partner_and_resume_trains_only_the_partner()
    {
        using var context = new WebTestContext(clock: _clock);
        var comparison = Open(context, Block, maxSteps: 40);
        await comparison.StartAsync();
        // The left side spends its budget; the right is stopped before it does.
        await comparison.Right.Session.StopAsync();
        Assert.True(SpinWait.SpinUntil(() => comparison.Left.Session.Status == RunStatus.Finished, Patience), "the left run should finish");
        var (left, right) = Runs(comparison);
        Assert.Equal(RunStatus.Paused, right.Status);
        var rightAt = right.LastProgress?.Step ?? 0;
        comparison.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Contains(right), Patience), "the paused side should wait for its page");

        using var reloaded = Open(context, Block, maxSteps: 40);

        Assert.True(reloaded.Adopted);
        Assert.Same(left, reloaded.Left.Session.Run);
        Assert.Same(right, reloaded.Right.Session.Run);
        Assert.False(reloaded.BothEnded);
        await reloaded.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => reloaded.BothEnded, Patience), "the right run should train to its budget");
        Assert.Equal((RunStatus.Finished, 40L), (right.Status, right.LastProgress!.Step));
        Assert.True(right.LastProgress.Step > rightAt);
        Assert.Equal(40L, left.LastProgress!.Step); // the finished side did not train again
    }

    [Fact]
    public async Task A_taken_back_time_budget_goes_on_where_it_stood_instead_of_starting_again()
    {
        using var context = new WebTestContext(clock: _clock);
        const double budget = 2;
        var comparison = Open(context, Block, seconds: budget);
        await comparison.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => comparison.Left.Session.LastProgress?.Elapsed.TotalSeconds >= budget / 2, Patience),
            "the left run should train half its budget");
        await comparison.StopAsync();
        var (left, right) = Runs(comparison);
        var leftSpent = left.LastProgress!.Elapsed.TotalSeconds;
        Assert.True(leftSpent < budget, $"the left run stopped after {leftSpent:0.00} s, past its budget: the test needs it to stop before");
        comparison.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Count == 2, Patience), "both runs should wait for their page");

        using var reloaded = Open(context, Block, seconds: budget);
        Assert.True(reloaded.Adopted);
        await reloaded.StartAsync();

        Assert.True(SpinWait.SpinUntil(() => reloaded.BothEnded, Patience), "both runs should spend their budgets");
        Assert.Equal((RunStatus.Finished, RunStatus.Finished), (left.Status, right.Status));
        Assert.Contains("budget of 2 s of training", left.FaultMessage);
        // The budget was judged on the run's own training clock, which went on from where it stood: the step that ended
        // the run is the first recorded at 2 s or more. (Its final time may be later: ending waits for the training thread.)
        var endedAt = long.Parse(System.Text.RegularExpressions.Regex.Match(left.FaultMessage!, @"at step ([\d,]+)").Groups[1].Value.Replace(",", ""));
        await context.Recorder.FlushAsync();
        var metrics = context.Store.Metrics(left.Id).ToDictionary(m => m.Step);
        Assert.True(metrics[endedAt - 1].Elapsed.TotalSeconds < budget && metrics[endedAt].Elapsed.TotalSeconds >= budget,
            $"the run ended at step {endedAt}, {metrics[endedAt].Elapsed.TotalSeconds:0.00} s into its training, after "
            + $"{metrics[endedAt - 1].Elapsed.TotalSeconds:0.00} s at the step before; it had trained {leftSpent:0.00} s before the reload");
    }

    [Fact]
    public async Task A_comparison_opened_before_its_old_page_let_go_receives_both_runs_when_it_does()
    {
        using var context = new WebTestContext(clock: _clock);
        var old = Open(context, Block);
        await old.StartAsync();
        var (left, right) = Runs(old);
        using var reloaded = Open(context, Block);
        var adopted = 0;
        reloaded.RunsAdopted += () => Interlocked.Increment(ref adopted);
        Assert.False(reloaded.Adopted);

        old.Dispose();

        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref adopted) > 0, Patience), "the waiting comparison should receive both runs");
        Assert.True(reloaded.Adopted);
        Assert.Same(left, reloaded.Left.Session.Run);
        Assert.Same(right, reloaded.Right.Session.Run);
        Assert.Equal(1, adopted);
        Assert.True(SpinWait.SpinUntil(() => left.Status == RunStatus.Paused && right.Status == RunStatus.Paused, Patience));
        Assert.Empty(context.Training.Reclaim.Kept);
    }

    [Fact]
    public async Task A_browser_keeps_no_more_closed_pages_runs_than_it_may_have_runs_and_a_comparison_counts_two()
    {
        using var context = new WebTestContext(maxRunsPerBrowser: 2, clock: _clock);
        var trainer = context.Training.OpenSession(Side("normal"), WebTestContext.BrowserId,
            TrainerPlace.LessonBlock("what-is-a-gan", "gan-trainer", "batch-size: 16\n", 0));
        await trainer.StartAsync();
        var trainerRun = trainer.Run!;
        await trainer.StopAsync();
        trainer.Dispose();
        Assert.True(SpinWait.SpinUntil(() => context.Training.Reclaim.Kept.Contains(trainerRun), Patience));

        var (left, right) = await TrainAndLeaveAsync(context, Block);

        // Three runs waiting, two allowed: the older trainer's run ends, the comparison keeps both of its own.
        Assert.True(SpinWait.SpinUntil(() => trainerRun.Status.IsFinal(), Patience), "the oldest kept run should end");
        Assert.Equal([left, right], context.Training.Reclaim.Kept);
    }
}
