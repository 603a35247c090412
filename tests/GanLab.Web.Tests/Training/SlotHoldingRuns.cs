using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

/// <summary>
/// Another browser's run that holds a scheduler slot until the test finishes it, or until the scheduler asks it to
/// yield (its quantum is up and others wait): a slot made busy on purpose, without training anything.
/// </summary>
internal sealed class HeldRun(string browserId) : ISchedulableRun
{
    private readonly TaskCompletionSource<bool> _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BrowserId { get; } = browserId;
    public RunLane Lane { get; init; } = RunLane.Training;
    public Task Started => _started.Task;
    public void Finish() => _finish.TrySetResult(true);

    /// <summary>A run of <paramref name="browserId"/> queued and, once it holds a slot, returned: a slot made busy.</summary>
    public static async Task<HeldRun> HoldingSlotAsync(TrainingScheduler scheduler, string browserId, TimeSpan patience)
    {
        var run = new HeldRun(browserId);
        scheduler.Enqueue(run);
        await run.Started.WaitAsync(patience);
        return run;
    }

    public async Task<bool> TrainSliceAsync(CancellationToken yieldRequested)
    {
        _started.TrySetResult();
        var yielded = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (yieldRequested.Register(() => yielded.TrySetResult(false)))
            return await await Task.WhenAny(_finish.Task, yielded.Task);
    }
}

/// <summary>Another browser's run that holds a slot until it is withdrawn (or asked to yield); it never finishes.</summary>
internal sealed class SlotHolder : ISchedulableRun
{
    public string BrowserId => "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee";
    public RunLane Lane { get; init; } = RunLane.Training;

    /// <summary>Holders for every slot of <paramref name="scheduler"/>, the toy slots included: nothing can start, image run or toy.</summary>
    public static List<SlotHolder> ForEverySlot(TrainingScheduler scheduler) =>
    [
        .. Enumerable.Range(0, scheduler.Limits.Slots).Select(_ => new SlotHolder()),
        .. Enumerable.Range(0, scheduler.Limits.ToySlots).Select(_ => new SlotHolder { Lane = RunLane.Toy }),
    ];

    public async Task<bool> TrainSliceAsync(CancellationToken yieldRequested)
    {
        await Task.Delay(Timeout.Infinite, yieldRequested).ContinueWith(_ => { }, TaskScheduler.Default);
        return false;
    }
}
