namespace GanLab.Core.Toys;

/// <summary>
/// KL and JS between two discrete distributions on the same bins (a histogram and a density integrated over a
/// grid), in nats: JS of identical distributions is 0, of disjoint ones log 2 ≈ 0.693 (GAN Lab's KL/JS chart).
/// </summary>
public static class Divergences
{
    /// <summary>KL(p ‖ q) = Σ p log(p / q); infinite when q is 0 where p is not. Bins with p = 0 add nothing.</summary>
    public static double KullbackLeibler(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException($"{p.Length} and {q.Length} bins: the distributions must share their bins");
        var kl = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] <= 0) continue;
            if (q[i] <= 0) return double.PositiveInfinity;
            kl += p[i] * Math.Log(p[i] / q[i]);
        }
        return Math.Max(kl, 0); // rounding can leave −1e-17 for identical inputs
    }

    /// <summary>JS(p ‖ q) = ½ KL(p ‖ m) + ½ KL(q ‖ m) with m = ½(p + q): symmetric, finite, at most log 2.</summary>
    public static double JensenShannon(ReadOnlySpan<double> p, ReadOnlySpan<double> q)
    {
        if (p.Length != q.Length) throw new ArgumentException($"{p.Length} and {q.Length} bins: the distributions must share their bins");
        var js = 0.0;
        for (var i = 0; i < p.Length; i++)
        {
            var m = (p[i] + q[i]) / 2;
            if (p[i] > 0) js += 0.5 * p[i] * Math.Log(p[i] / m);
            if (q[i] > 0) js += 0.5 * q[i] * Math.Log(q[i] / m);
        }
        return Math.Clamp(js, 0, Math.Log(2));
    }

    /// <summary>
    /// A sample histogram with one pseudo-sample spread evenly over the bins, so KL(p_data ‖ p_g) stays finite
    /// when a mode got no samples: an empty bin then holds 1/(bins·(n + 1)) instead of 0, and a missing mode
    /// costs about its mass × log(mass · bins · n), large and growing with every mode lost, not infinity.
    /// </summary>
    public static double[] WithPseudoSample(ReadOnlySpan<double> histogram, int samples)
    {
        var smoothed = new double[histogram.Length];
        for (var i = 0; i < histogram.Length; i++) smoothed[i] = (histogram[i] * samples + 1.0 / histogram.Length) / (samples + 1.0);
        return smoothed;
    }
}
