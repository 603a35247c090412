using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Training.Losses;

/// <summary>
/// WGAN (Arjovsky et al.): the critic minimises mean D(G(z)) − mean D(x), an estimate of −W(real, fake) once
/// D is 1-Lipschitz; G minimises −mean D(G(z)). The Lipschitz bound comes from clipping D's weights to
/// [−0.01, 0.01] after every critic step. The paper trains with RMSprop at 5e-5 and 5 critic steps per G step
/// (optimizer: rmsprop, learning-rate: 5e-5, discriminator-steps: 5); the options decide, not this class.
/// </summary>
public sealed class WassersteinLoss : IGanLoss
{
    /// <summary>The paper's c: large enough to learn, small enough that clipping bounds the Lipschitz constant.</summary>
    public const double Clip = 0.01;

    public string Name => "wasserstein";
    public bool OutputIsLogit => false;
    public double DecisionThreshold => 0;
    public bool UsesTargets => false;
    public double? WeightClip => Clip;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new(-realOutput.mean(), fakeOutput.mean());

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => -fakeOutput.mean();
}

/// <summary>
/// WGAN-GP (Gulrajani et al.): the Wasserstein critic without clipping; instead the trainer adds
/// λ·(‖∇D(x̂)‖₂ − 1)² at x̂ = ε·x + (1 − ε)·G(z), ε ~ U(0, 1) per image, with λ = 10 as in the paper.
/// The paper advises a critic without batch norm (the DCGAN's D has it: the penalty then mixes images in a batch).
/// </summary>
public sealed class WassersteinGradientPenaltyLoss : IGanLoss
{
    public const double Lambda = 10;

    public string Name => "wgan-gp";
    public bool OutputIsLogit => false;
    public double DecisionThreshold => 0;
    public bool UsesTargets => false;
    public double GradientPenaltyWeight => Lambda;

    public DiscriminatorLoss Discriminator(Tensor realOutput, Tensor fakeOutput, GanTargets targets) =>
        new(-realOutput.mean(), fakeOutput.mean());

    public Tensor Generator(Tensor fakeOutput, GanTargets targets) => -fakeOutput.mean();

    /// <summary>
    /// (‖∇D(x̂)‖₂ − 1)² averaged over the batch, at x̂ = ε·x + (1 − ε)·G(z); epsilon has one value per image
    /// (shape [batch, 1, ...]). Not yet multiplied by λ. G's images must come detached: the penalty trains D only.
    /// </summary>
    public static Tensor Penalty(Module<Tensor, Tensor> discriminator, Tensor real, Tensor fake, Tensor epsilon) =>
        Penalty(discriminator.forward, real, fake, epsilon);

    /// <summary>The same, for a critic given as a function (a conditional D with its classes bound).</summary>
    public static Tensor Penalty(Func<Tensor, Tensor> critic, Tensor real, Tensor fake, Tensor epsilon)
    {
        var mixed = (epsilon * real + (1.0 - epsilon) * fake).requires_grad_();
        var output = critic(mixed);
        // create_graph: the penalty depends on D's weights through this gradient, and D's step must see that.
        var gradient = autograd.grad([output.sum()], [mixed], create_graph: true)[0];
        return (gradient.flatten(1).norm(2, [1]) - 1.0).pow(2).mean();
    }
}
