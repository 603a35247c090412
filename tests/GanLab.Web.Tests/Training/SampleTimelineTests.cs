using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

public class SampleTimelineTests
{
    private static SampleGridSnapshot Grid(long step) => new(step, [(byte)step]);

    [Fact]
    public void Grids_are_kept_in_order_until_the_timeline_is_full()
    {
        var timeline = new SampleTimeline(capacity: 4);
        foreach (var step in new long[] { 0, 10, 20, 20, 5, 30 }) timeline.Add(Grid(step));

        // A repeated or older grid adds nothing.
        Assert.Equal([0L, 10, 20, 30], timeline.Snapshots.Select(s => s.Step));
    }

    [Fact]
    public void A_full_timeline_thins_evenly_and_always_ends_with_the_newest_grid()
    {
        var timeline = new SampleTimeline(capacity: 8);
        for (var step = 0; step <= 1000; step += 10) timeline.Add(Grid(step));

        Assert.InRange(timeline.Count, 4, 8);
        Assert.Equal(0, timeline[0].Step);
        Assert.Equal(1000, timeline[^1].Step);
        var gaps = timeline.Snapshots.Zip(timeline.Snapshots.Skip(1), (a, b) => b.Step - a.Step).ToList();
        // Early steps stay covered: no gap is more than a few times the smallest one.
        Assert.True(gaps.Max() <= 4 * gaps[..^1].Min(), $"uneven gaps: {string.Join(", ", gaps)}");
    }
}
