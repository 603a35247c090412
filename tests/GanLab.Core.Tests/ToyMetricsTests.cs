using GanLab.Core.Data;
using GanLab.Core.Toys;

namespace GanLab.Core.Tests;

public class ToyMetricsTests
{
    private static float[] Repeat(IEnumerable<(double X, double Y)> points, int times) =>
        Enumerable.Range(0, times).SelectMany(_ => points.SelectMany(p => new[] { (float)p.X, (float)p.Y })).ToArray();

    // ---- modes covered and high-quality share (3σ rule) ----

    [Fact]
    public void Samples_at_every_centre_cover_every_mode_with_full_quality()
    {
        var ring = GaussianMixture2D.Ring();
        var modes = ModeCoverage.Of(ring, Repeat(ring.Centres, 10));
        Assert.Equal(8, modes.ModesCovered);
        Assert.Equal(8, modes.ModeCount);
        Assert.Equal(1.0, modes.HighQualityShare);
        Assert.All(modes.HighQualityPerMode, n => Assert.Equal(10, n));

        var grid = GaussianMixture2D.Grid();
        var gridModes = ModeCoverage.Of(grid, Repeat(grid.Centres, 1));
        Assert.Equal((25, 25, 1.0), (gridModes.ModesCovered, gridModes.ModeCount, gridModes.HighQualityShare));
    }

    [Fact]
    public void Samples_all_at_one_centre_cover_one_mode()
    {
        var ring = GaussianMixture2D.Ring();
        var modes = ModeCoverage.Of(ring, Repeat([ring.Centres[3]], 2_500));
        Assert.Equal(1, modes.ModesCovered);
        Assert.Equal(1.0, modes.HighQualityShare);
        Assert.Equal(2_500, modes.HighQualityPerMode[3]);
    }

    [Fact]
    public void Samples_far_from_every_centre_cover_nothing()
    {
        var ring = GaussianMixture2D.Ring();
        // The origin is 2 from every centre of the ring: 100σ, nearest to some mode but never high quality.
        var modes = ModeCoverage.Of(ring, Repeat([(0, 0), (10, 10)], 100));
        Assert.Equal(0, modes.ModesCovered);
        Assert.Equal(0.0, modes.HighQualityShare);
    }

    [Fact]
    public void The_quality_radius_is_three_sigma_of_the_nearest_centre()
    {
        var ring = GaussianMixture2D.Ring();
        var (cx, cy) = ring.Centres[0];
        var sigma = ring.Sigma;
        // Radially outwards from centre 0 (at (2, 0)): 2.9σ counts, 3.1σ does not; half the samples are good.
        var modes = ModeCoverage.Of(ring, [(float)(cx + 2.9 * sigma), (float)cy, (float)(cx + 3.1 * sigma), (float)cy]);
        Assert.Equal(1, modes.ModesCovered);
        Assert.Equal(0.5, modes.HighQualityShare);
    }

    [Fact]
    public void One_dimensional_mixtures_count_modes_in_each_components_sigma()
    {
        var mixture = new GaussianMixture1D([1, 1], [-2, 2], [0.1, 1]);
        // −2 + 0.5 is 5σ from the narrow mode; 2 + 2.5 is 2.5σ from the wide one.
        var modes = ModeCoverage.Of(mixture, [-1.5f, 4.5f, 2f, -2f]);
        Assert.Equal(2, modes.ModesCovered);
        Assert.Equal(0.75, modes.HighQualityShare);
        Assert.Equal([1, 2], modes.HighQualityPerMode);
    }

    // ---- KL and JS on histograms ----

    [Fact]
    public void JS_is_zero_for_identical_histograms_and_log_two_for_disjoint_ones()
    {
        double[] p = [0.1, 0.4, 0.5, 0, 0];
        Assert.Equal(0, Divergences.JensenShannon(p, p), 12);
        Assert.Equal(0, Divergences.KullbackLeibler(p, p), 12);
        Assert.Equal(Math.Log(2), Divergences.JensenShannon(p, [0, 0, 0, 0.3, 0.7]), 12);
        Assert.Equal(double.PositiveInfinity, Divergences.KullbackLeibler(p, [0, 0, 0, 0.3, 0.7]));
    }

    [Fact]
    public void KL_and_JS_match_hand_computed_values()
    {
        double[] p = [0.5, 0.5], q = [0.25, 0.75];
        Assert.Equal(0.5 * Math.Log(2) + 0.5 * Math.Log(2.0 / 3), Divergences.KullbackLeibler(p, q), 12);
        // m = (0.375, 0.625): JS = ½[0.5 ln(0.5/0.375) + 0.5 ln(0.5/0.625)] + ½[0.25 ln(0.25/0.375) + 0.75 ln(0.75/0.625)].
        var js = 0.5 * (0.5 * Math.Log(0.5 / 0.375) + 0.5 * Math.Log(0.5 / 0.625)) + 0.5 * (0.25 * Math.Log(0.25 / 0.375) + 0.75 * Math.Log(0.75 / 0.625));
        Assert.Equal(js, Divergences.JensenShannon(p, q), 12);
        Assert.Equal(Divergences.JensenShannon(q, p), Divergences.JensenShannon(p, q), 12);
    }

    [Fact]
    public void KL_of_a_collapsed_generator_is_finite_and_grows_with_every_mode_lost()
    {
        var ring = GaussianMixture2D.Ring();
        var evaluator = new ToyEvaluator(ring);
        var kl = Enumerable.Range(1, 8)
            .Select(covered => evaluator.Evaluate(Repeat(ring.Centres.Take(covered), 2_400 / covered)).KullbackLeibler).ToList();
        Assert.All(kl, v => Assert.True(double.IsFinite(v)));
        for (var i = 1; i < kl.Count; i++) Assert.True(kl[i] < kl[i - 1], $"KL with {i + 1} modes {kl[i]:F3} should be below {kl[i - 1]:F3} with {i}");
    }

    [Fact]
    public void Real_samples_reach_the_floor_and_a_collapsed_set_does_not()
    {
        var ring = GaussianMixture2D.Ring();
        var evaluator = new ToyEvaluator(ring);
        var real = evaluator.Evaluate(ring.Sample(2_500, seed: 11));
        Assert.Equal(8, real.Modes!.ModesCovered);
        Assert.InRange(real.Modes.HighQualityShare, 0.97, 1.0);
        Assert.True(real.JensenShannon < 3 * real.JensenShannonFloor + 0.01, $"JS of real samples {real.JensenShannon:F4}, floor {real.JensenShannonFloor:F4}");

        var collapsed = evaluator.Evaluate(Repeat([ring.Centres[0]], 2_500));
        // One mode of eight: p_g puts all its mass where p_data has ⅛, far above the floor.
        Assert.True(collapsed.JensenShannon > 0.3, $"JS of a collapsed G {collapsed.JensenShannon:F3}");
    }

    [Fact]
    public void Toys_of_one_named_distribution_share_its_bin_masses_and_a_given_grid_gets_its_own()
    {
        var ring = ToyDistributions.Create("ring-8");
        Assert.Same(ring, ToyDistributions.Create("ring-8"));
        var (first, second) = (new ToyEvaluator(ring), new ToyEvaluator(ToyDistributions.Create("ring-8")));
        Assert.Same(first.DataMass, second.DataMass);
        Assert.Equal(first.Grid.Mass(ring), first.DataMass);

        var coarse = ToyGrid.Around(ring, side: 16);
        var own = new ToyEvaluator(ring, coarse);
        Assert.Equal(coarse.BinCount, own.DataMass.Count);
        Assert.Equal(coarse.Mass(ring), own.DataMass);
    }

    // ---- the grid ----

    [Fact]
    public void The_grids_data_mass_sums_to_one_and_puts_an_eighth_near_each_ring_mode()
    {
        var ring = GaussianMixture2D.Ring();
        var grid = ToyGrid.Around(ring);
        var mass = grid.Mass(ring);
        Assert.Equal(1.0, mass.Sum(), 9);
        foreach (var (x, y) in ring.Centres)
        {
            // The 3×3 block of bins around a centre holds its whole mode (a bin is about 3.6σ wide).
            var near = 0.0;
            for (var dy = -1; dy <= 1; dy++)
            for (var dx = -1; dx <= 1; dx++)
                near += mass[grid.BinOf(x + dx * grid.BinWidth, y + dy * grid.BinHeight)];
            Assert.InRange(near, 0.124, 0.1251);
        }
    }

    [Fact]
    public void Points_outside_the_box_count_in_the_nearest_edge_bin()
    {
        var grid = new ToyGrid(2, -1, 1, -1, 1, side: 4);
        var histogram = grid.Histogram([100f, 100f, -100f, 0.1f]);
        Assert.Equal(0.5, histogram[grid.BinCount - 1]);   // top right
        Assert.Equal(0.5, histogram[2 * grid.Side]);       // row of y = 0.1, first column
    }

    // ---- the optimal discriminator ----

    /// <summary>p_data = N(0, 1), p_g = N(2, 1): log p_data − log p_g = 2 − 2x, so D*(x) = sigmoid(2 − 2x).</summary>
    private static double ClosedForm(double x) => 1 / (1 + Math.Exp(-(2 - 2 * x)));

    private static readonly GaussianMixture1D Data = new([1], [0], [1]);
    private static readonly GaussianMixture1D Model = new([1], [2], [1]);

    [Fact]
    public void D_star_of_two_known_Gaussians_is_the_closed_form()
    {
        foreach (var x in new[] { -3.0, -1, 0, 0.5, 1, 1.7, 3, 5 })
            Assert.Equal(ClosedForm(x), OptimalDiscriminator.At(Data.Density([x]), Model.Density([x])), 12);
        Assert.Equal(0.5, OptimalDiscriminator.At(Data.Density([1.0]), Model.Density([1.0])), 12); // halfway, the two are equal
    }

    [Fact]
    public void D_star_on_a_grid_matches_the_closed_form_with_p_g_given_analytically_or_by_samples()
    {
        var grid = new ToyGrid(1, -6, 8, 0, 1, side: 512);
        var dataMass = grid.Mass(Data);
        var exact = OptimalDiscriminator.OnGrid(dataMass, grid.Mass(Model));
        for (var b = 0; b < grid.BinCount; b++)
            if (dataMass[b] > 1e-6) Assert.Equal(ClosedForm(grid.Centres[b]), exact[b], tolerance: 1e-4);

        // p_g known only by G's points, as in training: 200,000 samples of N(2, 1) on 64 bins.
        var coarse = new ToyGrid(1, -6, 8, 0, 1, side: 64);
        var (d, g) = (coarse.Mass(Data), coarse.Histogram(Model.Sample(200_000, seed: 5)));
        var estimated = OptimalDiscriminator.OnGrid(d, g);
        var error = Enumerable.Range(0, coarse.BinCount).Sum(b => (d[b] + g[b]) / 2 * Math.Abs(estimated[b] - ClosedForm(coarse.Centres[b])));
        Assert.True(error < 0.01, $"mass-weighted |D*_estimated − D*| = {error:F4}");
    }

    [Fact]
    public void V_at_D_star_equals_minus_log_four_plus_twice_the_JSD()
    {
        var grid = new ToyGrid(1, -6, 8, 0, 1, side: 512);
        var (p, q) = (grid.Mass(Data), grid.Mass(Model));
        var js = Divergences.JensenShannon(p, q);
        Assert.Equal(-Math.Log(4) + 2 * js, OptimalDiscriminator.Value(OptimalDiscriminator.OnGrid(p, q), p, q), 10);
        Assert.Equal(OptimalDiscriminator.ValueAtOptimum(js), OptimalDiscriminator.Value(OptimalDiscriminator.OnGrid(p, q), p, q), 10);

        // The grid's JSD is that of the continuous densities: integrate the closed forms finely.
        var continuous = 0.0;
        for (var x = -12.0; x < 14; x += 1e-3)
        {
            var (a, b) = (Data.Density([x]), Model.Density([x]));
            var m = (a + b) / 2;
            continuous += 0.5 * (a * Math.Log(a / m) + b * Math.Log(b / m)) * 1e-3;
        }
        Assert.Equal(continuous, js, tolerance: 1e-4);

        // Any other D does worse (Proposition 1), e.g. the undecided D = ½ everywhere, whose value is −log 4 exactly.
        var half = Enumerable.Repeat(0.5, grid.BinCount).ToArray();
        Assert.Equal(-Math.Log(4), OptimalDiscriminator.Value(half, p, q), 10);
        Assert.True(OptimalDiscriminator.Value(half, p, q) < OptimalDiscriminator.ValueAtOptimum(js));
        // With p_g = p_data, D* = ½ and V = −log 4.
        Assert.All(OptimalDiscriminator.OnGrid(p, p), d => Assert.Equal(0.5, d, 12));
        Assert.Equal(-Math.Log(4), OptimalDiscriminator.Value(OptimalDiscriminator.OnGrid(p, p), p, p), 10);
    }

    [Fact]
    public void The_gap_is_zero_at_D_star_and_the_mass_weighted_distance_elsewhere()
    {
        double[] p = [0.5, 0.5, 0], q = [0, 0.5, 0.5];
        var optimal = OptimalDiscriminator.OnGrid(p, q);
        Assert.Equal([1.0, 0.5, 0.0], optimal);
        Assert.Equal(0, OptimalDiscriminator.Gap(optimal, optimal, p, q));
        // D = ½ everywhere: weights ¼, ½, ¼ and distances ½, 0, ½.
        Assert.Equal(0.25, OptimalDiscriminator.Gap([0.5, 0.5, 0.5], optimal, p, q), 12);
        // Label smoothing (real 0.9): the best D is 0.9·D*.
        Assert.Equal([0.9, 0.45, 0.0], OptimalDiscriminator.OnGrid(p, q, realTarget: 0.9));
    }
}
