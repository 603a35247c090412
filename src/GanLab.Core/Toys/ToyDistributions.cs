using GanLab.Core.Data;

namespace GanLab.Core.Toys;

/// <summary>The toy distributions a run can name, with the settings the lessons and the published benchmarks use.</summary>
public static class ToyDistributions
{
    public static IReadOnlyList<string> Names { get; } =
        ["ring-8", "grid-25", "swiss-roll", "two-moons", "gaussian-1d", "two-gaussians-1d"];

    public static ToyDistribution Create(string name) => name switch
    {
        "ring-8" => GaussianMixture2D.Ring(),
        "grid-25" => GaussianMixture2D.Grid(),
        "swiss-roll" => new SwissRoll(),
        "two-moons" => new TwoMoons(),
        // The GAN paper's figure 1: one Gaussian, where D* is a smooth curve the lesson can draw beside D.
        "gaussian-1d" => new GaussianMixture1D([1], [1], [0.5], name),
        // Two separated bumps: the 1-D picture of mode collapse.
        "two-gaussians-1d" => new GaussianMixture1D([0.5, 0.5], [-2, 2], [0.4, 0.4], name),
        _ => throw new ArgumentException($"distribution '{name}' is unknown; allowed: {string.Join(", ", Names)}"),
    };
}
