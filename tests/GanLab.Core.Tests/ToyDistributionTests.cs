using GanLab.Core.Data;

namespace GanLab.Core.Tests;

public class ToyDistributionTests
{
    private static (double Mean, double Std) Moments(IEnumerable<float> values)
    {
        var v = values.Select(x => (double)x).ToArray();
        var mean = v.Average();
        return (mean, Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1)));
    }

    [Fact]
    public void A_one_dimensional_mixture_has_the_mean_and_spread_of_its_components()
    {
        var single = new GaussianMixture1D([1], [3], [0.5]);
        var (mean, std) = Moments(single.Sample(20_000, seed: 1));
        Assert.InRange(mean, 2.98, 3.02);
        Assert.InRange(std, 0.49, 0.51);

        // 0.25·N(−2, 0.5²) + 0.75·N(2, 1²): mean 1, variance Σw(σ² + μ²) − 1 = 0.0625 + 0.25·4 + 0.75 + 0.75·4 − 1 = 3.8125.
        var mixture = new GaussianMixture1D([1, 3], [-2, 2], [0.5, 1]);
        var samples = mixture.Sample(40_000, seed: 2);
        (mean, std) = Moments(samples);
        Assert.InRange(mean, 0.96, 1.04);
        Assert.InRange(std, Math.Sqrt(3.8125) - 0.03, Math.Sqrt(3.8125) + 0.03);
        // P(x < 0) = 0.25·Φ(4) + 0.75·Φ(−2) ≈ 0.2671.
        Assert.InRange(samples.Count(x => x < 0) / 40_000.0, 0.257, 0.277);
    }

    [Fact]
    public void The_one_dimensional_density_integrates_to_one_and_peaks_at_a_mean()
    {
        var mixture = new GaussianMixture1D([1, 3], [-2, 2], [0.5, 1]);
        var integral = 0.0;
        for (var x = -10.0; x < 10; x += 0.001) integral += mixture.Density([x]) * 0.001;
        Assert.Equal(1.0, integral, 4);
        var normalAtFour = Math.Exp(-8) / Math.Sqrt(2 * Math.PI);
        Assert.Equal(0.25 / (0.5 * Math.Sqrt(2 * Math.PI)) + 0.75 * normalAtFour, mixture.Density([-2]), 12);
    }

    [Fact]
    public void The_ring_has_eight_modes_of_radius_two_and_its_samples_lie_near_them()
    {
        var ring = GaussianMixture2D.Ring();
        Assert.Equal(8, ring.Centres.Count);
        Assert.Equal(0.02, ring.Sigma);
        Assert.All(ring.Centres, c => Assert.Equal(2, Math.Sqrt(c.X * c.X + c.Y * c.Y), 12));
        var points = ring.Sample(2_500, seed: 3);
        var modes = new HashSet<int>();
        for (var i = 0; i < 2_500; i++)
        {
            var (mode, distance) = ring.NearestCentre(points[2 * i], points[2 * i + 1]);
            Assert.True(distance < 5 * ring.Sigma, $"point {i} is {distance} from its nearest mode");
            modes.Add(mode);
        }
        Assert.Equal(8, modes.Count);
    }

    [Fact]
    public void The_grid_has_twenty_five_modes_from_minus_four_to_four()
    {
        var grid = GaussianMixture2D.Grid();
        Assert.Equal(25, grid.Centres.Count);
        Assert.Equal(0.05, grid.Sigma);
        Assert.Equal([-4.0, -2, 0, 2, 4], grid.Centres.Select(c => c.X).Distinct().Order());
        Assert.Equal([-4.0, -2, 0, 2, 4], grid.Centres.Select(c => c.Y).Distinct().Order());
        var points = grid.Sample(2_500, seed: 4);
        var withinThreeSigma = Enumerable.Range(0, 2_500).Count(i => grid.NearestCentre(points[2 * i], points[2 * i + 1]).Distance < 3 * grid.Sigma);
        // In 2-D, P(r < 3σ) = 1 − e^(−4.5) ≈ 0.989.
        Assert.InRange(withinThreeSigma / 2_500.0, 0.98, 0.995);
    }

    [Fact]
    public void The_two_dimensional_density_is_highest_at_a_centre()
    {
        var ring = GaussianMixture2D.Ring();
        var atCentre = ring.Density([2, 0]);
        Assert.Equal(1 / (8 * 2 * Math.PI * 0.02 * 0.02), atCentre, 6);
        Assert.True(ring.Density([0, 0]) < 1e-100);
    }

    [Fact]
    public void The_same_seed_gives_the_same_points_and_another_seed_others()
    {
        ToyDistribution[] all = [new GaussianMixture1D([1], [0], [1]), GaussianMixture2D.Ring(), GaussianMixture2D.Grid(),
            new SwissRoll(), new TwoMoons(), new PointSet([0, 0, 1, 1, 2, 2])];
        foreach (var toy in all)
        {
            Assert.Equal(toy.Sample(100, seed: 7), toy.Sample(100, seed: 7));
            Assert.NotEqual(toy.Sample(100, seed: 7), toy.Sample(100, seed: 8));
            Assert.Equal(100 * toy.Dimensions, toy.Sample(100, seed: 7).Length);
        }
    }

    [Fact]
    public void Swiss_roll_and_two_moons_lie_on_their_curves()
    {
        var roll = new SwissRoll(noise: 0).Sample(1_000, seed: 5);
        for (var i = 0; i < 1_000; i++)
        {
            var r = Math.Sqrt(roll[2 * i] * roll[2 * i] + roll[2 * i + 1] * roll[2 * i + 1]);
            Assert.InRange(r, 1.5 * Math.PI / 5 - 1e-5, 4.5 * Math.PI / 5 + 1e-5);
        }
        var moons = new TwoMoons(noise: 0).Sample(1_000, seed: 6);
        for (var i = 0; i < 1_000; i++)
        {
            var (x, y) = (moons[2 * i], moons[2 * i + 1]);
            var upper = Math.Abs(Math.Sqrt(x * x + y * y) - 1);
            var lower = Math.Abs(Math.Sqrt((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5)) - 1);
            Assert.True(Math.Min(upper, lower) < 1e-5, $"({x}, {y}) is on neither moon");
        }
        Assert.False(new TwoMoons().HasDensity);
        Assert.Throws<NotSupportedException>(() => new SwissRoll().Density([0, 0]));
    }

    [Fact]
    public void A_user_point_set_is_sampled_with_replacement()
    {
        var set = new PointSet([0, 0, 10, 10, -3, 5]);
        Assert.Equal(3, set.Count);
        var points = set.Sample(3_000, seed: 9);
        var drawn = Enumerable.Range(0, 3_000).Select(i => (points[2 * i], points[2 * i + 1])).ToList();
        Assert.Equal([(-3f, 5f), (0f, 0f), (10f, 10f)], drawn.Distinct().Order());
        Assert.All(drawn.CountBy(p => p), c => Assert.InRange(c.Value, 900, 1_100));
        Assert.Throws<ArgumentException>(() => new PointSet([1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new PointSet([]));
    }
}
