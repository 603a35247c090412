namespace GanLab.Core.Latent;

/// <summary>
/// Seed 000's pixel arithmetic: images added and subtracted pixel by pixel (X + (−X), "1 + 4", "1 − 4"). The
/// sum of two digits is both strokes superimposed, never a third digit: pixel space has no notion of the data
/// manifold, while a step in z space moves the Generator's output along it. The seed drew its results with
/// plt.imshow, which stretches the smallest value to black and the largest to white; <see cref="Rescale"/> does
/// the same, so X + (−X) is one flat colour and the overlap of 1 and 4 stands out.
/// </summary>
public static class PixelArithmetic
{
    /// <summary>Σ coefficients[i]·images[i], pixel by pixel; values may leave [0, 1] (that is the point of the lesson).</summary>
    public static float[] Combine(IReadOnlyList<float[]> images, IReadOnlyList<double> coefficients)
    {
        if (images.Count == 0 || images.Count != coefficients.Count)
            throw new ArgumentException($"{images.Count} images need as many coefficients, not {coefficients.Count}");
        var length = images[0].Length;
        if (images.Any(i => i.Length != length)) throw new ArgumentException("pixel arithmetic needs images of one size");
        var result = new float[length];
        for (var k = 0; k < images.Count; k++)
        for (var p = 0; p < length; p++)
            result[p] += (float)(coefficients[k] * images[k][p]);
        return result;
    }

    public static float[] Add(float[] x, float[] y) => Combine([x, y], [1, 1]);

    public static float[] Subtract(float[] x, float[] y) => Combine([x, y], [1, -1]);

    public static float[] Negate(float[] x) => Combine([x], [-1]);

    /// <summary>
    /// Values stretched to [0, 1] as plt.imshow draws them: minimum black, maximum white. A flat image (X + (−X))
    /// has no range to stretch and is drawn black, as imshow draws a constant array with its default colours.
    /// </summary>
    public static float[] Rescale(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) return [];
        var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        var result = new float[values.Length];
        if (!(max - min > 1e-6f)) return result;
        for (var i = 0; i < values.Length; i++) result[i] = (values[i] - min) / (max - min);
        return result;
    }

    public static (float Min, float Max) Range(ReadOnlySpan<float> values)
    {
        if (values.Length == 0) return (0, 0);
        var (min, max) = (float.PositiveInfinity, float.NegativeInfinity);
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return (min, max);
    }
}
