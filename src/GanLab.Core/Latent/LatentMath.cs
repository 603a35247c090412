namespace GanLab.Core.Latent;

/// <summary>
/// Paths and sums in z space, on plain float vectors. Linear interpolation cuts through the middle of a
/// Gaussian latent space, where z's norm is smaller than any z the Generator was trained on (for 100
/// dimensions, z sits near a shell of radius √100 = 10); spherical interpolation (Shoemake's slerp, as
/// White 2016 proposed for GANs) walks along the great circle and keeps the norm of equal-norm endpoints.
/// </summary>
public static class LatentMath
{
    public static IReadOnlyList<string> InterpolationNames { get; } = ["linear", "spherical"];

    /// <summary>(1 − t)·a + t·b.</summary>
    public static float[] Lerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double t)
    {
        SameLength(a, b);
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = (float)((1 - t) * a[i] + t * b[i]);
        return result;
    }

    /// <summary>
    /// sin((1 − t)θ)/sin θ · a + sin(tθ)/sin θ · b, θ the angle between a and b. Falls back to <see cref="Lerp"/>
    /// when a and b (nearly) point the same way, where the formula divides by sin θ ≈ 0 and both paths agree;
    /// and for opposite vectors, whose great circle is not unique.
    /// </summary>
    public static float[] Slerp(ReadOnlySpan<float> a, ReadOnlySpan<float> b, double t)
    {
        SameLength(a, b);
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        if (normA == 0 || normB == 0) return Lerp(a, b, t);
        var cosine = Math.Clamp(dot / Math.Sqrt(normA * normB), -1, 1);
        var theta = Math.Acos(cosine);
        var sine = Math.Sin(theta);
        if (sine < 1e-6) return Lerp(a, b, t);
        var (wa, wb) = (Math.Sin((1 - t) * theta) / sine, Math.Sin(t * theta) / sine);
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = (float)(wa * a[i] + wb * b[i]);
        return result;
    }

    /// <summary>
    /// <paramref name="points"/> latent vectors from a to b, both included (t = 0, 1/(n−1), …, 1), by "linear" or "spherical".
    /// The endpoints are returned exactly as given, so the strip's ends are the chosen samples themselves.
    /// </summary>
    public static float[][] Path(float[] a, float[] b, int points, string interpolation)
    {
        if (points < 2) throw new ArgumentException($"an interpolation needs at least 2 points, not {points}");
        if (!InterpolationNames.Contains(interpolation))
            throw new ArgumentException($"interpolation '{interpolation}' is unknown; allowed: {string.Join(", ", InterpolationNames)}");
        var path = new float[points][];
        for (var k = 0; k < points; k++)
        {
            var t = k / (double)(points - 1);
            path[k] = k == 0 ? [.. a] : k == points - 1 ? [.. b]
                : interpolation == "spherical" ? Slerp(a, b, t) : Lerp(a, b, t);
        }
        return path;
    }

    /// <summary>a − b + c: DCGAN's vector arithmetic ("smiling woman − neutral woman + neutral man").</summary>
    public static float[] Arithmetic(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c)
    {
        SameLength(a, b);
        SameLength(a, c);
        var result = new float[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = a[i] - b[i] + c[i];
        return result;
    }

    public static double Norm(ReadOnlySpan<float> v)
    {
        double sum = 0;
        foreach (var x in v) sum += (double)x * x;
        return Math.Sqrt(sum);
    }

    private static void SameLength(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException($"latent vectors of sizes {a.Length} and {b.Length} cannot be combined");
    }
}
