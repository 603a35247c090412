using GanLab.Torch;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// The hinge loss of SAGAN and BigGAN: D minimises mean relu(1 − D(x)) + mean relu(1 + D(G(z))), G minimises
/// −mean D(G(z)). D stops pushing an image once it is beyond the margin; there are no labels.
/// </summary>
public sealed class HingeLoss : IGanLoss
{
    public string Name => "hinge";
    public bool OutputIsLogit => false;
    public double DecisionThreshold => 0;
    public bool UsesTargets => false;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new((1.0 - realOutput).relu().mean(), (1.0 + fakeOutput).relu().mean());

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => -fakeOutput.mean();
}
