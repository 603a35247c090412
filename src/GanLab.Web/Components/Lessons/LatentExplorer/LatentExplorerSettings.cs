using System.ComponentModel.DataAnnotations;
using GanLab.Core.Latent;
using GanLab.Core.Pretrained;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```latent-explorer block: which pretrained Generator, which latent points it starts from, and
/// which views it shows. Students pick other samples and seeds on the page; these are where it starts.
/// </summary>
public sealed class LatentExplorerSettings
{
    /// <summary>The views a block can show, in the order they appear.</summary>
    public static IReadOnlyList<string> ViewNames { get; } = ["interpolation", "arithmetic", "pixels", "neighbours"];

    /// <summary>
    /// The pretrained Generator (`./ganlab pretrain --list` names them): "mlp-gan-mnist" is seed 002's MLP GAN on
    /// the MNIST digits, cheap to sample. Until it is trained the block says it is being prepared and shows how far.
    /// </summary>
    public string Model { get; set; } = "mlp-gan-mnist";

    /// <summary>The seed of latent point A: the same seed always draws the same z, so a lesson can name a sample.</summary>
    [Range(0, 1_000_000)]
    public int SeedA { get; set; } = 1;

    /// <summary>The seed of latent point B, the other end of the interpolation and the one subtracted in A − B + C.</summary>
    [Range(0, 1_000_000)]
    public int SeedB { get; set; } = 2;

    /// <summary>The seed of latent point C, added in A − B + C.</summary>
    [Range(0, 1_000_000)]
    public int SeedC { get; set; } = 3;

    /// <summary>Images in the interpolation strip from A to B, both ends included.</summary>
    [Range(3, 16)]
    public int Steps { get; set; } = 8;

    /// <summary>
    /// "spherical" (slerp: keeps z's norm where the Generator was trained, the usual choice for Gaussian z) or
    /// "linear" (lerp: the straight line, whose middle is shorter than any trained z).
    /// </summary>
    public string Interpolation { get; set; } = "spherical";

    /// <summary>Samples to pick A, B and C from (seeds 1, 2, …); clicking one makes it the chosen point.</summary>
    [Range(4, 24)]
    public int Samples { get; set; } = 12;

    /// <summary>Nearest training images shown for sample A (pixel distance over the whole training set).</summary>
    [Range(1, 10)]
    public int Neighbours { get; set; } = 5;

    /// <summary>
    /// Which views to show, comma-separated: "interpolation" (the strip from A to B), "arithmetic" (A − B + C in z),
    /// "pixels" (seed 000's pixel arithmetic beside the latent midpoint), "neighbours" (A's nearest training images).
    /// </summary>
    public string Show { get; set; } = "interpolation, arithmetic, pixels, neighbours";

    /// <summary>The views of <see cref="Show"/>, in the page's order.</summary>
    public IReadOnlyList<string> Views => ViewNames.Where(ParsedShow().Contains).ToList();

    private HashSet<string> ParsedShow() =>
        Show.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = LessonSettingsRanges.Check(this).ToList();
        var models = PretrainedCatalog.Gans.Select(g => g.Name).ToList();
        if (!models.Contains(Model)) problems.Add($"model '{Model}' is not a pretrained model; allowed: {string.Join(", ", models)}");
        if (!LatentMath.InterpolationNames.Contains(Interpolation))
            problems.Add($"interpolation '{Interpolation}' is unknown; allowed: {string.Join(", ", LatentMath.InterpolationNames)}");
        var shown = ParsedShow();
        if (shown.Except(ViewNames).ToList() is { Count: > 0 } unknown)
            problems.Add($"show names unknown views ({string.Join(", ", unknown)}); allowed: {string.Join(", ", ViewNames)}");
        else if (shown.Count == 0)
            problems.Add($"show names no view; allowed: {string.Join(", ", ViewNames)}");
        return problems;
    }
}
