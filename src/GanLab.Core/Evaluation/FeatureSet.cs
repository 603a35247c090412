namespace GanLab.Core.Evaluation;

/// <summary>
/// Feature vectors of a set of images (or any points), one row per image, row-major in float64: the classifier's
/// penultimate activations for FID and precision/recall, or raw pixels for the memorization check.
/// </summary>
public sealed class FeatureSet
{
    public FeatureSet(double[] values, int dimension)
    {
        if (dimension < 1 || values.Length % dimension != 0)
            throw new ArgumentException($"{values.Length} values do not make rows of {dimension}");
        (Values, Dimension) = (values, dimension);
    }

    /// <summary>From rows given one by one (hand-made point sets in tests and lessons).</summary>
    public static FeatureSet FromRows(IReadOnlyList<double[]> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("a feature set needs at least one row");
        var d = rows[0].Length;
        if (rows.Any(r => r.Length != d)) throw new ArgumentException("all rows must have the same length");
        return new FeatureSet([.. rows.SelectMany(r => r)], d);
    }

    public static FeatureSet FromFloats(float[] values, int dimension) => new(Array.ConvertAll(values, v => (double)v), dimension);

    public double[] Values { get; }
    public int Dimension { get; }
    public int Count => Values.Length / Dimension;
    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Dimension, Dimension);
}

/// <summary>Mean and unbiased covariance (divided by n − 1) of a feature set, in float64: what FID compares.</summary>
public sealed record GaussianStatistics(double[] Mean, double[,] Covariance, int Count)
{
    public int Dimension => Mean.Length;

    public static GaussianStatistics Of(FeatureSet features)
    {
        var (n, d) = (features.Count, features.Dimension);
        if (n < 2) throw new ArgumentException($"a covariance needs at least 2 samples, got {n}");
        var mean = new double[d];
        for (var i = 0; i < n; i++)
        {
            var row = features.Row(i);
            for (var j = 0; j < d; j++) mean[j] += row[j];
        }
        for (var j = 0; j < d; j++) mean[j] /= n;
        // Centred first, then multiplied: the one-pass Σxxᵀ − n μμᵀ loses digits when the mean is large.
        var centred = new double[d];
        var covariance = new double[d, d];
        for (var i = 0; i < n; i++)
        {
            var row = features.Row(i);
            for (var j = 0; j < d; j++) centred[j] = row[j] - mean[j];
            for (var j = 0; j < d; j++)
            {
                var cj = centred[j];
                for (var k = j; k < d; k++) covariance[j, k] += cj * centred[k];
            }
        }
        for (var j = 0; j < d; j++)
        for (var k = j; k < d; k++)
        {
            covariance[j, k] /= n - 1;
            covariance[k, j] = covariance[j, k];
        }
        return new GaussianStatistics(mean, covariance, n);
    }
}
