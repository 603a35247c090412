using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

public class ProgressBufferTests
{
    private static TrainingProgress Step(long step, double value) =>
        new(step, 0, value, 2 * value, value / 10, value / 20, value / 40, 1000, TimeSpan.FromSeconds(step));

    [Fact]
    public void A_small_batch_is_drained_point_for_point_and_only_once()
    {
        var buffer = new ProgressBuffer();
        buffer.Add(Step(1, 1.0));
        buffer.Add(Step(2, 3.0));

        var points = buffer.Drain(maxPoints: 10);

        Assert.Equal([1L, 2L], points.Select(p => p.Step));
        Assert.Equal([1.0, 3.0], points.Select(p => p.LossD));
        Assert.Equal([2.0, 6.0], points.Select(p => p.LossG));
        Assert.Empty(buffer.Drain(10));
    }

    [Fact]
    public void A_large_batch_is_averaged_into_at_most_max_points_ending_at_the_last_step()
    {
        var buffer = new ProgressBuffer();
        for (var step = 1; step <= 10; step++) buffer.Add(Step(step, step));

        var points = buffer.Drain(maxPoints: 4);

        // 10 steps into chunks of 3: (1,2,3) (4,5,6) (7,8,9) (10)
        Assert.Equal([3L, 6L, 9L, 10L], points.Select(p => p.Step));
        Assert.Equal([2.0, 5.0, 8.0, 10.0], points.Select(p => p.LossD));
        Assert.Equal([0.2, 0.5, 0.8, 1.0], points.Select(p => Math.Round(p.DOfX, 12)));
    }

    [Fact]
    public void An_undrained_buffer_stays_bounded_and_keeps_true_means()
    {
        var buffer = new ProgressBuffer(capacity: 8);
        for (var step = 1; step <= 1000; step++) buffer.Add(Step(step, step));

        Assert.InRange(buffer.Count, 1, 8);
        var points = buffer.Drain(maxPoints: 1);
        var all = Assert.Single(points);
        Assert.Equal(1000, all.Step);
        Assert.Equal(500.5, all.LossD, precision: 9);
    }
}
