using GanLab.Core.Training;
using GanLab.Web.Runs;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Runs;

/// <summary>
/// Real runs through the service, scheduler and recorder into SQLite (libtorch and the MNIST digits needed):
/// what a finished run leaves behind, what a restart makes of a run that was going, and how a server short of
/// memory parks a paused run in a checkpoint and brings it back.
/// </summary>
public class RunHistoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_finished_run_leaves_its_row_metrics_samples_and_checkpoint()
    {
        using var context = new WebTestContext();
        var run = context.Training.CreateRun(new GanTrainingOptions { MaxSteps = 5, BatchSize = 16, Seed = 11 }, WebTestContext.BrowserId);

        Assert.True(SpinWait.SpinUntil(() => run.Status.IsFinal(), Patience), "the run should finish");
        await context.Recorder.FlushAsync();

        var stored = context.Store.Find(run.Id)!;
        Assert.Equal(RunStatus.Finished, stored.Status);
        Assert.Equal(5, stored.Steps);
        Assert.Equal(5, stored.FinalMetrics!.Step);
        Assert.NotNull(stored.StartedUtc);
        Assert.NotNull(stored.FinishedUtc);
        Assert.Equal([1L, 2, 3, 4, 5], context.Store.Metrics(run.Id).Select(m => m.Step));
        Assert.Equal(5, context.Store.Snapshot(run.Id)!.Step);
        Assert.True(File.Exists(stored.CheckpointPath), "a finished run keeps its checkpoint");
        Assert.Equal(run.Options, GanTrainer.ReadCheckpointOptions(stored.CheckpointPath!));
    }

    [Fact]
    public async Task After_a_restart_a_run_that_was_training_says_it_was_interrupted_and_keeps_its_history()
    {
        using var context = new WebTestContext();
        var finished = context.Training.CreateRun(new GanTrainingOptions { MaxSteps = 3, BatchSize = 16 }, WebTestContext.BrowserId);
        Assert.True(SpinWait.SpinUntil(() => finished.Status.IsFinal(), Patience));
        var going = context.Training.CreateRun(new GanTrainingOptions { BatchSize = 16 }, WebTestContext.BrowserId);
        Assert.True(SpinWait.SpinUntil(() => going.LastProgress?.Step >= 3, Patience), "the open-ended run should train");
        // Its "running" row is written by the recorder after the status changed, which on a busy machine can come
        // after the first steps: the crash must find the row as a live server would have it by then.
        Assert.True(SpinWait.SpinUntil(() =>
        {
            context.Recorder.FlushAsync().GetAwaiter().GetResult();
            return context.Store.Find(going.Id)?.Status == RunStatus.Running;
        }, Patience), "the running run's row should say running");

        // The server dies without a word; a new one opens the same database.
        var restarted = RunDatabase.Open(context.Options, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        var interrupted = restarted.Find(going.Id)!;
        Assert.Equal(RunStatus.Interrupted, interrupted.Status);
        Assert.Contains("The server stopped while this run was running", interrupted.Fault);
        Assert.True(interrupted.Steps >= 3);
        Assert.NotEmpty(restarted.Metrics(going.Id));
        var kept = restarted.Find(finished.Id)!;
        Assert.Equal(RunStatus.Finished, kept.Status);
        Assert.Equal(3, restarted.Metrics(finished.Id).Count);
    }

    [Fact]
    public async Task With_memory_for_one_model_a_paused_run_is_parked_in_a_checkpoint_and_resumes_where_it_stood()
    {
        using var context = new WebTestContext(maxLiveRuns: 1, maxConcurrentRuns: 1);
        var first = context.Training.CreateRun(new GanTrainingOptions { BatchSize = 16, Seed = 1 }, WebTestContext.BrowserId);
        Assert.True(SpinWait.SpinUntil(() => first.LastProgress?.Step >= 3, Patience));
        await first.PauseAsync();
        var pausedAt = first.LastProgress!.Step;
        Assert.Equal(1, context.Training.LiveRuns);

        var second = context.Training.CreateRun(new GanTrainingOptions { BatchSize = 16, Seed = 2 }, WebTestContext.BrowserId);
        Assert.True(SpinWait.SpinUntil(() => second.LastProgress?.Step >= 1, Patience), "the second run should get the memory");
        Assert.Equal(1, context.Training.LiveRuns);
        Assert.True(File.Exists(first.CheckpointPath), "the paused run was saved before being freed");
        await second.PauseAsync();

        long? firstStepAfterResume = null;
        first.Progress += p => firstStepAfterResume ??= p.Step;
        await first.ResumeAsync();
        Assert.True(SpinWait.SpinUntil(() => firstStepAfterResume is not null, Patience), "the parked run should train on");
        Assert.Equal(pausedAt + 1, firstStepAfterResume); // from its checkpoint, not from fresh weights
        Assert.Equal(1, context.Training.LiveRuns);
        await first.EndAsync(RunStatus.Cancelled, "test over");
        Assert.False(File.Exists(Path.Combine(context.Training.CheckpointFolder, $"{first.Id}.ganlab")), "an ended run's parking checkpoint is deleted");
    }

    [Fact]
    public async Task The_instructor_can_cancel_any_run_and_it_says_so()
    {
        using var context = new WebTestContext();
        var run = context.Training.CreateRun(new GanTrainingOptions { BatchSize = 16 }, "fedcba9876543210fedcba9876543210");
        Assert.True(SpinWait.SpinUntil(() => run.Status == RunStatus.Running, Patience));

        await context.Training.FindActive(run.Id)!.EndAsync(RunStatus.Cancelled, "Cancelled by the instructor.");
        await context.Recorder.FlushAsync();

        Assert.Equal(RunStatus.Cancelled, context.Store.Find(run.Id)!.Status);
        Assert.Equal("Cancelled by the instructor.", context.Store.Find(run.Id)!.Fault);
        Assert.Null(context.Training.FindActive(run.Id));
        Assert.True(SpinWait.SpinUntil(() => context.Training.LiveRuns == 0, Patience));
    }
}
