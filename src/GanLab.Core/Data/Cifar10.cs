namespace GanLab.Core.Data;

/// <summary>
/// CIFAR-10 (60,000 32×32 colour images in 10 classes) from the standard binary version, which no
/// package registry ships: the user unpacks cifar-10-binary.tar.gz into data/, giving
/// data/cifar-10-batches-bin/. Each batch file is a run of 3,073-byte records: one label byte, then
/// 1,024 red, 1,024 green and 1,024 blue bytes, each plane row-major; that is CHW, kept as it is.
/// </summary>
public static class Cifar10
{
    public const int Side = 32;
    public const int Channels = 3;
    private const int ImageBytes = Channels * Side * Side;
    private const int RecordBytes = 1 + ImageBytes;

    public static readonly string[] BatchFiles =
        ["data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin", "test_batch.bin"];

    public static readonly string[] Classes =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    public static string Folder(GanLabPaths paths) => Path.Combine(paths.Data, "cifar-10-batches-bin");

    public static ImageDataset Load(string folder)
    {
        var missing = BatchFiles.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"cifar10: {string.Join(", ", missing)} missing from {folder}. Download the CIFAR-10 binary version " +
                $"(cifar-10-binary.tar.gz, https://www.cs.toronto.edu/~kriz/cifar.html) and unpack it in {Path.GetDirectoryName(Path.GetFullPath(folder))}, " +
                $"which makes the folder cifar-10-batches-bin with {string.Join(", ", BatchFiles)}.");
        var batches = BatchFiles.Select(f => File.ReadAllBytes(Path.Combine(folder, f))).ToList();
        for (var b = 0; b < batches.Count; b++)
            if (batches[b].Length == 0 || batches[b].Length % RecordBytes != 0)
                throw new InvalidDataException(
                    $"{Path.Combine(folder, BatchFiles[b])} is {batches[b].Length} bytes, not a whole number of 3,073-byte records " +
                    "(1 label byte + 3×32×32 pixels): it is truncated or not a CIFAR-10 binary batch; download it again.");
        var count = batches.Sum(b => b.Length / RecordBytes);
        var pixels = new float[count * ImageBytes];
        var labels = new byte[count];
        var image = 0;
        for (var b = 0; b < batches.Count; b++)
            for (var offset = 0; offset < batches[b].Length; offset += RecordBytes, image++)
            {
                labels[image] = batches[b][offset];
                if (labels[image] > 9)
                    throw new InvalidDataException(
                        $"{Path.Combine(folder, BatchFiles[b])}: record {offset / RecordBytes} has the label {labels[image]}, not 0–9: it is not a CIFAR-10 binary batch");
                var source = batches[b].AsSpan(offset + 1, ImageBytes);
                var target = pixels.AsSpan(image * ImageBytes, ImageBytes);
                for (var i = 0; i < ImageBytes; i++) target[i] = source[i] / 255f;
            }
        return new ImageDataset("cifar10", Channels, Side, Side, pixels, labels);
    }
}
