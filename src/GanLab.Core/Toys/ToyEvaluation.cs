using System.Runtime.CompilerServices;
using GanLab.Core.Data;

namespace GanLab.Core.Toys;

/// <summary>
/// How well G matches a toy distribution, and how close D is to the best D for that G.
/// Divergences are in nats, on the bins of <see cref="Grid"/>; the arrays are per bin, in the grid's order,
/// ready for the optimal-discriminator lesson's curves (1-D) or heatmaps (2-D).
/// </summary>
public sealed record ToyEvaluation
{
    /// <summary>Generated points measured (2,500 by default, the published sample size).</summary>
    public required int Samples { get; init; }

    public required ToyGrid Grid { get; init; }

    /// <summary>Modes covered and high-quality share (3σ rule); null for distributions without modes.</summary>
    public ModeCoverage? Modes { get; init; }

    /// <summary>KL(p_data ‖ p_g): large when G misses modes (the histogram gets one pseudo-sample, see Divergences).</summary>
    public required double KullbackLeibler { get; init; }

    /// <summary>JS(p_data ‖ p_g) between the true bin masses and the histogram of G's points.</summary>
    public required double JensenShannon { get; init; }

    /// <summary>
    /// The JS that the same number of real samples reaches against the true masses: no generator can be told apart
    /// from the data below this at this sample size (the analogue of FID's real-vs-real floor).
    /// </summary>
    public required double JensenShannonFloor { get; init; }

    /// <summary>p_data per bin, as a probability (divide by the bin's width, and height in 2-D, for a density curve).</summary>
    public required IReadOnlyList<double> DataMass { get; init; }

    /// <summary>p_g per bin, as a probability: the histogram of G's points.</summary>
    public required IReadOnlyList<double> ModelMass { get; init; }

    /// <summary>D*(x) = p_data / (p_data + p_g) per bin (for the targets of the run's label mode, see <see cref="OptimalDiscriminator.Targets"/>).</summary>
    public required IReadOnlyList<double> Optimal { get; init; }

    /// <summary>The trained D at the bin centres (a probability: sigmoid of the logit, or least squares' raw output); null when D is a critic.</summary>
    public IReadOnlyList<double>? Discriminator { get; init; }

    /// <summary>Σ ½(p_data + p_g)·|D − D*|: 0 when D is optimal; null when D is a critic.</summary>
    public double? OptimalDiscriminatorGap { get; init; }

    /// <summary>V(D, G) of the trained D (BCE losses only): never above <see cref="ValueAtOptimum"/>.</summary>
    public double? Value { get; init; }

    /// <summary>V(D*, G) = −log 4 + 2·JSD: what V would be with the optimal D; −log 4 when p_g = p_data.</summary>
    public required double ValueAtOptimum { get; init; }
}

/// <summary>
/// Measures generated points against one toy distribution. Holds what does not change during a run (the grid,
/// p_data's bin masses, the floor), so evaluating during training costs one pass over the samples.
/// </summary>
public sealed class ToyEvaluator
{
    // p_data's masses on a distribution's own grid, per distribution instance: integrating the ring's density over its
    // grid takes about 50 ms, which every toy paid in its first turn of the toy slot while the class's other toys waited.
    private static readonly ConditionalWeakTable<ToyDistribution, double[]> OwnGridMasses = new();

    private readonly double[] dataMass;
    private readonly Dictionary<int, double> floors = new();

    public ToyEvaluator(ToyDistribution distribution, ToyGrid? grid = null)
    {
        Distribution = distribution;
        Grid = grid ?? ToyGrid.Around(distribution);
        dataMass = grid is null ? OwnGridMasses.GetValue(distribution, d => Grid.Mass(d)) : Grid.Mass(distribution);
    }

    public ToyDistribution Distribution { get; }
    public ToyGrid Grid { get; }
    public IReadOnlyList<double> DataMass => dataMass;

    /// <summary>
    /// Everything measurable from G's points and, when given, D's probabilities at the grid's bin centres
    /// (discriminator) and the targets it was trained towards (targets; null for critics: no gap, no V).
    /// V(D, G) needs D to be a probability of "real" (the BCE losses); least squares' raw output gets a gap but no V.
    /// </summary>
    public ToyEvaluation Evaluate(float[] generated, double[]? discriminator = null, (double Real, double Fake)? targets = null, bool discriminatorIsProbability = true)
    {
        var n = generated.Length / Distribution.Dimensions;
        var modelMass = Grid.Histogram(generated);
        var js = Divergences.JensenShannon(dataMass, modelMass);
        var (real, fake) = targets ?? (1, 0);
        var optimal = OptimalDiscriminator.OnGrid(dataMass, modelMass, real, fake);
        var withD = discriminator is not null && targets is not null;
        if (withD && discriminator!.Length != Grid.BinCount)
            throw new ArgumentException($"D was given at {discriminator.Length} points; the grid has {Grid.BinCount} bins");
        return new ToyEvaluation
        {
            Samples = n,
            Grid = Grid,
            Modes = ModeCoverage.TryOf(Distribution, generated),
            KullbackLeibler = Divergences.KullbackLeibler(dataMass, Divergences.WithPseudoSample(modelMass, n)),
            JensenShannon = js,
            JensenShannonFloor = Floor(n),
            DataMass = dataMass,
            ModelMass = modelMass,
            Optimal = optimal,
            Discriminator = withD ? discriminator : null,
            OptimalDiscriminatorGap = withD ? OptimalDiscriminator.Gap(discriminator, optimal, dataMass, modelMass) : null,
            // V is the paper's value function, defined for D a probability of "real" (BCE losses with targets).
            Value = withD && discriminatorIsProbability ? OptimalDiscriminator.Value(discriminator, dataMass, modelMass) : null,
            ValueAtOptimum = OptimalDiscriminator.ValueAtOptimum(js),
        };
    }

    /// <summary>JS of n real samples (a fixed seed) against the true bin masses, cached per n.</summary>
    public double Floor(int n)
    {
        lock (floors)
        {
            if (!floors.TryGetValue(n, out var floor))
                floors[n] = floor = Divergences.JensenShannon(dataMass, Grid.Histogram(Distribution.Sample(n, seed: 3)));
            return floor;
        }
    }
}
