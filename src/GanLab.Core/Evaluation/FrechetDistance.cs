namespace GanLab.Core.Evaluation;

/// <summary>
/// The Fréchet distance between two Gaussians fitted to feature sets (FID when the features are a classifier's):
/// ‖μr − μg‖² + Tr(Σr + Σg − 2(Σr Σg)^½).
/// The trace of the matrix square root goes the symmetric way, in float64: A = Σr^½ from an eigendecomposition of Σr,
/// then M = A Σg A (symmetrised against rounding), whose eigenvalues are those of Σr Σg; so
/// Tr (Σr Σg)^½ = Σ √max(λ(M), 0). The clamp drops the tiny negative eigenvalues rounding leaves on
/// rank-deficient covariances, where the general (non-symmetric) square root would turn complex.
/// FID depends on the sample size (small samples raise it): compare values only at one size, beside the
/// real-vs-real floor for that size.
/// </summary>
public static class FrechetDistance
{
    public static double Between(FeatureSet real, FeatureSet generated) =>
        Between(GaussianStatistics.Of(real), GaussianStatistics.Of(generated));

    public static double Between(GaussianStatistics real, GaussianStatistics generated)
    {
        var d = real.Dimension;
        if (generated.Dimension != d) throw new ArgumentException($"the feature sets have {d} and {generated.Dimension} dimensions");
        var meanTerm = 0.0;
        for (var i = 0; i < d; i++) meanTerm += (real.Mean[i] - generated.Mean[i]) * (real.Mean[i] - generated.Mean[i]);
        var traces = 0.0;
        for (var i = 0; i < d; i++) traces += real.Covariance[i, i] + generated.Covariance[i, i];
        var distance = meanTerm + traces - 2 * TraceOfSquareRootOfProduct(real.Covariance, generated.Covariance);
        // Rounding can leave a distance of identical sets a hair below 0; a distance is never negative.
        return Math.Max(distance, 0);
    }

    /// <summary>Tr (Σr Σg)^½ for symmetric positive semi-definite Σr, Σg, by the symmetric route.</summary>
    public static double TraceOfSquareRootOfProduct(double[,] sigmaR, double[,] sigmaG)
    {
        var d = sigmaR.GetLength(0);
        var a = SquareRoot(sigmaR);
        var m = Multiply(Multiply(a, sigmaG), a);
        for (var i = 0; i < d; i++)
        for (var j = i + 1; j < d; j++)
            m[i, j] = m[j, i] = (m[i, j] + m[j, i]) / 2;
        var (values, _) = SymmetricEigen.Decompose(m);
        return values.Sum(l => Math.Sqrt(Math.Max(l, 0)));
    }

    /// <summary>The symmetric square root V diag(√max(λ, 0)) Vᵀ of a symmetric positive semi-definite matrix.</summary>
    public static double[,] SquareRoot(double[,] symmetric)
    {
        var d = symmetric.GetLength(0);
        var (values, v) = SymmetricEigen.Decompose(symmetric);
        var root = new double[d, d];
        for (var k = 0; k < d; k++)
        {
            var s = Math.Sqrt(Math.Max(values[k], 0));
            if (s == 0) continue;
            for (var i = 0; i < d; i++)
            {
                var vik = v[i, k] * s;
                for (var j = 0; j < d; j++) root[i, j] += vik * v[j, k];
            }
        }
        return root;
    }

    private static double[,] Multiply(double[,] x, double[,] y)
    {
        var (n, inner, m) = (x.GetLength(0), x.GetLength(1), y.GetLength(1));
        var product = new double[n, m];
        for (var i = 0; i < n; i++)
        for (var k = 0; k < inner; k++)
        {
            var xik = x[i, k];
            for (var j = 0; j < m; j++) product[i, j] += xik * y[k, j];
        }
        return product;
    }
}
