using System.IO.Compression;
using GanLab.Core.Data;

namespace GanLab.Core.Tests;

/// <summary>The file formats (IDX, CIFAR-10 binary batches) on small files written here, and the real Fashion-MNIST.</summary>
public sealed class DatasetFileTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ganlab-data-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string InFolder(string name) => Path.Combine(folder, name);

    [Theory]
    [InlineData("images.idx")]
    [InlineData("images.idx.gz")]
    public void An_idx_file_reads_back_what_was_written(string name)
    {
        var data = Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 10)).ToArray();
        IdxFile.Write(InFolder(name), [2, 3, 4], data);
        var read = IdxFile.Read(InFolder(name));
        Assert.Equal([2, 3, 4], read.Dimensions);
        Assert.Equal(data, read.Data);
    }

    [Fact]
    public void Idx_images_and_labels_make_a_dataset_in_zero_to_one()
    {
        IdxFile.Write(InFolder("i.gz"), [2, 2, 3], [0, 51, 102, 153, 204, 255, 255, 0, 0, 0, 0, 0]);
        IdxFile.Write(InFolder("l"), [2], [7, 3]);
        var set = IdxFile.ReadImages("tiny", InFolder("i.gz"), InFolder("l"));
        Assert.Equal((2, 1, 2, 3), (set.Count, set.Channels, set.Height, set.Width));
        Assert.Equal([0f, 0.2f, 0.4f, 0.6f, 0.8f, 1f], set.Pixels[..6]);
        Assert.Equal([7, 3], set.Labels);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 8, 1, 0, 0, 0, 1, 5 }, "magic")]
    [InlineData(new byte[] { 0, 0, 0x0D, 1, 0, 0, 0, 1, 5, 5, 5, 5 }, "data type 0x0D")]
    [InlineData(new byte[] { 0, 0, 8, 2, 0, 0, 0 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 4, 1, 2 }, "truncated")]
    [InlineData(new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 1, 2 }, "does not match its dimensions")]
    public void A_corrupt_idx_file_names_the_file_and_the_fault(byte[] bytes, string expected)
    {
        var file = InFolder("bad-idx1-ubyte");
        File.WriteAllBytes(file, bytes);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.Read(file));
        Assert.Contains(file, error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_truncated_gzip_file_names_the_file()
    {
        IdxFile.Write(InFolder("x.gz"), [100], new byte[100]);
        var bytes = File.ReadAllBytes(InFolder("x.gz"));
        File.WriteAllBytes(InFolder("x.gz"), bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsAny<InvalidDataException>(() => IdxFile.Read(InFolder("x.gz")));
        Assert.Contains(InFolder("x.gz"), error.Message);
    }

    [Fact]
    public void Images_and_labels_of_different_counts_are_refused()
    {
        IdxFile.Write(InFolder("i"), [2, 1, 1], [1, 2]);
        IdxFile.Write(InFolder("l"), [3], [1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => IdxFile.ReadImages("tiny", InFolder("i"), InFolder("l")));
        Assert.Contains("2 images", error.Message);
        Assert.Contains("3 labels", error.Message);
    }

    [Fact]
    public void A_folder_of_the_four_standard_files_loads_training_then_test_images()
    {
        IdxFile.Write(InFolder("train-images-idx3-ubyte.gz"), [2, 2, 2], [255, 255, 255, 255, 0, 0, 0, 0]);
        IdxFile.Write(InFolder("train-labels-idx1-ubyte.gz"), [2], [1, 2]);
        IdxFile.Write(InFolder("t10k-images-idx3-ubyte"), [1, 2, 2], [51, 51, 51, 51]);
        IdxFile.Write(InFolder("t10k-labels-idx1-ubyte"), [1], [9]);
        var set = MnistFull.Load(folder);
        Assert.Equal("mnist-full", set.Name);
        Assert.Equal([1, 2, 9], set.Labels);
        Assert.Equal(0.2f, set.Pixels[^1]);
    }

    [Fact]
    public void Missing_mnist_files_are_named_with_their_folder()
    {
        var paths = new GanLabPaths(folder);
        var error = Assert.Throws<FileNotFoundException>(() => new DatasetCatalog(paths).Get("mnist-full"));
        foreach (var f in IdxImageSet.StandardFiles) Assert.Contains(f, error.Message);
        Assert.Contains(Path.Combine(folder, "data", "mnist"), error.Message);
    }

    [Fact]
    public void Missing_cifar_batches_are_named_with_their_folder()
    {
        var paths = new GanLabPaths(folder);
        var error = Assert.Throws<FileNotFoundException>(() => new DatasetCatalog(paths).Get("cifar10"));
        foreach (var f in Cifar10.BatchFiles) Assert.Contains(f, error.Message);
        Assert.Contains(Path.Combine(folder, "data", "cifar-10-batches-bin"), error.Message);
    }

    /// <summary>One CIFAR-10 record: the label, then the red, green and blue planes filled with r, g, b.</summary>
    private static byte[] Record(byte label, byte r, byte g, byte b) =>
        [label, .. Enumerable.Repeat(r, 1024), .. Enumerable.Repeat(g, 1024), .. Enumerable.Repeat(b, 1024)];

    private string WriteCifar(Func<int, byte[]> batch)
    {
        var cifar = Directory.CreateDirectory(Path.Combine(folder, "data", "cifar-10-batches-bin")).FullName;
        for (var i = 0; i < Cifar10.BatchFiles.Length; i++) File.WriteAllBytes(Path.Combine(cifar, Cifar10.BatchFiles[i]), batch(i));
        return cifar;
    }

    [Fact]
    public void Small_cifar_batches_load_in_channel_plane_order()
    {
        WriteCifar(i => [.. Record((byte)i, 255, 0, 51), .. Record(9, 0, 0, 0)]);
        var cifar = new DatasetCatalog(new GanLabPaths(folder)).Get("cifar10");
        Assert.Equal((12, 3, 32, 32), (cifar.Count, cifar.Channels, cifar.Height, cifar.Width));
        Assert.Equal([0, 9, 1, 9, 2, 9, 3, 9, 4, 9, 5, 9], cifar.Labels);
        var first = cifar.Pixels.AsSpan(0, 3072);
        Assert.All(first[..1024].ToArray(), v => Assert.Equal(1f, v));
        Assert.All(first[1024..2048].ToArray(), v => Assert.Equal(0f, v));
        Assert.All(first[2048..].ToArray(), v => Assert.Equal(0.2f, v));
    }

    [Fact]
    public void A_truncated_cifar_batch_is_named()
    {
        var cifar = WriteCifar(i => i == 3 ? Record(1, 1, 1, 1)[..3000] : Record(1, 1, 1, 1));
        var error = Assert.Throws<InvalidDataException>(() => Cifar10.Load(cifar));
        Assert.Contains("data_batch_4.bin", error.Message);
        Assert.Contains("3,073", error.Message);
    }

    [Fact]
    public void A_failed_load_is_not_cached()
    {
        var catalog = new DatasetCatalog(new GanLabPaths(folder));
        Assert.Throws<FileNotFoundException>(() => catalog.Get("cifar10"));
        WriteCifar(_ => Record(0, 0, 0, 0));
        Assert.Equal(6, catalog.Get("cifar10").Count);
    }

    [Fact]
    public void Debian_fashion_mnist_gives_seventy_thousand_clothes_of_ten_classes()
    {
        if (!Directory.Exists(FashionMnist.DebianFolder))
            Assert.Fail($"{FashionMnist.DebianFolder} is missing: install the Debian package {FashionMnist.Package} (./ganlab test does)");
        var catalog = new DatasetCatalog(DataTests.Paths);
        var fashion = catalog.Get("fashion-mnist");
        Assert.Same(fashion, catalog.Get("fashion-mnist"));
        Assert.Equal((70_000, 1, 28, 28), (fashion.Count, fashion.Channels, fashion.Height, fashion.Width));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (byte)d), fashion.Labels.Distinct().Order());
        Assert.Equal(0f, fashion.Pixels.Min());
        Assert.Equal(1f, fashion.Pixels.Max());
        // Each class has 7,000 images (6,000 training + 1,000 test).
        Assert.All(fashion.Labels.CountBy(l => l), c => Assert.Equal(7_000, c.Value));
    }

    [Fact]
    public void The_catalog_lists_the_new_datasets_and_warms_only_the_installed_ones()
    {
        Assert.Equal(["mnist", "fashion-mnist", "mnist-full", "cifar10"], DatasetCatalog.Names);
        Assert.Equal(["mnist", "fashion-mnist"], DatasetCatalog.Installed);
    }

    [Fact]
    public void Missing_fashion_mnist_names_the_package_and_the_command()
    {
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(InFolder("absent")));
        Assert.Contains(FashionMnist.Package, error.Message);
        Assert.Contains("./ganlab serve", error.Message);
    }
}
