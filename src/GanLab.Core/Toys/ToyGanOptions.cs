using GanLab.Core.Training;

namespace GanLab.Core.Toys;

/// <summary>
/// Every setting of one toy run (a small MLP GAN on 1-D or 2-D points, in the manner of GAN Lab).
/// A record of its own rather than <see cref="GanTrainingOptions"/>: that record names an image model and
/// dataset, dropout and a device, none of which a toy has, and its defaults (batch 64, z of 100, label
/// smoothing 0.9) are tuned for MNIST. The game itself (loss, label modes, k, optimizer, latent distribution)
/// means exactly what it means there: <see cref="ToGameOptions"/> maps these fields onto a GanTrainingOptions, which
/// validates them and feeds <see cref="GanLabels"/>, so the two trainers cannot drift apart.
/// </summary>
public sealed record ToyGanOptions
{
    /// <summary>Which distribution to learn (<see cref="ToyDistributions.Names"/>); "ring-8" is the mode-collapse benchmark.</summary>
    public string Distribution { get; init; } = "ring-8";

    /// <summary>Seeds the weights, the noise, the real samples and the label draws, so two runs with one seed match.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Real and fake points per step; 256 as GAN Lab-sized toys and the VEEGAN ring experiments use.</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Size of z; 2 so that the warped manifold (G applied to a grid in z space) can be drawn.</summary>
    public int LatentSize { get; init; } = 2;

    /// <summary>"gaussian" (N(0, 1)) or "uniform" (U(−1, 1)), as in the image trainer.</summary>
    public string LatentDistribution { get; init; } = "gaussian";

    /// <summary>
    /// Width of every hidden layer of G and D. 32 is enough for the ring (measured: 8/8 modes with the non-saturating
    /// loss after 5,000 steps, as with 64) and keeps a step cheap for a live view. Measured at batch 256, k = 1, one
    /// libtorch and one OpenBLAS thread, on the shared 2-core machine under a load of about 11: 0.9–1.3 ms of thread
    /// CPU per step at 32 and 1.3 ms at 64, as PyTorch eager doing the same step there (1.0 and 1.3 ms); libtorch's
    /// fixed cost per step (autograd, optimizer and loss calls) is about 0.65 ms even at width 1.
    /// </summary>
    public int HiddenSize { get; init; } = 32;

    /// <summary>Hidden layers in each network; 2 lets G fold a Gaussian blob onto a ring of separate modes.</summary>
    public int HiddenLayers { get; init; } = 2;

    /// <summary>LeakyReLU slope in both networks; 0.2 keeps D's gradient alive where a ReLU would be flat.</summary>
    public double LeakySlope { get; init; } = 0.2;

    /// <summary>Adam's step size for both networks.</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's beta1; 0.5 as the DCGAN paper, damping the two players' oscillation.</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam's beta2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>See <see cref="GanTrainingOptions.Loss"/>: non-saturating, minimax, least-squares, hinge, wasserstein, wgan-gp.</summary>
    public string Loss { get; init; } = "non-saturating";

    /// <summary>See <see cref="GanTrainingOptions.Labels"/>: normal, noisy, flip, swapped, swapped-d-only.</summary>
    public string Labels { get; init; } = "normal";

    /// <summary>
    /// D's target for real points. 1, not the image trainer's 0.9: with smoothing the best D is 0.9·D*, and the
    /// toys exist to show D* = p_data / (p_data + p_g) itself.
    /// </summary>
    public double RealLabel { get; init; } = 1;

    /// <summary>D's target for G's points.</summary>
    public double FakeLabel { get; init; } = 0;

    /// <summary>Share of D's targets swapped each step with Labels "flip".</summary>
    public double FlipProbability { get; init; } = 0.05;

    /// <summary>k of Algorithm 1: D steps per G step in a "both" step.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>"adam", "sgd" (with Momentum) or "rmsprop".</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>SGD's momentum.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Points in the fixed noise batch the view draws (GAN Lab's fake dots); the same z every frame so frames compare.</summary>
    public int FixedNoiseSize { get; init; } = 512;

    /// <summary>The image trainer's options with this run's game: what GanLabels and the shared validation read.</summary>
    public GanTrainingOptions ToGameOptions() => new()
    {
        Seed = Seed,
        BatchSize = BatchSize,
        LatentSize = LatentSize,
        LatentDistribution = LatentDistribution,
        LearningRate = LearningRate,
        Beta1 = Beta1,
        Beta2 = Beta2,
        Loss = Loss,
        Labels = Labels,
        RealLabel = RealLabel,
        FakeLabel = FakeLabel,
        FlipProbability = FlipProbability,
        DiscriminatorSteps = DiscriminatorSteps,
        Optimizer = Optimizer,
        Momentum = Momentum,
        LeakySlope = LeakySlope,
        Dropout = 0,
        Device = "cpu",
    };

    /// <summary>
    /// The problems with these values, each naming the setting and what is allowed. A caller that passes its own
    /// distribution (a drawn point set) is not checked against the catalogue's names.
    /// </summary>
    public IReadOnlyList<string> Validate(bool distributionGiven = false)
    {
        var problems = ToGameOptions().Validate().ToList();
        if (!distributionGiven && !ToyDistributions.Names.Contains(Distribution))
            problems.Add($"distribution '{Distribution}' is unknown; allowed: {string.Join(", ", ToyDistributions.Names)}");
        if (HiddenSize is < 1 or > 1024) problems.Add($"hidden size {HiddenSize} must be between 1 and 1024");
        if (HiddenLayers is < 1 or > 8) problems.Add($"hidden layers {HiddenLayers} must be between 1 and 8");
        if (FixedNoiseSize is < 1 or > 100_000) problems.Add($"fixed noise size {FixedNoiseSize} must be between 1 and 100000");
        return problems;
    }
}
