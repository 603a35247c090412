using GanLab.Web.Components.Lessons.Toys;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```toy-2d block: a GAN Lab-style view of a small GAN learning 2-D points. The defaults are the
/// measured lesson preset: ring-8, non-saturating loss, G z(2) → 32 → 32 → 2, batch 256, Adam 1e-3, which covers
/// all eight modes within about half a minute of play on a 2-core server.
/// </summary>
public sealed class Toy2DSettings : ToyRunSettings
{
    public static IReadOnlyList<string> TwoDimensional { get; } = ["ring-8", "grid-25", "swiss-roll", "two-moons"];

    public override IReadOnlyList<string> Distributions => TwoDimensional;

    protected override string ComponentName => "toy-2d";

    protected override string DistributionReason => "it draws 2-D points, and this distribution lies on a line (use optimal-discriminator for 1-D data)";

    protected override string LossReason => "";
}
