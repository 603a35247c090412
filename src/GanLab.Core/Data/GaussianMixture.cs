namespace GanLab.Core.Data;

/// <summary>A 1-D mixture of Gaussians with the given weights (normalised here), means and standard deviations.</summary>
public sealed class GaussianMixture1D : ToyDistribution
{
    private readonly double[] cumulative;

    public GaussianMixture1D(IReadOnlyList<double> weights, IReadOnlyList<double> means, IReadOnlyList<double> stds, string name = "gaussian-mixture-1d")
        : base(name, 1)
    {
        if (means.Count != weights.Count || stds.Count != weights.Count)
            throw new ArgumentException($"{weights.Count} weights, {means.Count} means and {stds.Count} standard deviations: one of each per component");
        if (stds.Any(s => !(s > 0))) throw new ArgumentException("standard deviations must be positive");
        cumulative = Cumulative(weights);
        Weights = weights.Select(w => w / weights.Sum()).ToArray();
        (Means, Stds) = (means.ToArray(), stds.ToArray());
    }

    public IReadOnlyList<double> Weights { get; }
    public IReadOnlyList<double> Means { get; }
    public IReadOnlyList<double> Stds { get; }

    public override bool HasDensity => true;

    public override double Density(ReadOnlySpan<double> x)
    {
        var p = 0.0;
        for (var k = 0; k < Weights.Count; k++)
        {
            var z = (x[0] - Means[k]) / Stds[k];
            p += Weights[k] * Math.Exp(-0.5 * z * z) / (Stds[k] * Math.Sqrt(2 * Math.PI));
        }
        return p;
    }

    protected override void SampleOne(Random random, Span<float> point)
    {
        var k = Pick(random, cumulative);
        point[0] = (float)(Means[k] + Stds[k] * Normal(random));
    }
}

/// <summary>
/// A 2-D mixture of equally weighted round Gaussians (the same σ on both axes) around the mode
/// centres, the benchmark for mode collapse: <see cref="Centres"/> and <see cref="Sigma"/> are what the
/// mode-coverage metric needs (a sample within 3σ of its nearest centre is high quality).
/// </summary>
public sealed class GaussianMixture2D : ToyDistribution
{
    public GaussianMixture2D(string name, IReadOnlyList<(double X, double Y)> centres, double sigma) : base(name, 2)
    {
        if (centres.Count == 0) throw new ArgumentException("a mixture needs at least one centre");
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), "σ must be positive");
        (Centres, Sigma) = (centres.ToArray(), sigma);
    }

    /// <summary>8 modes evenly spaced on a circle of radius 2, σ = 0.02 (Srivastava et al. 2017, VEEGAN).</summary>
    public static GaussianMixture2D Ring(int modes = 8, double radius = 2, double sigma = 0.02) => new(
        "ring", Enumerable.Range(0, modes).Select(k => (radius * Math.Cos(2 * Math.PI * k / modes), radius * Math.Sin(2 * Math.PI * k / modes))).ToArray(), sigma);

    /// <summary>25 modes on a 5×5 grid at −4, −2, 0, 2, 4 on each axis, σ = 0.05 (VEEGAN, PacGAN).</summary>
    public static GaussianMixture2D Grid(int side = 5, double spacing = 2, double sigma = 0.05)
    {
        var offset = spacing * (side - 1) / 2;
        return new("grid", Enumerable.Range(0, side * side).Select(k => (k / side * spacing - offset, k % side * spacing - offset)).ToArray(), sigma);
    }

    public IReadOnlyList<(double X, double Y)> Centres { get; }
    public double Sigma { get; }

    public override bool HasDensity => true;

    public override double Density(ReadOnlySpan<double> x)
    {
        var p = 0.0;
        foreach (var (cx, cy) in Centres)
        {
            var (dx, dy) = (x[0] - cx, x[1] - cy);
            p += Math.Exp(-(dx * dx + dy * dy) / (2 * Sigma * Sigma));
        }
        return p / (Centres.Count * 2 * Math.PI * Sigma * Sigma);
    }

    /// <summary>The index of the centre nearest to (x, y), and the distance to it.</summary>
    public (int Mode, double Distance) NearestCentre(double x, double y)
    {
        var (best, bestSquared) = (0, double.PositiveInfinity);
        for (var k = 0; k < Centres.Count; k++)
        {
            var (dx, dy) = (x - Centres[k].X, y - Centres[k].Y);
            if (dx * dx + dy * dy < bestSquared) (best, bestSquared) = (k, dx * dx + dy * dy);
        }
        return (best, Math.Sqrt(bestSquared));
    }

    protected override void SampleOne(Random random, Span<float> point)
    {
        var (cx, cy) = Centres[random.Next(Centres.Count)];
        point[0] = (float)(cx + Sigma * Normal(random));
        point[1] = (float)(cy + Sigma * Normal(random));
    }
}
