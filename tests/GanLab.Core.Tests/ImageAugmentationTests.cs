using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

/// <summary>Seed 004's augmentation: flips are exact mirrors, rotations rotate and stay in range, a seed fixes both.</summary>
public class ImageAugmentationTests
{
    [Fact]
    public void Flip_mirrors_exactly_the_chosen_images_and_leaves_the_others_untouched()
    {
        using var scope = NewDisposeScope();
        var images = arange(0, 2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5) / 7.0;
        var flipped = ImageAugmentation.FlipHorizontally(images, tensor([1f, 0f]));

        var before = images.ToFloatArray();
        var after = flipped.ToFloatArray();
        Assert.Equal(images.shape, flipped.shape);
        for (var c = 0; c < 3; c++)
        for (var y = 0; y < 4; y++)
        for (var x = 0; x < 5; x++)
        {
            int At(int n, int col) => ((n * 3 + c) * 4 + y) * 5 + col;
            Assert.Equal(before[At(0, 4 - x)], after[At(0, x)]); // bit for bit: == on floats
            Assert.Equal(before[At(1, x)], after[At(1, x)]);
        }
    }

    [Fact]
    public void Rotation_by_zero_is_the_identity()
    {
        using var scope = NewDisposeScope();
        var images = rand([3, 2, 28, 28], generator: new Generator(1)) * 2.0 - 1.0;
        var rotated = ImageAugmentation.Rotate(images, zeros([3]));
        var difference = (rotated - images).abs().max().item();
        // affine_grid's pixel centres go through float32 linspace: equal to the pixel up to rounding, not bit for bit.
        Assert.True(difference < 1e-5, $"largest change {difference}");
    }

    [Fact]
    public void Rotation_by_90_degrees_moves_every_pixel_to_its_turned_place()
    {
        using var scope = NewDisposeScope();
        // On a square image, 90° lands every sampling point on a pixel centre: the result is a permutation of the pixels.
        var image = arange(0, 16, dtype: ScalarType.Float32).reshape(1, 1, 4, 4);
        var turned = ImageAugmentation.Rotate(image, tensor([90f])).ToFloatArray();
        var source = image.ToFloatArray();
        float[] Turn(bool clockwise) => Enumerable.Range(0, 16)
            .Select(i => (y: i / 4, x: i % 4))
            .Select(p => source[clockwise ? (3 - p.x) * 4 + p.y : p.x * 4 + (3 - p.y)]).ToArray();
        var matches = new[] { Turn(true), Turn(false) }.Count(expected => expected.Zip(turned).All(z => Math.Abs(z.First - z.Second) < 1e-4));
        Assert.True(matches == 1, $"90° gave [{string.Join(", ", turned)}]");
    }

    [Fact]
    public void Rotation_keeps_the_shape_and_the_range_and_changes_the_image()
    {
        using var scope = NewDisposeScope();
        var images = rand([8, 3, 32, 32], generator: new Generator(2)) * 2.0 - 1.0;
        var rotated = ImageAugmentation.Rotate(images, tensor([20f, -20f, 13f, -5f, 1f, 20f, -17f, 8f]));

        Assert.Equal(images.shape, rotated.shape);
        // Bilinear weights are a convex combination and border padding only repeats edge pixels: nothing leaves [min, max].
        Assert.True(rotated.min().item() >= images.min().item() - 1e-6);
        Assert.True(rotated.max().item() <= images.max().item() + 1e-6);
        Assert.True((rotated - images).abs().mean().item() > 0.1, "a rotation of random pixels changes them");
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("rotate")]
    [InlineData("flip+rotate")]
    public void The_same_seed_augments_the_same_way_and_another_seed_does_not(string augmentation)
    {
        using var scope = NewDisposeScope();
        var images = rand([16, 1, 28, 28], generator: new Generator(3)) * 2.0 - 1.0;
        float[] With(ulong seed)
        {
            using var random = new Generator(seed);
            return ImageAugmentation.Apply(images, augmentation, random).ToFloatArray();
        }
        Assert.Equal(With(5), With(5));
        Assert.NotEqual(With(5), With(6));
    }

    [Fact]
    public void None_returns_the_batch_and_draws_nothing_from_the_stream()
    {
        using var scope = NewDisposeScope();
        var images = rand([4, 1, 28, 28], generator: new Generator(3));
        using var used = new Generator(9);
        using var fresh = new Generator(9);

        Assert.Equal(images.ToFloatArray(), ImageAugmentation.Apply(images, "none", used).ToFloatArray());
        Assert.Equal(rand([5], generator: fresh).ToFloatArray(), rand([5], generator: used).ToFloatArray());
    }

    [Fact]
    public void An_unknown_augmentation_names_the_allowed_ones()
    {
        var problems = new GanTrainingOptions { Augmentation = "mirror" }.Validate();
        Assert.Contains(problems, p => p.Contains("augmentation 'mirror'") && p.Contains("none, flip, rotate, flip+rotate"));
    }

    [Theory]
    [InlineData("mlp-gan", "flip+rotate")]
    [InlineData("dcgan", "rotate")]
    public void A_dry_run_with_augmentation_trains(string model, string augmentation)
    {
        var options = new GanTrainingOptions { Model = model, Augmentation = augmentation, BatchSize = 8, Device = "cpu", Seed = 4, TrainOn = "all" };
        using var trainer = new GanTrainer(options, ZooTrainingTests.Synthetic(64));
        var before = trainer.Generator.parameters().First().ToFloatArray();
        var steps = trainer.Train(3);

        Assert.All(steps, p => Assert.True(double.IsFinite(p.LossD) && double.IsFinite(p.LossG), $"step {p.Step}: Loss_D {p.LossD}, Loss_G {p.LossG}"));
        Assert.NotEqual(before, trainer.Generator.parameters().First().ToFloatArray());
    }
}
