using GanLab.Core.Training;

namespace GanLab.Core.Toys;

/// <summary>
/// The optimal discriminator of the GAN paper (Goodfellow et al. 2014, Proposition 1): for a fixed G,
/// D*(x) = p_data(x) / (p_data(x) + p_g(x)), and at D* the value function is V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g).
///
/// On the toys p_g is known only through G's samples, so it is estimated by a histogram on the same grid
/// as p_data's bin masses (<see cref="ToyGrid"/>), not by a kernel density estimate. Three reasons:
/// (1) D* is then exactly the best discriminator among those constant on each bin, so V(D*, G) =
///     −log 4 + 2·JSD holds on the grid to rounding, and the lesson can show the identity rather than an approximation;
/// (2) a kernel wide enough to smooth 2,500 samples over a 64×64 box (Scott's rule gives about 0.4 on the ring)
///     is twenty times wider than the ring's modes (σ = 0.02): it would smear p_g off the modes and put D* near 1
///     there even when G matches the data perfectly, where D* must be ½;
/// (3) it costs one pass over the samples, so it can run beside live training.
/// The price is sampling noise in bins with few samples; the evaluator reports the JS that real samples of
/// the same size reach (the floor), so that noise is visible.
/// </summary>
public static class OptimalDiscriminator
{
    /// <summary>
    /// The D that minimises the BCE (or least-squares) D loss with real target r and fake target f at a point:
    /// (r·p_data + f·p_g) / (p_data + p_g), which is D* = p_data / (p_data + p_g) for r = 1, f = 0. Where neither
    /// distribution has mass every value is optimal; the midpoint (r + f)/2 keeps a heatmap neutral there.
    /// </summary>
    public static double At(double pData, double pModel, double realTarget = 1, double fakeTarget = 0) =>
        pData + pModel > 0 ? (realTarget * pData + fakeTarget * pModel) / (pData + pModel) : (realTarget + fakeTarget) / 2;

    /// <summary>D* on every bin of a grid, from the bin masses of p_data and p_g.</summary>
    public static double[] OnGrid(ReadOnlySpan<double> dataMass, ReadOnlySpan<double> modelMass, double realTarget = 1, double fakeTarget = 0)
    {
        if (dataMass.Length != modelMass.Length) throw new ArgumentException("p_data and p_g must be given on the same bins");
        var d = new double[dataMass.Length];
        for (var i = 0; i < d.Length; i++) d[i] = At(dataMass[i], modelMass[i], realTarget, fakeTarget);
        return d;
    }

    /// <summary>
    /// V(D, G) = E_data[log D(x)] + E_g[log(1 − D(x))] with D constant on each bin. D is clamped to [1e-7, 1 − 1e-7],
    /// the resolution of a float32 sigmoid, so a saturated D costs a large but finite value.
    /// </summary>
    public static double Value(ReadOnlySpan<double> discriminator, ReadOnlySpan<double> dataMass, ReadOnlySpan<double> modelMass)
    {
        if (discriminator.Length != dataMass.Length || modelMass.Length != dataMass.Length) throw new ArgumentException("D, p_data and p_g must be given on the same bins");
        const double eps = 1e-7;
        var v = 0.0;
        for (var i = 0; i < dataMass.Length; i++)
        {
            // D* is exactly 1 where p_g = 0 (and 0 where p_data = 0); those terms have zero weight and add nothing.
            if (dataMass[i] > 0) v += dataMass[i] * Math.Log(Math.Clamp(discriminator[i], eps, 1));
            if (modelMass[i] > 0) v += modelMass[i] * Math.Log(Math.Clamp(1 - discriminator[i], eps, 1));
        }
        return v;
    }

    /// <summary>V(D*, G) = −log 4 + 2·JSD(p_data ‖ p_g): −log 4 ≈ −1.386 exactly when p_g = p_data.</summary>
    public static double ValueAtOptimum(double jensenShannon) => -Math.Log(4) + 2 * jensenShannon;

    /// <summary>
    /// How far a trained D is from the optimal one: Σ |D − D*| weighted by (p_data + p_g)/2, the mean distance
    /// where there are points to classify (elsewhere D is never trained and any value is optimal).
    /// </summary>
    public static double Gap(ReadOnlySpan<double> discriminator, ReadOnlySpan<double> optimal, ReadOnlySpan<double> dataMass, ReadOnlySpan<double> modelMass)
    {
        if (discriminator.Length != optimal.Length || dataMass.Length != optimal.Length || modelMass.Length != optimal.Length)
            throw new ArgumentException("D, D*, p_data and p_g must be given on the same bins");
        var gap = 0.0;
        for (var i = 0; i < optimal.Length; i++) gap += (dataMass[i] + modelMass[i]) / 2 * Math.Abs(discriminator[i] - optimal[i]);
        return gap;
    }

    /// <summary>
    /// The targets D is trained towards, on average, under a run's label mode: what its optimal D depends on.
    /// "noisy" draws U(0.7, 1.2) and U(0, 0.3) (GanLabels), whose means are 0.95 and 0.15; "flip" mixes the two
    /// labels with the flip probability; both swaps exchange them. Null for hinge and the critics: their D is no
    /// probability and has no D* of this form.
    /// </summary>
    public static (double Real, double Fake)? Targets(GanTrainingOptions options)
    {
        if (!Training.Losses.GanLosses.Create(options.Loss).UsesTargets) return null;
        var (r, f, q) = (options.RealLabel, options.FakeLabel, options.FlipProbability);
        return options.Labels switch
        {
            "noisy" => (0.95, 0.15),
            "flip" => (r * (1 - q) + f * q, f * (1 - q) + r * q),
            "swapped" or "swapped-d-only" => (f, r),
            _ => (r, f),
        };
    }
}
