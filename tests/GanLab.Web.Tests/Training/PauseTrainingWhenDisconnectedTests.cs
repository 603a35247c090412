using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

public class PauseTrainingWhenDisconnectedTests
{
    [Fact]
    public async Task A_dropped_connection_pauses_the_tabs_runs_and_keeps_their_weights()
    {
        using var context = new WebTestContext();
        using var session = context.Training.OpenSession(new GanTrainingOptions { Seed = 5 }, WebTestContext.BrowserId);
        context.Circuit.Track(session);
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step > 3, TimeSpan.FromSeconds(60)), "the run should train");

        await new PauseTrainingWhenDisconnected(context.Circuit).OnConnectionDownAsync(null!, CancellationToken.None);

        Assert.Equal(RunStatus.Paused, session.Status);
        var pausedAt = session.LastProgress!.Step;
        await Task.Delay(300);
        Assert.Equal(pausedAt, session.LastProgress!.Step);
        Assert.Equal(1, context.Training.LiveRuns); // paused, not freed: Resume continues if the learner returns
    }

    [Fact]
    public async Task An_untracked_session_is_left_alone()
    {
        using var context = new WebTestContext();
        using var session = context.Training.OpenSession(new GanTrainingOptions { Seed = 6 }, WebTestContext.BrowserId);
        context.Circuit.Track(session);
        context.Circuit.Untrack(session);
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step > 0, TimeSpan.FromSeconds(60)));

        await context.Circuit.PauseAllAsync();

        Assert.Equal(RunStatus.Running, session.Status);
    }
}

public class LetFinishSurvivesADroppedConnectionTests
{
    [Fact]
    public async Task A_run_left_to_finish_keeps_training_when_the_connection_drops()
    {
        using var context = new WebTestContext();
        using var session = context.Training.OpenSession(new GanTrainingOptions { Seed = 7, MaxSteps = 100_000 }, WebTestContext.BrowserId);
        session.LetFinish = true;
        context.Circuit.Track(session);
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step > 0, TimeSpan.FromSeconds(60)));

        await context.Circuit.PauseAllAsync();

        Assert.Equal(RunStatus.Running, session.Status);
    }
}
