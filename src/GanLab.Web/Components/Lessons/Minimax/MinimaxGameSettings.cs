using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons.Toys;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```minimax-game block: the value V(D, G) of a live toy run against −log 4 and −log 4 + 2·JSD,
/// beside the saturating and non-saturating generator losses. Defaults to one Gaussian on a line (the GAN paper's
/// figure 1), where G can match the data and V settles at −log 4 with V(D*, G) just above it; on two-gaussians-1d a
/// 1-D z must bridge the modes, and V(D, G) near −log 4 beside a much higher V(D*, G) shows a D that gave up, not a
/// good G. 2-D distributions work too (their JSD is measured on a 64×64 grid).
/// </summary>
public sealed class MinimaxGameSettings : ToyRunSettings
{
    /// <summary>The losses whose D is a probability of "real", for which V(D, G) = E log D(x) + E log(1 − D(G(z))) is defined.</summary>
    public static IReadOnlyList<string> WithValue { get; } = ["non-saturating", "minimax"];

    public MinimaxGameSettings()
    {
        Distribution = "gaussian-1d";
        LatentSize = 1;
    }

    public override IReadOnlyList<string> Distributions => ToyDistributions.Names;

    public override IReadOnlyList<string> Losses => WithValue;

    protected override string ComponentName => "minimax-game";

    protected override string DistributionReason => "";

    protected override string LossReason => "V(D, G) needs D to be a probability of 'real', which only the log-loss (BCE) GANs train";
}
