namespace GanLab.Core.Data;

/// <summary>
/// The four standard files of MNIST and Fashion-MNIST in one folder (training and test images and labels,
/// each as IDX, gzipped or not), read as one dataset: the 60,000 training images then the 10,000 test images.
/// A GAN learns the whole distribution, so the split is not kept.
/// </summary>
public static class IdxImageSet
{
    public static readonly string[] StandardFiles =
        ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    /// <summary>Each standard file as it is in the folder (plain or .gz), or null where it is in neither form.</summary>
    public static string?[] Find(string folder) => StandardFiles
        .Select(f => Path.Combine(folder, f))
        .Select(p => File.Exists(p) ? p : File.Exists(p + ".gz") ? p + ".gz" : null)
        .ToArray();

    /// <summary>Loads the four files; <paramref name="whenMissing"/> says how to get them and is added to the error.</summary>
    public static ImageDataset Load(string name, string folder, string whenMissing)
    {
        var files = Find(folder);
        var missing = StandardFiles.Where((_, i) => files[i] is null).ToList();
        if (missing.Count > 0)
            throw new FileNotFoundException(
                $"{name}: {string.Join(", ", missing)} (each plain or .gz) missing from {folder}. {whenMissing}");
        var train = IdxFile.ReadImages(name, files[0]!, files[1]!);
        var test = IdxFile.ReadImages(name, files[2]!, files[3]!);
        if ((train.Height, train.Width) != (test.Height, test.Width))
            throw new InvalidDataException(
                $"{files[0]} holds {train.Height}×{train.Width} images but {files[2]} holds {test.Height}×{test.Width}: the files do not belong together");
        return new ImageDataset(name, 1, train.Height, train.Width,
            [.. train.Pixels, .. test.Pixels], [.. train.Labels, .. test.Labels]);
    }
}
