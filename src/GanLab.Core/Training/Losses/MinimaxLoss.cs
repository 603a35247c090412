using GanLab.Torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// The saturating game of the GAN paper's value function: D as in the non-saturating loss, but G minimises
/// log(1 − D(G(z))), written −BCE(D(G(z)), fake label). When D rejects G's images, this gradient vanishes:
/// the lesson shows why the paper recommends the non-saturating form instead.
/// </summary>
public sealed class MinimaxLoss : IGanLoss
{
    public string Name => "minimax";
    public bool OutputIsLogit => true;
    public double DecisionThreshold => 0;
    public bool UsesTargets => true;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new(F.binary_cross_entropy_with_logits(realOutput, targets.Real), F.binary_cross_entropy_with_logits(fakeOutput, targets.Fake));

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => -F.binary_cross_entropy_with_logits(fakeOutput, targets.GeneratorAvoid);
}
