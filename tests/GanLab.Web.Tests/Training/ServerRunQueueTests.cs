using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>An image run's Stop and Train against the real service while every slot is held: no model is ever built.</summary>
public class ServerRunQueueTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_image_run_stopped_while_queued_and_resumed_is_back_in_its_place_ahead_of_a_later_one()
    {
        var holders = Enumerable.Range(0, Training.Scheduler.Limits.Slots).Select(_ => new SlotHolder()).ToList();
        foreach (var holder in holders) Training.Scheduler.Enqueue(holder);
        var mine = Training.CreateRun(new GanTrainingOptions { BatchSize = 16 }, "11111111111111111111111111111111");
        var later = Training.CreateRun(new GanTrainingOptions { BatchSize = 16 }, "22222222222222222222222222222222");
        Assert.Equal((1, 2), (mine.QueuePosition, later.QueuePosition));

        await mine.PauseAsync().WaitAsync(Patience);
        Assert.Equal((RunStatus.Paused, 1), (mine.Status, later.QueuePosition));
        await mine.ResumeAsync().WaitAsync(Patience);

        Assert.Equal(RunStatus.Queued, mine.Status);
        Assert.Equal((1, 2), (mine.QueuePosition, later.QueuePosition));

        // Reset forgets the place: trained again, a run queues behind those already waiting.
        await mine.EndAsync(RunStatus.Cancelled, "Reset by the student.");
        Assert.Equal(0, Training.Scheduler.KeptPlaces);
        await later.EndAsync(RunStatus.Cancelled, "Reset by the student.");
        foreach (var holder in holders) await Training.Scheduler.WithdrawAsync(holder);
    }
}
