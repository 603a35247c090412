namespace GanLab.Core.Data;

/// <summary>
/// The 2-D swiss roll: t uniform in [1.5π, 4.5π], the point (t cos t, t sin t) / 5 (so it fits in about
/// ±2.8), plus Gaussian noise of σ = <see cref="Noise"/> on each axis (scikit-learn's make_swiss_roll
/// without the third axis, scaled). No closed-form density.
/// </summary>
public sealed class SwissRoll(double noise = 0.05) : ToyDistribution("swiss-roll", 2)
{
    public double Noise { get; } = noise;

    protected override void SampleOne(Random random, Span<float> point)
    {
        var t = 1.5 * Math.PI * (1 + 2 * random.NextDouble());
        point[0] = (float)(t * Math.Cos(t) / 5 + Noise * Normal(random));
        point[1] = (float)(t * Math.Sin(t) / 5 + Noise * Normal(random));
    }
}

/// <summary>
/// Two interleaved half circles of radius 1 (scikit-learn's make_moons): the upper (cos θ, sin θ) and the
/// lower (1 − cos θ, 0.5 − sin θ), θ uniform in [0, π], each with probability ½, plus Gaussian noise of
/// σ = <see cref="Noise"/>. No closed-form density.
/// </summary>
public sealed class TwoMoons(double noise = 0.05) : ToyDistribution("two-moons", 2)
{
    public double Noise { get; } = noise;

    protected override void SampleOne(Random random, Span<float> point)
    {
        var theta = Math.PI * random.NextDouble();
        var upper = random.Next(2) == 0;
        point[0] = (float)((upper ? Math.Cos(theta) : 1 - Math.Cos(theta)) + Noise * Normal(random));
        point[1] = (float)((upper ? Math.Sin(theta) : 0.5 - Math.Sin(theta)) + Noise * Normal(random));
    }
}

/// <summary>
/// Points the learner gives (drawn on the canvas, say): sampling picks them uniformly with replacement,
/// so p_data is the empirical distribution of the set.
/// </summary>
public sealed class PointSet : ToyDistribution
{
    private readonly float[] points;

    /// <param name="points">point after point, <paramref name="dimensions"/> values each</param>
    public PointSet(float[] points, int dimensions = 2, string name = "points") : base(name, dimensions)
    {
        if (points.Length == 0 || points.Length % dimensions != 0)
            throw new ArgumentException($"{points.Length} values do not make a non-empty set of {dimensions}-D points");
        if (points.Any(v => !float.IsFinite(v))) throw new ArgumentException("points must be finite numbers");
        this.points = points.ToArray();
    }

    public int Count => points.Length / Dimensions;

    protected override void SampleOne(Random random, Span<float> point) =>
        points.AsSpan(random.Next(Count) * Dimensions, Dimensions).CopyTo(point);
}
