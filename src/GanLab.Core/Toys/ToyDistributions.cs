using System.Collections.Concurrent;
using GanLab.Core.Data;

namespace GanLab.Core.Toys;

/// <summary>The toy distributions a run can name, with the settings the lessons and the published benchmarks use.</summary>
public static class ToyDistributions
{
    public static IReadOnlyList<string> Names { get; } =
        ["ring-8", "grid-25", "swiss-roll", "two-moons", "gaussian-1d", "two-gaussians-1d"];

    // Distributions are immutable, so each name has one instance, and with it one set of p_data's bin masses
    // (ToyEvaluator works them out once per instance): a class's thirty toys on the ring share them.
    private static readonly ConcurrentDictionary<string, ToyDistribution> Shared = new();

    /// <summary>The distribution of that name, one instance per name (they are immutable).</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static ToyDistribution Create(string name) => Shared.GetOrAdd(name, Make);

    private static ToyDistribution Make(string name) => name switch
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
