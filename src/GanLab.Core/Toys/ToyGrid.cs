using GanLab.Core.Data;

namespace GanLab.Core.Toys;

/// <summary>
/// A regular grid of bins over the box where a toy distribution lives: Side bins on a line (1-D) or Side×Side
/// cells (2-D, row after row: bin = row·Side + column, row along y). One grid serves D's decision heatmap,
/// the histograms of real and generated points, KL and JS, and the optimal discriminator, so all of them talk
/// about the same cells.
/// </summary>
public sealed class ToyGrid
{
    public ToyGrid(int dimensions, double xMin, double xMax, double yMin, double yMax, int side)
    {
        if (dimensions is not (1 or 2)) throw new ArgumentOutOfRangeException(nameof(dimensions), "toy grids are 1-D or 2-D");
        if (side is < 2 or > 4096) throw new ArgumentOutOfRangeException(nameof(side), side, "a grid needs between 2 and 4096 bins per axis");
        if (!(xMax > xMin) || (dimensions == 2 && !(yMax > yMin))) throw new ArgumentException("a grid's box must have a positive size");
        (Dimensions, XMin, XMax, YMin, YMax, Side) = (dimensions, xMin, xMax, yMin, yMax, side);
        Centres = new double[BinCount * dimensions];
        for (var bin = 0; bin < BinCount; bin++)
        {
            Centres[bin * dimensions] = XMin + (bin % side + 0.5) * BinWidth;
            if (dimensions == 2) Centres[bin * 2 + 1] = YMin + (bin / side + 0.5) * BinHeight;
        }
    }

    /// <summary>
    /// A square box (the same scale on both axes, so a ring looks round) around 20,000 points of the distribution,
    /// widened by a quarter of its size on every side: fakes that stray outside the data are still on the map.
    /// Side 64 in 2-D (GAN Lab's heatmap resolution order), 256 in 1-D.
    /// </summary>
    public static ToyGrid Around(ToyDistribution distribution, int? side = null)
    {
        var points = distribution.Sample(20_000, seed: 1);
        var d = distribution.Dimensions;
        var (xLow, xHigh) = Range(points, 0, d);
        if (d == 1)
        {
            var pad = 0.25 * (xHigh - xLow);
            return new ToyGrid(1, xLow - pad, xHigh + pad, 0, 1, side ?? 256);
        }
        var (yLow, yHigh) = Range(points, 1, d);
        var half = 0.75 * Math.Max(xHigh - xLow, yHigh - yLow);
        var (cx, cy) = ((xLow + xHigh) / 2, (yLow + yHigh) / 2);
        return new ToyGrid(2, cx - half, cx + half, cy - half, cy + half, side ?? 64);
    }

    private static (double Low, double High) Range(float[] points, int axis, int dimensions)
    {
        var (low, high) = (double.PositiveInfinity, double.NegativeInfinity);
        for (var i = axis; i < points.Length; i += dimensions) (low, high) = (Math.Min(low, points[i]), Math.Max(high, points[i]));
        return high > low ? (low, high) : (low - 1, high + 1); // a single point still gets a box
    }

    public int Dimensions { get; }
    public double XMin { get; }
    public double XMax { get; }
    public double YMin { get; }
    public double YMax { get; }

    /// <summary>Bins per axis.</summary>
    public int Side { get; }

    public int BinCount => Dimensions == 1 ? Side : Side * Side;
    public double BinWidth => (XMax - XMin) / Side;
    public double BinHeight => Dimensions == 1 ? 1 : (YMax - YMin) / Side;

    /// <summary>The centre of every bin, bin after bin (Dimensions values each): where D is evaluated for the heatmap.</summary>
    /// <remarks>Left out of JSON: the bounds and Side say where every bin is, and a 64×64 grid's centres would add 100 kB to each frame sent to a browser.</remarks>
    [System.Text.Json.Serialization.JsonIgnore]
    public double[] Centres { get; }

    /// <summary>The bin a point falls in; points outside the box count in the nearest edge bin.</summary>
    public int BinOf(double x, double y = 0)
    {
        var column = Math.Clamp((int)Math.Floor((x - XMin) / BinWidth), 0, Side - 1);
        if (Dimensions == 1) return column;
        var row = Math.Clamp((int)Math.Floor((y - YMin) / BinHeight), 0, Side - 1);
        return row * Side + column;
    }

    /// <summary>
    /// The share of the points in each bin (sums to 1). A point outside the box lands in the edge bin nearest to
    /// it rather than being dropped: a generator that throws mass far away must not look better for it.
    /// </summary>
    public double[] Histogram(ReadOnlySpan<float> points)
    {
        if (points.Length == 0 || points.Length % Dimensions != 0)
            throw new ArgumentException($"{points.Length} values are not a non-empty set of {Dimensions}-D points");
        var counts = new double[BinCount];
        var n = points.Length / Dimensions;
        for (var i = 0; i < n; i++)
            counts[Dimensions == 1 ? BinOf(points[i]) : BinOf(points[2 * i], points[2 * i + 1])]++;
        for (var b = 0; b < counts.Length; b++) counts[b] /= n;
        return counts;
    }

    /// <summary>
    /// The probability of each bin under the distribution, normalised over the box. With a closed-form density,
    /// the density is integrated over each bin by a midpoint rule on a sub-grid (8×8 cells per bin in 2-D, 32 in
    /// 1-D: the ring's modes have σ = 0.02, about a quarter of a 64-bin cell, so one value per bin would miss
    /// them). Without one (swiss roll, moons, drawn points), from the histogram of 200,000 samples of a fixed seed.
    /// </summary>
    public double[] Mass(ToyDistribution distribution)
    {
        if (distribution.Dimensions != Dimensions)
            throw new ArgumentException($"{distribution.Name} is {distribution.Dimensions}-D but this grid is {Dimensions}-D");
        if (!distribution.HasDensity) return Histogram(distribution.Sample(200_000, seed: 2));
        var mass = new double[BinCount];
        var sub = Dimensions == 1 ? 32 : 8;
        Span<double> x = stackalloc double[Dimensions];
        for (var bin = 0; bin < BinCount; bin++)
        {
            var (left, bottom) = (Centres[bin * Dimensions] - BinWidth / 2, Dimensions == 2 ? Centres[bin * 2 + 1] - BinHeight / 2 : 0);
            var sum = 0.0;
            for (var j = 0; j < (Dimensions == 1 ? 1 : sub); j++)
            for (var i = 0; i < sub; i++)
            {
                x[0] = left + (i + 0.5) * BinWidth / sub;
                if (Dimensions == 2) x[1] = bottom + (j + 0.5) * BinHeight / sub;
                sum += distribution.Density(x);
            }
            mass[bin] = sum;
        }
        var total = mass.Sum();
        if (!(total > 0)) throw new InvalidOperationException($"{distribution.Name} has no mass inside this grid's box");
        for (var b = 0; b < mass.Length; b++) mass[b] /= total;
        return mass;
    }
}
