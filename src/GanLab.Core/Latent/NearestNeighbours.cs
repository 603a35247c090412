using GanLab.Core.Data;

namespace GanLab.Core.Latent;

/// <summary>One training image near a sample: its index in the dataset, its class and its pixel distance.</summary>
public sealed record Neighbour(int Index, int Label, double Distance);

/// <summary>
/// A sample's nearest training images by pixel L2 distance (pixels in [0, 1]): the simplest test of memorization.
/// A Generator that copies shows neighbours that are the sample itself; one that learned the distribution shows
/// images of the same kind that differ in stroke and shape. Exhaustive on purpose: 60,000 images of 784 pixels
/// is 47 million multiply-adds, tens of milliseconds, and no index can be wrong.
/// </summary>
public static class NearestNeighbours
{
    public static IReadOnlyList<Neighbour> Of(ReadOnlySpan<float> sample, ImageDataset training, int count)
    {
        var size = training.ImageSize;
        if (sample.Length != size) throw new ArgumentException($"a sample of {sample.Length} pixels cannot be compared with {training.Name}'s images of {size}");
        if (count < 1) throw new ArgumentException($"asked for {count} neighbours; at least 1");
        count = Math.Min(count, training.Count);
        // The best so far, kept sorted: count is a handful, so insertion beats a heap.
        var best = new List<(double Squared, int Index)>(count + 1);
        var pixels = training.Pixels.AsSpan();
        for (var i = 0; i < training.Count; i++)
        {
            var image = pixels.Slice(i * size, size);
            var bound = best.Count == count ? best[^1].Squared : double.PositiveInfinity;
            double squared = 0;
            for (var p = 0; p < size && squared < bound; p++)
            {
                var d = (double)sample[p] - image[p];
                squared += d * d;
            }
            if (squared >= bound) continue;
            var at = best.FindIndex(b => b.Squared > squared);
            best.Insert(at < 0 ? best.Count : at, (squared, i));
            if (best.Count > count) best.RemoveAt(best.Count - 1);
        }
        return best.Select(b => new Neighbour(b.Index, training.Labels[b.Index], Math.Sqrt(b.Squared))).ToList();
    }
}
