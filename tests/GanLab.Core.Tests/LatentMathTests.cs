using GanLab.Core.Data;
using GanLab.Core.Latent;

namespace GanLab.Core.Tests;

public class LatentMathTests
{
    [Fact]
    public void Lerp_of_known_vectors_is_the_weighted_mean()
    {
        Assert.Equal([2.5f, 7.5f], LatentMath.Lerp([0, 10], [10, 0], 0.25)); // 0.75·a + 0.25·b
        Assert.Equal([5f, 5f], LatentMath.Lerp([0, 10], [10, 0], 0.5));
    }

    [Fact]
    public void Slerp_between_orthogonal_unit_vectors_walks_the_quarter_circle()
    {
        var half = LatentMath.Slerp([1, 0], [0, 1], 0.5);
        Assert.Equal(Math.Sqrt(0.5), half[0], 6);
        Assert.Equal(Math.Sqrt(0.5), half[1], 6);
        var third = LatentMath.Slerp([1, 0], [0, 1], 1.0 / 3);
        Assert.Equal(Math.Cos(Math.PI / 6), third[0], 6); // a third of 90°: 30° from a
        Assert.Equal(Math.Sin(Math.PI / 6), third[1], 6);
    }

    [Fact]
    public void Slerp_keeps_the_norm_between_equal_norm_endpoints_where_lerp_cuts_inside()
    {
        var random = new Random(3);
        var a = Enumerable.Range(0, 100).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var b = Enumerable.Range(0, 100).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var scale = (float)(LatentMath.Norm(a) / LatentMath.Norm(b));
        b = b.Select(x => x * scale).ToArray(); // equal norms
        var norm = LatentMath.Norm(a);
        foreach (var t in new[] { 0.1, 0.3, 0.5, 0.8 })
        {
            Assert.Equal(norm, LatentMath.Norm(LatentMath.Slerp(a, b, t)), 4);
            Assert.True(LatentMath.Norm(LatentMath.Lerp(a, b, t)) < norm * 0.99, $"lerp at t = {t} should cut inside the sphere");
        }
    }

    [Theory]
    [InlineData("linear")]
    [InlineData("spherical")]
    public void A_path_starts_and_ends_exactly_at_the_endpoints(string interpolation)
    {
        float[] a = [0.1f, -2.3f, 4.7f];
        float[] b = [1.9f, 0.2f, -3.3f];
        var path = LatentMath.Path(a, b, 7, interpolation);
        Assert.Equal(7, path.Length);
        Assert.Equal(a, path[0]);
        Assert.Equal(b, path[^1]);
        Assert.NotEqual(path[2], path[3]);
    }

    [Fact]
    public void Slerp_of_parallel_vectors_falls_back_to_lerp_instead_of_dividing_by_zero()
    {
        var mid = LatentMath.Slerp([1, 1], [2, 2], 0.5);
        Assert.Equal([1.5f, 1.5f], mid);
    }

    [Fact]
    public void A_path_refuses_unknown_interpolations_and_too_few_points_naming_what_is_allowed()
    {
        var e = Assert.Throws<ArgumentException>(() => LatentMath.Path([0], [1], 5, "cubic"));
        Assert.Contains("linear, spherical", e.Message);
        Assert.Throws<ArgumentException>(() => LatentMath.Path([0], [1], 1, "linear"));
        Assert.Throws<ArgumentException>(() => LatentMath.Lerp([0, 1], [1], 0.5));
    }

    [Fact]
    public void Vector_arithmetic_is_a_minus_b_plus_c()
    {
        Assert.Equal([4f, -1f], LatentMath.Arithmetic([5, 1], [2, 3], [1, 1]));
    }
}

public class PixelArithmeticTests
{
    [Fact]
    public void X_plus_minus_X_is_zero_everywhere_and_drawn_flat()
    {
        float[] x = [0, 0.25f, 1, 0.5f];
        var sum = PixelArithmetic.Add(x, PixelArithmetic.Negate(x));
        Assert.All(sum, v => Assert.Equal(0f, v));
        Assert.All(PixelArithmetic.Rescale(sum), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void One_plus_four_superimposes_the_strokes_and_one_minus_four_goes_negative()
    {
        // Two "digits" on four pixels: strokes at pixels 0,1 and at 1,2.
        float[] one = [1, 1, 0, 0];
        float[] four = [0, 1, 1, 0];
        Assert.Equal([1f, 2f, 1f, 0f], PixelArithmetic.Add(one, four));
        Assert.Equal([1f, 0f, -1f, 0f], PixelArithmetic.Subtract(one, four));
        // imshow's stretch: the overlap is white, each lone stroke grey, the background black.
        Assert.Equal([0.5f, 1f, 0.5f, 0f], PixelArithmetic.Rescale(PixelArithmetic.Add(one, four)));
        Assert.Equal((-1f, 1f), PixelArithmetic.Range(PixelArithmetic.Subtract(one, four)));
    }

    [Fact]
    public void Combine_needs_a_coefficient_per_image_of_one_size()
    {
        Assert.Throws<ArgumentException>(() => PixelArithmetic.Combine([[1f]], [1, 2]));
        Assert.Throws<ArgumentException>(() => PixelArithmetic.Combine([[1f], [1f, 2f]], [1, 1]));
    }
}

public class NearestNeighbourTests
{
    private static ImageDataset Constructed()
    {
        // Four 2×2 "images" at known distances from the sample [0, 0, 0, 0].
        float[] pixels =
        [
            1, 1, 1, 1,    // distance 2
            0, 0, 0, 0.5f, // distance 0.5
            0, 1, 0, 0,    // distance 1
            0.3f, 0, 0.4f, 0, // distance 0.5 as well (0.09 + 0.16): a tie, the earlier image first
        ];
        return new ImageDataset("constructed", 1, 2, 2, pixels, [7, 1, 4, 9]);
    }

    [Fact]
    public void Neighbours_come_nearest_first_with_their_index_label_and_distance()
    {
        var neighbours = NearestNeighbours.Of([0, 0, 0, 0], Constructed(), 3);
        Assert.Equal([1, 3, 2], neighbours.Select(n => n.Index));
        Assert.Equal([1, 9, 4], neighbours.Select(n => n.Label));
        Assert.Equal(0.5, neighbours[0].Distance, 6);
        Assert.Equal(0.5, neighbours[1].Distance, 6);
        Assert.Equal(1.0, neighbours[2].Distance, 6);
    }

    [Fact]
    public void A_training_image_is_its_own_nearest_neighbour_at_distance_zero()
    {
        var data = Constructed();
        var neighbours = NearestNeighbours.Of(data.Pixels.AsSpan(8, 4), data, 10);
        Assert.Equal(4, neighbours.Count); // no more than there are
        Assert.Equal(2, neighbours[0].Index);
        Assert.Equal(0, neighbours[0].Distance);
    }

    [Fact]
    public void A_sample_of_another_size_is_refused()
    {
        Assert.Throws<ArgumentException>(() => NearestNeighbours.Of(new float[9], Constructed(), 1));
    }
}
