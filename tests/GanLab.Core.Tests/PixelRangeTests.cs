using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Tests;

/// <summary>Real images reach D in the range of G's output activation: [0, 1] for sigmoid models, [−1, 1] for tanh ones.</summary>
[Collection(nameof(NativeMemory))]
public class PixelRangeTests
{
    [Theory]
    [InlineData("keras-gan", 0.0)]
    [InlineData("keras-gan-000", 0.0)]
    [InlineData("tf-gan", 0.0)]
    [InlineData("dcgan", -1.0)]
    [InlineData("mlp-gan", -1.0)]
    [InlineData("cdcgan", -1.0)]
    public void The_trainer_scales_real_images_to_the_models_pixel_range(string model, double black)
    {
        var data = ZooTrainingTests.Synthetic(64);
        using var trainer = new GanTrainer(new GanTrainingOptions { Model = model, Device = "cpu", BatchSize = 8, TrainOn = "all" }, data);
        Assert.Equal(black == 0 ? PixelRange.ZeroToOne : PixelRange.MinusOneToOne, trainer.PixelRange);
        var seen = trainer.RealImages.flatten().ToFloatArray();
        // Stored pixel p in [0, 1] becomes p (sigmoid) or 2p − 1 (tanh).
        for (var i = 0; i < data.Pixels.Length; i += 97)
            Assert.Equal(black == 0 ? data.Pixels[i] : 2 * data.Pixels[i] - 1, seen[i], 1e-6);
        Assert.InRange(seen.Min(), black, black + 0.01);
        Assert.InRange(seen.Max(), 0.99, 1.0);
    }
}
