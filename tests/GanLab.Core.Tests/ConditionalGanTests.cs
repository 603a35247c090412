using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Tests;

/// <summary>Seed 004's conditional GANs in the trainer: classes in, "choose the digit" out.</summary>
[Collection(nameof(NativeMemory))]
public class ConditionalGanTests
{
    private static GanTrainer Trainer(string model, ImageFormat? image = null, int seed = 4) =>
        new(new GanTrainingOptions { Model = model, Device = "cpu", BatchSize = 8, Seed = seed, TrainOn = "all" }, ZooTrainingTests.Synthetic(64, image));

    private static float[] Row(FixedNoiseSamples samples, int row) =>
        Enumerable.Range(0, samples.Columns).SelectMany(c => samples.At(row, c).ToArray()).ToArray();

    /// <summary>
    /// Equal up to float rounding: the same image computed at another position of the batch may differ in the last bits
    /// (BLAS blocks a batch differently), while a different class moves pixels by far more than 1e-5.
    /// </summary>
    private static void AssertSameImages(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var largest = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(largest < 1e-5, $"rows differ by up to {largest}");
    }

    private static bool Differ(float[] a, float[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max() > 1e-3;

    [Theory]
    [InlineData("cgan")]
    [InlineData("cdcgan")]
    [InlineData("sn-cdcgan")]
    public void The_fixed_grid_has_a_row_per_class_and_each_row_is_drawn_for_the_class_asked(string model)
    {
        using var trainer = Trainer(model);
        trainer.TrainStep(); // batch norm's running statistics move off their start, as in any grid a student sees
        Assert.Equal(Enumerable.Range(0, 10), trainer.FixedClasses!);
        var grid = trainer.FixedNoiseImages();
        Assert.Equal((10, GanTrainer.GridSide), (grid.Rows, grid.Columns));
        Assert.Equal(Enumerable.Range(0, 10), grid.RowClasses!);

        // The same z per column, so asking the classes in reverse order reverses the rows, exactly.
        int[] reversed = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        var flipped = trainer.FixedNoiseImages(reversed);
        Assert.Equal(reversed, flipped.RowClasses!);
        for (var r = 0; r < 10; r++) AssertSameImages(Row(grid, 9 - r), Row(flipped, r));

        // The class changes the picture: rows for different classes differ, a row asked twice does not.
        for (var r = 1; r < 10; r++) Assert.True(Differ(Row(grid, 0), Row(grid, r)), $"rows for classes 0 and {r} are the same picture");
        var sevens = trainer.FixedNoiseImages([7, 7]);
        AssertSameImages(Row(sevens, 0), Row(sevens, 1));
        AssertSameImages(Row(grid, 7), Row(sevens, 0));
    }

    [Fact]
    public void Conditional_steps_penalties_and_grids_leave_no_tensor_behind()
    {
        // The class tensors (real labels, random fake classes, the grid's classes) are made every step:
        // each must die with its step's dispose scope.
        var options = new GanTrainingOptions { Model = "cdcgan", Loss = "wgan-gp", Device = "cpu", BatchSize = 8, Seed = 6, TrainOn = "all" };
        using var trainer = new GanTrainer(options, ZooTrainingTests.Synthetic(64));
        trainer.TrainStep();
        trainer.SampleFixedNoise([1, 2]);
        var before = LiveTensors.Settled();
        for (var i = 0; i < 5; i++)
        {
            trainer.TrainStep();
            trainer.SampleFixedNoise();
        }
        Assert.Equal(before, LiveTensors.Settled());
    }

    [Fact]
    public void Classes_outside_the_models_range_or_for_an_unconditional_model_are_refused()
    {
        using var conditional = Trainer("cdcgan");
        Assert.Contains("between 0 and 9", Assert.Throws<ArgumentException>(() => conditional.FixedNoiseImages([3, 10])).Message);
        using var unconditional = Trainer("dcgan");
        Assert.Null(unconditional.FixedClasses);
        Assert.Equal(0, unconditional.ClassCount);
        Assert.Contains("not conditional", Assert.Throws<ArgumentException>(() => unconditional.FixedNoiseImages([1])).Message);
        Assert.Equal((8, 8), (unconditional.FixedNoiseImages().Rows, unconditional.FixedNoiseImages().Columns));
    }

    [Fact]
    public void A_conditional_DCGAN_on_32x32_colour_draws_an_RGB_grid_with_a_row_per_class()
    {
        using var trainer = Trainer("sn-cdcgan", ImageFormat.Colour32);
        trainer.TrainStep();
        var png = trainer.SampleFixedNoise().Png;
        Assert.Equal(2, png[25]); // PNG colour type 2: RGB
        Assert.Equal(8 * (32 + 2) + 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(10 * (32 + 2) + 2, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
    }

    [Theory]
    [InlineData("cdcgan")]
    [InlineData("cgan")]
    public void A_few_steps_on_MNIST_digits_with_their_labels_move_the_losses(string model)
    {
        var options = new GanTrainingOptions { Model = model, Device = "cpu", Seed = 2, BatchSize = 32, LearningRate = 2e-4, LatentSize = 128 };
        using var trainer = new GanTrainer(options, new DatasetCatalog(DataTests.Paths).Get("mnist"));
        var weightBefore = trainer.Generator.parameters().First().sum().item();
        var first = trainer.TrainStep();
        // The first ten steps, while D learns to tell; later G catches up and Loss_D no longer falls (cgan by step 30).
        var early = trainer.Train(10);
        Assert.True(early.Average(p => p.LossD) < first.LossD, $"Loss_D {first.LossD:F3} → {early.Average(p => p.LossD):F3} should fall as D learns");
        Assert.True(early.Average(p => p.DOfX) > early.Average(p => p.DOfGzBeforeD),
            $"D(x) {early.Average(p => p.DOfX):F3} should exceed D(G(z)) {early.Average(p => p.DOfGzBeforeD):F3}");
        Assert.NotEqual(weightBefore, trainer.Generator.parameters().First().sum().item());
    }
}
