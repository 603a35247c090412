using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

[Collection(nameof(NativeMemory))]
public class LinearProbeTests
{
    private static readonly ImageDataset Digits = new DatasetCatalog(DataTests.Paths).Get("mnist");
    private static readonly LinearProbeOptions Quick = new() { Epochs = 5, TrainImages = 2000 };

    [Fact]
    public void Features_that_carry_the_class_are_read_perfectly_and_features_that_carry_nothing_are_read_at_chance()
    {
        var split = DatasetSplit.For(Digits);
        // The class, written into the first ten pixels: a linear read-out exists, and the probe must find it.
        Tensor Labelled(Tensor images) => images.flatten(1).narrow(1, 0, 10) * 0 + ClassesOf(images);
        var perfect = LinearProbe.Run("class", Labelled, Digits, split, Quick);
        var blind = LinearProbe.Run("constant", images => images.flatten(1).narrow(1, 0, 4) * 0 + 1, Digits, split, Quick);

        Assert.Equal(1.0, perfect.TestAccuracy);
        Assert.InRange(blind.TestAccuracy, 0.05, 0.15); // ten balanced classes
        Assert.Equal((2000, 2000), (perfect.TrainImages, perfect.TestImages));
    }

    [Fact]
    public void Pixels_are_a_strong_linear_baseline_on_digits_and_D_features_have_the_size_of_its_last_hidden_layer()
    {
        var split = DatasetSplit.For(Digits);
        var pixels = LinearProbe.Run("pixels", LinearProbe.Pixels, Digits, split, Quick);
        Assert.InRange(pixels.TestAccuracy, 0.8, 0.97);
        Assert.Equal(784, pixels.FeatureSize);

        using var init = new Torch.Generator(3);
        using var dcgan = GanZoo.Create("dcgan", ImageFormat.Grey28, new ModelSettings(100, 0.2, 0.3, init));
        using var mlp = GanZoo.Create("mlp-gan", ImageFormat.Grey28, new ModelSettings(100, 0.2, 0.3, init));
        using var images = rand([3, 1, 28, 28], generator: init);
        using var convFeatures = LinearProbe.DiscriminatorFeatures(dcgan.Discriminator, dcgan.Range)(images);
        using var mlpFeatures = LinearProbe.DiscriminatorFeatures(mlp.Discriminator, mlp.Range)(images);
        Assert.Equal([3L, 7 * 7 * 128], convFeatures.shape);
        Assert.Equal([3L, 256], mlpFeatures.shape);
    }

    /// <summary>One-hot classes of a batch gathered in split order: recovered from the pixels' identity through a lookup.</summary>
    private static Tensor ClassesOf(Tensor images)
    {
        var flat = images.flatten(1).ToFloatArray();
        var n = (int)images.shape[0];
        var oneHot = new float[n * 10];
        for (var i = 0; i < n; i++) oneHot[i * 10 + Lookup.Value[Key(flat.AsSpan(i * 784, 784))]] = 1;
        return tensor(oneHot, [n, 10]);
    }

    private static readonly Lazy<Dictionary<string, byte>> Lookup = new(() =>
    {
        var table = new Dictionary<string, byte>();
        for (var i = 0; i < Digits.Count; i++) table.TryAdd(Key(Digits.Pixels.AsSpan(i * 784, 784)), Digits.Labels[i]);
        return table;
    });

    private static string Key(ReadOnlySpan<float> pixels) => Convert.ToHexString(System.Security.Cryptography.SHA1.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels)));
}
