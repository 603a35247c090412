namespace GanLab.Core.Data;

/// <summary>
/// A distribution of 1-D or 2-D points for the lessons that show the whole of p_data: samples come back
/// point after point (x0, y0, x1, y1, … in 2-D), and where the density is known in closed form it is
/// given, so that KL, JS and the optimal discriminator D*(x) = p_data / (p_data + p_g) can be computed.
/// Sampling draws from a <see cref="System.Random"/>; one made from a seed gives the same points on
/// every run and machine (.NET keeps the seeded algorithm fixed for compatibility).
/// </summary>
public abstract class ToyDistribution
{
    protected ToyDistribution(string name, int dimensions)
    {
        if (dimensions is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(dimensions), "toy distributions are 1-D or 2-D");
        (Name, Dimensions) = (name, dimensions);
    }

    public string Name { get; }
    public int Dimensions { get; }

    /// <summary>Whether <see cref="Density"/> is known in closed form.</summary>
    public virtual bool HasDensity => false;

    /// <summary>n points, point after point (n × <see cref="Dimensions"/> values).</summary>
    public float[] Sample(int n, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var points = new float[n * Dimensions];
        for (var i = 0; i < n; i++) SampleOne(random, points.AsSpan(i * Dimensions, Dimensions));
        return points;
    }

    public float[] Sample(int n, int seed) => Sample(n, new Random(seed));

    /// <summary>p(x) at one point of <see cref="Dimensions"/> coordinates.</summary>
    public virtual double Density(ReadOnlySpan<double> x) =>
        throw new NotSupportedException($"{Name} has no closed-form density; estimate it from samples");

    protected abstract void SampleOne(Random random, Span<float> point);

    /// <summary>A standard normal draw (Box–Muller).</summary>
    protected static double Normal(Random random)
    {
        var u = 1.0 - random.NextDouble(); // in (0, 1], so the log is finite
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * random.NextDouble());
    }

    /// <summary>An index drawn with the given (normalised) weights.</summary>
    protected static int Pick(Random random, double[] cumulative)
    {
        var u = random.NextDouble();
        var i = Array.BinarySearch(cumulative, u);
        return Math.Min(i < 0 ? ~i : i, cumulative.Length - 1);
    }

    protected static double[] Cumulative(IReadOnlyList<double> weights)
    {
        if (weights.Count == 0 || weights.Any(w => !(w >= 0)) || weights.Sum() <= 0)
            throw new ArgumentException("weights must be non-negative with a positive sum");
        var total = weights.Sum();
        var cumulative = new double[weights.Count];
        var sum = 0.0;
        for (var i = 0; i < weights.Count; i++) cumulative[i] = (sum += weights[i]) / total;
        return cumulative;
    }
}
