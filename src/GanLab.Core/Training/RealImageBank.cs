using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Training;

/// <summary>
/// The real images trainers draw their batches from: one tensor per dataset, choice of images (the training split or
/// all), device and pixel range, shared by every trainer that needs it. Each trainer used to copy the dataset for
/// itself, so a server's runs in memory (GanLab:MaxLiveRuns, 8) multiplied it: 188 MB per run for Fashion-MNIST's
/// training split on the CPU, 614 MB for CIFAR-10's. Training only reads the images (index_select), which libtorch
/// allows from several threads at once. Each trainer gets a view in its model's shape (flat for an MLP, C×H×W for a
/// convolutional net); the shared tensor is freed when the last trainer lets go of it.
/// </summary>
internal static class RealImageBank
{
    // The dataset by reference: the catalogue loads each once, and a dataset loaded again is other images.
    internal sealed record Key(ImageDataset Dataset, bool TrainingSplitOnly, Device Device, PixelRange Range);

    private sealed class Shelf(Tensor images)
    {
        public Tensor Images { get; } = images;
        public int Borrowers { get; set; }
    }

    private static readonly Lock Gate = new();
    private static readonly Dictionary<Key, Shelf> Shelves = [];

    /// <summary>For tests: the tensors held for one dataset (one per split, device and range in use), and their borrowers.</summary>
    internal static (int Shelves, int Borrowers) HoldersOf(ImageDataset dataset)
    {
        lock (Gate)
        {
            var shelves = Shelves.Where(s => ReferenceEquals(s.Key.Dataset, dataset)).Select(s => s.Value).ToList();
            return (shelves.Count, shelves.Sum(s => s.Borrowers));
        }
    }

    /// <summary>
    /// The images as [count, ..<paramref name="imageShape"/>] on <paramref name="device"/>, in <paramref name="range"/>:
    /// those at <paramref name="trained"/> (the training split, always the same for a dataset) or, when null, all.
    /// Dispose the loan to let go.
    /// </summary>
    public static Loan Borrow(ImageDataset dataset, int[]? trained, Device device, PixelRange range, long[] imageShape)
    {
        var key = new Key(dataset, trained is not null, device, range);
        lock (Gate)
        {
            if (!Shelves.TryGetValue(key, out var shelf))
                Shelves[key] = shelf = new Shelf(Load(dataset, trained, device, range));
            shelf.Borrowers++;
            // A view of its own: the trainer's handle, in the trainer's shape, sharing the shelf's storage.
            var view = shelf.Images.view([shelf.Images.shape[0], .. imageShape]).DetachFromDisposeScope();
            return new Loan(key, view);
        }
    }

    private static Tensor Load(ImageDataset dataset, int[]? trained, Device device, PixelRange range)
    {
        using (NewDisposeScope())
        {
            // Datasets keep pixels in [0, 1]; G's output activation decides the range D must see real images in.
            var pixels = tensor(dataset.Pixels, [dataset.Count, dataset.ImageSize]);
            if (trained is not null) pixels = pixels.index_select(0, tensor(trained.Select(i => (long)i).ToArray(), [trained.Length]));
            return range.FromUnit(pixels.to(device)).contiguous().DetachFromDisposeScope();
        }
    }

    private static void GiveBack(Key key)
    {
        lock (Gate)
        {
            if (!Shelves.TryGetValue(key, out var shelf) || --shelf.Borrowers > 0) return;
            Shelves.Remove(key);
            shelf.Images.Dispose();
        }
    }

    /// <summary>One trainer's hold on shared real images: <see cref="Images"/> until disposed.</summary>
    public sealed class Loan : IDisposable
    {
        private readonly Key _key;
        private bool _returned;

        internal Loan(Key key, Tensor images) => (_key, Images) = (key, images);

        public Tensor Images { get; }

        public void Dispose()
        {
            if (_returned) return;
            _returned = true;
            Images.Dispose();
            GiveBack(_key);
        }
    }
}
