using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Training;

// Drawing many images from G for evaluation, without touching the run's own random stream: evaluating a run
// midway must not change what it does next.
public sealed partial class GanTrainer
{
    /// <summary>
    /// <paramref name="count"/> images from G in eval mode (no dropout), as pixels in [0, 1] image after image,
    /// from latent vectors drawn with their own <paramref name="seed"/>: the same seed gives the same images.
    /// </summary>
    public float[] SampleImages(int count, ulong seed)
    {
        const int Batch = 500;
        var imageSize = DatasetImageSize;
        var pixels = new float[(long)count * imageSize];
        using var noise = new Generator(seed, Device);
        using var noGrad = no_grad();
        generator.eval();
        try
        {
            for (var start = 0; start < count; start += Batch)
            {
                using var scope = NewDisposeScope();
                var n = Math.Min(Batch, count - start);
                var z = Options.LatentDistribution == "uniform"
                    ? rand([n, Options.LatentSize], device: Device, generator: noise) * 2.0 - 1.0
                    : randn([n, Options.LatentSize], device: Device, generator: noise);
                // A conditional G is asked for every class in turn, so the samples' classes are balanced as the test set's are.
                var classes = networks.IsConditional
                    ? tensor(Enumerable.Range(start, n).Select(i => (long)(i % networks.ClassCount)).ToArray(), [n], Device)
                    : null;
                // Back from G's output range to the data's [0, 1], where the classifier reads images.
                var images = networks.Range.ToUnit(networks.Generate(z, classes)).clamp(0, 1).ToFloatArray();
                images.CopyTo(pixels, (long)start * imageSize);
            }
        }
        finally
        {
            generator.train();
        }
        return pixels;
    }

    private long DatasetImageSize => networks.ImageShape.Aggregate(1L, (a, b) => a * b);
}
