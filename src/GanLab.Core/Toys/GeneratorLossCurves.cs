using GanLab.Core.Training;
using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Toys;

/// <summary>
/// G's loss for one fake point as a function of D(G(z)), and the gradient that reaches D's logit a (D(G(z)) = σ(a)),
/// which is what flows back into G. Saturating (the paper's minimax G loss, log(1 − D(G(z)))): ∂L/∂a = −D(G(z)),
/// which vanishes when D confidently rejects the fakes, as it does early in training. Non-saturating (−log D(G(z))):
/// ∂L/∂a = −(1 − D(G(z))), strongest exactly there.
/// </summary>
/// <param name="DOfGz">the points D(G(z)) in (0, 1) the curves are measured at</param>
/// <param name="Loss">L_G of one fake point with that D(G(z))</param>
/// <param name="GradientToLogit">∂L_G/∂a at the point (a = D's logit)</param>
/// <param name="GradientToProbability">∂L_G/∂D(G(z)) = (∂L_G/∂a) / (D(1 − D))</param>
public sealed record GeneratorLossCurve(string LossName, double[] DOfGz, double[] Loss, double[] GradientToLogit, double[] GradientToProbability)
{
    /// <summary>
    /// Measures a loss of <see cref="GanLosses"/> (one whose D output is a logit) by running its own G loss with normal
    /// labels on one point at a time and differentiating it with autograd: the curves are what the trainer computes,
    /// not formulas typed in beside it.
    /// </summary>
    public static GeneratorLossCurve Measure(string lossName, int points = 199)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var loss = GanLosses.Create(lossName);
        if (!loss.OutputIsLogit) throw new ArgumentException($"loss '{lossName}' has no D(G(z)) probability; use non-saturating or minimax");
        var d = new double[points];
        var value = new double[points];
        var toLogit = new double[points];
        var toProbability = new double[points];
        using var random = new Torch.Generator(0);
        using var labels = new GanLabels(new GanTrainingOptions { BatchSize = 1, Loss = lossName, RealLabel = 1, FakeLabel = 0 }, Device.CPU, random);
        for (var i = 0; i < points; i++)
        {
            d[i] = (i + 1.0) / (points + 1);
            using var scope = NewDisposeScope();
            var logit = tensor(new[] { (float)Math.Log(d[i] / (1 - d[i])) }, [1, 1]).requires_grad_();
            var lossG = loss.Generator(logit, labels.ForGenerator());
            var gradient = autograd.grad([lossG], [logit])[0];
            value[i] = lossG.ToDoubleArray()[0];
            toLogit[i] = gradient.ToDoubleArray()[0];
            toProbability[i] = toLogit[i] / (d[i] * (1 - d[i]));
        }
        return new GeneratorLossCurve(lossName, d, value, toLogit, toProbability);
    }
}
