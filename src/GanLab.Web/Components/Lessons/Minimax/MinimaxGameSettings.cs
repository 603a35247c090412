using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons.Toys;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```minimax-game block: the value V(D, G) of a live toy run against −log 4 and −log 4 + 2·JSD,
/// beside the saturating and non-saturating generator losses. Defaults to the 1-D mixture, whose JSD the grid
/// estimates closely; 2-D distributions work too.
/// </summary>
public sealed class MinimaxGameSettings : ToyRunSettings
{
    /// <summary>The losses whose D is a probability of "real", for which V(D, G) = E log D(x) + E log(1 − D(G(z))) is defined.</summary>
    public static IReadOnlyList<string> WithValue { get; } = ["non-saturating", "minimax"];

    public MinimaxGameSettings()
    {
        Distribution = "two-gaussians-1d";
        LatentSize = 1;
    }

    public override IReadOnlyList<string> Distributions => ToyDistributions.Names;

    public override IReadOnlyList<string> Losses => WithValue;

    protected override string ComponentName => "minimax-game";

    protected override string DistributionReason => "";

    protected override string LossReason => "V(D, G) needs D to be a probability of 'real', which only the log-loss (BCE) GANs train";
}
