using GanLab.Core.Evaluation;

namespace GanLab.Core.Tests;

public class FrechetDistanceTests
{
    /// <summary>n correlated Gaussian points in d dimensions: x = L z + offset, z standard normal.</summary>
    private static FeatureSet Correlated(int n, int d, int seed, double offset = 0)
    {
        var random = new Random(seed);
        var mixing = new double[d, d];
        for (var i = 0; i < d; i++)
        for (var j = 0; j <= i; j++)
            mixing[i, j] = random.NextDouble() - 0.3;
        var values = new double[n * d];
        var z = new double[d];
        for (var s = 0; s < n; s++)
        {
            for (var j = 0; j < d; j++) z[j] = Normal(random);
            for (var i = 0; i < d; i++)
            {
                var x = offset;
                for (var j = 0; j <= i; j++) x += mixing[i, j] * z[j];
                values[s * d + i] = x;
            }
        }
        return new FeatureSet(values, d);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static FeatureSet Shifted(FeatureSet set, double delta) =>
        new(Array.ConvertAll(set.Values, v => v + delta), set.Dimension);

    [Fact]
    public void A_set_against_itself_scores_zero()
    {
        var set = Correlated(500, 12, seed: 1);
        Assert.Equal(0, FrechetDistance.Between(set, set), 1e-9);
    }

    [Fact]
    public void The_distance_is_symmetric()
    {
        var a = Correlated(400, 10, seed: 2);
        var b = Correlated(400, 10, seed: 3, offset: 0.2);
        var ab = FrechetDistance.Between(a, b);
        Assert.True(ab > 0.01, $"two different sets should be apart, got {ab}");
        Assert.Equal(ab, FrechetDistance.Between(b, a), 1e-9 * ab);
    }

    [Fact]
    public void Shifting_the_mean_adds_exactly_the_squared_shift_and_grows_with_it()
    {
        var set = Correlated(300, 8, seed: 4);
        var previous = 0.0;
        foreach (var delta in new[] { 0.1, 0.5, 1.0, 2.0 })
        {
            // Same covariance, means apart by δ in each of the 8 dimensions: FID = 8 δ².
            var distance = FrechetDistance.Between(set, Shifted(set, delta));
            Assert.Equal(8 * delta * delta, distance, 1e-8);
            Assert.True(distance > previous);
            previous = distance;
        }
    }

    [Fact]
    public void Diagonal_covariances_give_the_closed_form_sum_of_squared_root_differences()
    {
        double[] a = [4, 1, 0.25, 9, 2];
        double[] b = [1, 1, 1, 16, 0];
        double[] muR = [0, 1, 2, 3, 4];
        double[] muG = [1, 1, 2, 1, 4];
        var expected = muR.Zip(muG, (x, y) => (x - y) * (x - y)).Sum() + a.Zip(b, (x, y) => Math.Pow(Math.Sqrt(x) - Math.Sqrt(y), 2)).Sum();
        var real = new GaussianStatistics(muR, Diagonal(a), 100);
        var generated = new GaussianStatistics(muG, Diagonal(b), 100);
        Assert.Equal(expected, FrechetDistance.Between(real, generated), 1e-10);
    }

    [Fact]
    public void Commuting_covariances_in_a_rotated_basis_give_the_same_closed_form()
    {
        // Σr = Q diag(a) Qᵀ and Σg = Q diag(b) Qᵀ share eigenvectors: Tr(Σr + Σg − 2(ΣrΣg)^½) = Σ(√a − √b)²,
        // whatever the rotation Q. The eigen route must find this through full, non-diagonal matrices.
        double[] a = [5, 3, 0.5, 0.01, 2, 7];
        double[] b = [1, 3, 2, 0.04, 0, 0.7];
        var q = RandomRotation(a.Length, seed: 5);
        var expected = a.Zip(b, (x, y) => Math.Pow(Math.Sqrt(x) - Math.Sqrt(y), 2)).Sum();
        var zero = new double[a.Length];
        var distance = FrechetDistance.Between(new GaussianStatistics(zero, Rotate(q, a), 100), new GaussianStatistics(zero, Rotate(q, b), 100));
        // b has a zero eigenvalue: rounding leaves λ ≈ ±1e-16 there and its root ≈ 1e-8, so agreement is to √ε, not ε.
        Assert.Equal(expected, distance, 1e-6);
    }

    [Fact]
    public void Non_commuting_two_by_two_covariances_match_the_closed_form_trace_of_the_root()
    {
        // For 2×2, the eigenvalues of ΣrΣg have sum tr(ΣrΣg) and product det Σr det Σg, so
        // Tr (ΣrΣg)^½ = √λ1 + √λ2 = √(tr(ΣrΣg) + 2√(det Σr det Σg)).
        double[,] r = { { 2, 0.9 }, { 0.9, 1 } };
        double[,] g = { { 0.5, -0.3 }, { -0.3, 3 } };
        var trace = r[0, 0] * g[0, 0] + r[0, 1] * g[1, 0] + r[1, 0] * g[0, 1] + r[1, 1] * g[1, 1];
        var determinants = (r[0, 0] * r[1, 1] - r[0, 1] * r[1, 0]) * (g[0, 0] * g[1, 1] - g[0, 1] * g[1, 0]);
        var expected = Math.Sqrt(trace + 2 * Math.Sqrt(determinants));
        Assert.Equal(expected, FrechetDistance.TraceOfSquareRootOfProduct(r, g), 1e-12);
        Assert.Equal(expected, FrechetDistance.TraceOfSquareRootOfProduct(g, r), 1e-12);
    }

    [Fact]
    public void A_dead_feature_leaves_the_distance_finite_and_a_set_against_itself_at_zero()
    {
        // A ReLU unit that never fires is a constant 0 column: the covariance is singular, which the clamp of
        // tiny negative eigenvalues must absorb.
        var set = Correlated(200, 6, seed: 6);
        var values = (double[])set.Values.Clone();
        for (var i = 0; i < set.Count; i++) values[i * 6 + 2] = 0;
        var withDead = new FeatureSet(values, 6);
        Assert.Equal(0, FrechetDistance.Between(withDead, withDead), 1e-9);
        var other = FrechetDistance.Between(withDead, Correlated(200, 6, seed: 7));
        Assert.True(double.IsFinite(other) && other > 0);
    }

    [Fact]
    public void The_covariance_is_the_unbiased_one()
    {
        var statistics = GaussianStatistics.Of(FeatureSet.FromRows([[0.0], [2.0]]));
        Assert.Equal(1, statistics.Mean[0]);
        Assert.Equal(2, statistics.Covariance[0, 0]); // Σ(x − μ)² / (n − 1) = 2 / 1, not 2 / 2
    }

    [Fact]
    public void The_eigendecomposition_rebuilds_a_symmetric_matrix_from_orthonormal_vectors()
    {
        const int n = 20;
        var random = new Random(8);
        var m = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j <= i; j++)
            m[i, j] = m[j, i] = random.NextDouble() * 2 - 1;
        var (values, v) = SymmetricEigen.Decompose(m);
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            double rebuilt = 0, dot = 0;
            for (var k = 0; k < n; k++)
            {
                rebuilt += v[i, k] * values[k] * v[j, k];
                dot += v[k, i] * v[k, j];
            }
            Assert.Equal(m[i, j], rebuilt, 1e-12);
            Assert.Equal(i == j ? 1 : 0, dot, 1e-12);
        }
    }

    [Fact]
    public void A_non_symmetric_matrix_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => SymmetricEigen.Decompose(new double[,] { { 1, 2 }, { 0, 1 } }));
        Assert.Contains("not symmetric", error.Message);
    }

    private static double[,] Diagonal(double[] values)
    {
        var m = new double[values.Length, values.Length];
        for (var i = 0; i < values.Length; i++) m[i, i] = values[i];
        return m;
    }

    /// <summary>An orthogonal matrix from Gram–Schmidt on random columns.</summary>
    private static double[,] RandomRotation(int n, int seed)
    {
        var random = new Random(seed);
        var q = new double[n, n];
        for (var c = 0; c < n; c++)
        {
            var column = Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
            for (var p = 0; p < c; p++)
            {
                var dot = Enumerable.Range(0, n).Sum(i => column[i] * q[i, p]);
                for (var i = 0; i < n; i++) column[i] -= dot * q[i, p];
            }
            var norm = Math.Sqrt(column.Sum(x => x * x));
            for (var i = 0; i < n; i++) q[i, c] = column[i] / norm;
        }
        return q;
    }

    /// <summary>Q diag(values) Qᵀ, symmetrised exactly.</summary>
    private static double[,] Rotate(double[,] q, double[] values)
    {
        var n = values.Length;
        var m = new double[n, n];
        for (var i = 0; i < n; i++)
        for (var j = 0; j <= i; j++)
        {
            var sum = 0.0;
            for (var k = 0; k < n; k++) sum += q[i, k] * values[k] * q[j, k];
            m[i, j] = m[j, i] = sum;
        }
        return m;
    }
}
