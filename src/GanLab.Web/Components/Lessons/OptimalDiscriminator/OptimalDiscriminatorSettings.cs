using GanLab.Web.Components.Lessons.Toys;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of an ```optimal-discriminator block: a GAN on 1-D data, drawn beside the best D for its current G,
/// D*(x) = p_data(x) / (p_data(x) + p_g(x)). The defaults learn two separated bumps with a 1-D z, where mode
/// collapse and D* are both easy to see.
/// </summary>
public sealed class OptimalDiscriminatorSettings : ToyRunSettings
{
    public static IReadOnlyList<string> OneDimensional { get; } = ["gaussian-1d", "two-gaussians-1d"];

    /// <summary>The losses whose D is trained towards targets, so that D* = p_data / (p_data + p_g) is its optimum.</summary>
    public static IReadOnlyList<string> WithOptimalDiscriminator { get; } = ["non-saturating", "minimax", "least-squares"];

    public OptimalDiscriminatorSettings()
    {
        Distribution = "two-gaussians-1d";
        LatentSize = 1;
    }

    public override IReadOnlyList<string> Distributions => OneDimensional;

    public override IReadOnlyList<string> Losses => WithOptimalDiscriminator;

    protected override string ComponentName => "optimal-discriminator";

    protected override string DistributionReason => "it draws densities on a line (use toy-2d for 2-D data)";

    protected override string LossReason => "its D is a critic or margin score, not trained towards labels, so it has no D* = p_data / (p_data + p_g)";
}
