using GanLab.Torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// LSGAN (Mao et al.) on D's raw output: D minimises ½(D(x) − real)² + ½(D(G(z)) − fake)², G minimises
/// ½(D(G(z)) − aim)². With real label 1 and fake label 0 this is the paper's a = 0, b = c = 1. Squares keep
/// penalising fakes that D already calls real but that lie far from the data, so gradients do not vanish.
/// </summary>
public sealed class LeastSquaresLoss : IGanLoss
{
    public string Name => "least-squares";
    public bool OutputIsLogit => false;
    public double DecisionThreshold => 0.5;
    public bool UsesTargets => true;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new(0.5 * F.mse_loss(realOutput, targets.Real), 0.5 * F.mse_loss(fakeOutput, targets.Fake));

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => 0.5 * F.mse_loss(fakeOutput, targets.GeneratorAim);
}
