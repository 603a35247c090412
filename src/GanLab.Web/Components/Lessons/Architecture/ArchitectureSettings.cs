using GanLab.Core.Data;
using GanLab.Core.Models;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```model-architecture block: which zoo model to show, for which images and z size, and which of
/// its networks. The table is the one `./ganlab models NAME` prints, traced from the same code.
/// </summary>
public sealed class ArchitectureSettings
{
    public static IReadOnlyList<string> Networks { get; } = ["both", "generator", "discriminator"];

    /// <summary>The zoo model by name, as in a gan-trainer block: "mlp-gan", "dcgan", "keras-gan", "cgan", ….</summary>
    public string Model { get; set; } = "dcgan";

    /// <summary>
    /// The dataset whose images the model is built for: "mnist", "fashion-mnist" and "mnist-full" are 1×28×28,
    /// "cifar10" 3×32×32. None (the default) takes the model's seed format, as `./ganlab models NAME` does.
    /// </summary>
    public string? Dataset { get; set; }

    /// <summary>The image shape as channels×height×width, e.g. 1x28x28 or 3x32x32 (the --image of `./ganlab models`); instead of dataset.</summary>
    public string? Image { get; set; }

    /// <summary>Size of the noise vector z; none takes the seed's (100 for most models, 128 for seed 004's).</summary>
    public int? LatentSize { get; set; }

    /// <summary>Which network's layers to list: "both" (Generator, then Discriminator), "generator" or "discriminator".</summary>
    public string Network { get; set; } = "both";

    /// <summary>The image format these settings ask for, or null for the model's seed format. Call after <see cref="Validate"/> found nothing.</summary>
    public ImageFormat? ImageFormat() =>
        Image is { } text ? Core.Models.ImageFormat.Parse(text)
        : Dataset is { } dataset ? FormatOf(dataset)
        : null;

    /// <summary>The shape of a dataset's images, known without loading it (CIFAR-10 may not even be installed).</summary>
    public static ImageFormat FormatOf(string dataset) => dataset == "cifar10" ? Core.Models.ImageFormat.Colour32 : Core.Models.ImageFormat.Grey28;

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        var model = GanZoo.Models.FirstOrDefault(m => m.Name == Model);
        if (model is null) problems.Add($"model '{Model}' is unknown; allowed: {string.Join(", ", GanZoo.Names)}");
        if (Dataset is not null && !DatasetCatalog.Names.Contains(Dataset))
            problems.Add($"dataset '{Dataset}' is unknown; allowed: {string.Join(", ", DatasetCatalog.Names)}");
        if (Dataset is not null && Image is not null)
            problems.Add($"image and dataset both say which images to use; give one (dataset {Dataset} means {FormatOf(Dataset)})");
        ImageFormat? format = null;
        if (Image is not null)
        {
            try
            {
                format = Core.Models.ImageFormat.Parse(Image);
            }
            catch (FormatException e)
            {
                problems.Add(e.Message);
            }
        }
        else if (Dataset is not null && DatasetCatalog.Names.Contains(Dataset))
        {
            format = FormatOf(Dataset);
        }
        if (model is not null && format is not null && !model.Formats.Contains(format))
            problems.Add($"{(Image is not null ? "image" : "dataset")} {Image ?? Dataset} gives {format} images, which model '{Model}' does not make; " +
                         $"allowed for {Model}: {string.Join(", ", model.Formats)}");
        if (LatentSize is < 1 or > 1024) problems.Add($"latent size {LatentSize} must be between 1 and 1024");
        if (!Networks.Contains(Network)) problems.Add($"network '{Network}' is unknown; allowed: {string.Join(", ", Networks)}");
        return problems;
    }
}
