using GanLab.Torch;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// The targets of one step. D is trained towards Real on real images and towards Fake on G's images;
/// G is trained towards GeneratorAim (non-saturating, least squares) or away from GeneratorAvoid (minimax).
/// The label mode (normal, noisy, flip, swapped, swapped-d-only) decides what goes in here; losses without
/// targets (hinge and the critics) ignore them.
/// </summary>
public sealed record GanTargets(Tensor Real, Tensor Fake, Tensor GeneratorAim, Tensor GeneratorAvoid);

/// <summary>D's loss in two parts, so the charts can show how much comes from real images and how much from fakes.</summary>
public sealed record DiscriminatorLoss(Tensor Real, Tensor Fake)
{
    public Tensor Total => Real + Fake;
}

/// <summary>
/// One GAN objective: what D (or the critic) minimises and what G minimises, both on D's raw outputs
/// (logits for the BCE losses). The trainer's D step and G step stay the same for every loss.
/// </summary>
public interface IGanLoss
{
    /// <summary>The name a run's options use.</summary>
    string Name { get; }

    /// <summary>
    /// True when D's raw output is a logit, so sigmoid(output) is D's probability that an image is real.
    /// Otherwise (least squares, hinge, critics) D(x) and D(G(z)) are reported as raw means, not probabilities.
    /// </summary>
    bool OutputIsLogit { get; }

    /// <summary>Raw output above which D calls an image real (for accuracy): 0 for logits (sigmoid 0.5), 0.5 for least squares, 0 for hinge and critics.</summary>
    double DecisionThreshold { get; }

    /// <summary>Whether the label mode and the real/fake labels mean anything to this loss.</summary>
    bool UsesTargets { get; }

    /// <summary>After each D step, D's weights are clipped to [−c, c] (WGAN's Lipschitz constraint); null: no clipping.</summary>
    double? WeightClip => null;

    /// <summary>λ of WGAN-GP's gradient penalty λ·(‖∇D(x̂)‖₂ − 1)², added to D's loss by the trainer; 0: no penalty.</summary>
    double GradientPenaltyWeight => 0;

    DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets);

    Tensor Generator(Tensor fakeOutput, GanTargets targets);
}

/// <summary>The losses a run can name, by the names the lessons use.</summary>
public static class GanLosses
{
    public static IReadOnlyList<string> Names { get; } = ["non-saturating", "minimax", "least-squares", "hinge", "wasserstein", "wgan-gp"];

    public static IGanLoss Create(string name) => name switch
    {
        "non-saturating" => new NonSaturatingLoss(),
        "minimax" => new MinimaxLoss(),
        "least-squares" => new LeastSquaresLoss(),
        "hinge" => new HingeLoss(),
        "wasserstein" => new WassersteinLoss(),
        "wgan-gp" => new WassersteinGradientPenaltyLoss(),
        _ => throw new ArgumentException($"loss '{name}' is unknown; allowed: {string.Join(", ", Names)}"),
    };
}
