using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

/// <summary>What each label mode puts in D's and G's targets: the part of GAN training learners confuse most.</summary>
public class LabelTests
{
    private static readonly Device Cpu = Device.CPU;

    private static (float[] Real, float[] Fake, float[] Aim, float[] Avoid) Draw(GanTrainingOptions options, bool forGenerator = false)
    {
        using var scope = NewDisposeScope();
        using var random = new GanLab.Torch.Generator(3);
        using var labels = new GanLabels(options with { BatchSize = 1000 }, Cpu, random);
        var t = forGenerator ? labels.ForGenerator() : labels.ForDiscriminator();
        return (t.Real.ToFloatArray(), t.Fake.ToFloatArray(), t.GeneratorAim.ToFloatArray(), t.GeneratorAvoid.ToFloatArray());
    }

    [Fact]
    public void Normal_labels_are_the_real_and_fake_labels_and_G_aims_at_one()
    {
        var t = Draw(new GanTrainingOptions { RealLabel = 0.9, FakeLabel = 0.1 });
        Assert.All(t.Real, v => Assert.Equal(0.9f, v));
        Assert.All(t.Fake, v => Assert.Equal(0.1f, v));
        Assert.All(t.Aim, v => Assert.Equal(1f, v));
        Assert.All(t.Avoid, v => Assert.Equal(0.1f, v));
    }

    [Fact]
    public void Noisy_labels_are_drawn_per_image_in_their_ranges()
    {
        var t = Draw(new GanTrainingOptions { Labels = "noisy" });
        Assert.All(t.Real, v => Assert.InRange(v, 0.7f, 1.2f));
        Assert.All(t.Fake, v => Assert.InRange(v, 0f, 0.3f));
        Assert.True(t.Real.Distinct().Count() > 900, "fresh per image");
        Assert.All(t.Aim, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Flip_swaps_about_the_given_share_of_D_targets_only()
    {
        var t = Draw(new GanTrainingOptions { Labels = "flip", FlipProbability = 0.2, RealLabel = 1.0 });
        Assert.All(t.Real.Concat(t.Fake), v => Assert.True(v is 0f or 1f));
        Assert.InRange(t.Real.Count(v => v == 0f), 150, 250); // 20 % of 1000, within ±5 standard deviations of 12.6
        Assert.InRange(t.Fake.Count(v => v == 1f), 150, 250);
        Assert.All(t.Aim, v => Assert.Equal(1f, v));
    }

    [Fact]
    public void Swapped_exchanges_the_labels_for_D_and_G_but_swapped_d_only_for_D_alone()
    {
        var options = new GanTrainingOptions { RealLabel = 1.0, FakeLabel = 0 };
        var swappedD = Draw(options with { Labels = "swapped" });
        var swappedG = Draw(options with { Labels = "swapped" }, forGenerator: true);
        Assert.All(swappedD.Real, v => Assert.Equal(0f, v));
        Assert.All(swappedD.Fake, v => Assert.Equal(1f, v));
        Assert.All(swappedG.Aim, v => Assert.Equal(0f, v));   // G aims at the fake label ...
        Assert.All(swappedG.Avoid, v => Assert.Equal(1f, v)); // ... and, for minimax, away from the real one

        var dOnlyD = Draw(options with { Labels = "swapped-d-only" });
        var dOnlyG = Draw(options with { Labels = "swapped-d-only" }, forGenerator: true);
        Assert.All(dOnlyD.Real, v => Assert.Equal(0f, v));
        Assert.All(dOnlyD.Fake, v => Assert.Equal(1f, v));
        Assert.All(dOnlyG.Aim, v => Assert.Equal(1f, v));     // G still aims at 'real': it now agrees with D
    }
}
