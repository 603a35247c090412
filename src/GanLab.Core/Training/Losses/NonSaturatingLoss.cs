using GanLab.Torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// Goodfellow et al.'s practical loss: D minimises BCE on real and fake; G maximises log D(G(z)), i.e. minimises
/// BCE(D(G(z)), 1). Strong gradients for G early on, when D rejects its images easily.
/// </summary>
public sealed class NonSaturatingLoss : IGanLoss
{
    public string Name => "non-saturating";
    public bool OutputIsLogit => true;
    public double DecisionThreshold => 0;
    public bool UsesTargets => true;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new(F.binary_cross_entropy_with_logits(realOutput, targets.Real), F.binary_cross_entropy_with_logits(fakeOutput, targets.Fake));

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => F.binary_cross_entropy_with_logits(fakeOutput, targets.GeneratorAim);
}
