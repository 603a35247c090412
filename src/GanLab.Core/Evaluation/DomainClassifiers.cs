using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Core.Evaluation;

/// <summary>What a cached classifier is: how it was trained and how well it classifies images it never saw.</summary>
public sealed record ClassifierRecord(
    string Dataset,
    int Version,
    double TestAccuracy,
    int TrainImages,
    int TestImages,
    double TrainingSeconds,
    string Device,
    string Libtorch,
    ClassifierTrainingOptions Options);

/// <summary>A domain classifier ready to use, with its record and the split it was trained and tested on. Owns the network.</summary>
public sealed class TrainedClassifier(DomainClassifier network, ClassifierRecord record, DatasetSplit split, string path, bool trainedNow) : IDisposable
{
    public DomainClassifier Network { get; } = network;
    public ClassifierRecord Record { get; } = record;
    public DatasetSplit Split { get; } = split;
    public string Path { get; } = path;

    /// <summary>True when this call trained it; false when it came from the cache.</summary>
    public bool TrainedNow { get; } = trainedNow;

    public void Dispose() => Network.Dispose();
}

/// <summary>
/// One domain classifier per dataset, trained the first time it is asked for and then loaded from
/// .ganlab/classifiers/&lt;dataset&gt;-v&lt;version&gt;.ganlab (GanLab's checkpoint format). The version in the
/// name is <see cref="DomainClassifier.Version"/>, so a changed architecture trains afresh instead of loading
/// weights of the wrong shape; a changed recipe (<see cref="ClassifierTrainingOptions.For"/>) is caught by
/// comparing it with the options saved in the file, so only the dataset whose recipe changed trains again.
/// Safe to call from several threads: one trains, the others wait and load its file.
/// </summary>
/// <param name="recipes">replaces <see cref="ClassifierTrainingOptions.For"/> (tests train for seconds, not minutes)</param>
public sealed class DomainClassifiers(GanLabPaths paths, DatasetCatalog datasets, Func<string, ClassifierTrainingOptions>? recipes = null)
{
    private const string Format = "ganlab-classifier/1";
    private const string ModuleKey = "classifier";
    private static readonly ConcurrentDictionary<string, object> TrainingLocks = new();
    // IsCached's answers by file, with the write time and length each was read at.
    private readonly ConcurrentDictionary<string, ((DateTime, long) Stamp, bool Current)> _recipeChecks = new();

    public string PathFor(string dataset) => Path.Combine(paths.Classifiers, $"{dataset}-v{DomainClassifier.Version}.ganlab");

    /// <summary>The options a dataset's classifier is trained with now: the cache holds only classifiers trained with these.</summary>
    public ClassifierTrainingOptions RecipeFor(string dataset) => (recipes ?? ClassifierTrainingOptions.For)(dataset);

    /// <summary>
    /// True when a classifier trained with today's recipe is cached. Reading its record means reading and
    /// checksumming the whole file, and lesson panels ask at every render, so the answer is kept until the file's
    /// write time or length changes.
    /// </summary>
    public bool IsCached(string dataset)
    {
        var path = PathFor(dataset);
        var file = new FileInfo(path);
        if (!file.Exists) return false;
        var stamp = (file.LastWriteTimeUtc, file.Length);
        if (_recipeChecks.TryGetValue(path, out var known) && known.Stamp == stamp) return known.Current;
        bool current;
        try
        {
            current = ReadRecord(path).Options == RecipeFor(dataset);
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or JsonException or IOException)
        {
            current = false;
        }
        _recipeChecks[path] = (stamp, current);
        return current;
    }

    public ImageDataset Dataset(string name) => datasets.Get(name);

    /// <summary>
    /// The dataset's classifier from the cache, or trained now (minutes on a CPU) and cached.
    /// <paramref name="retrain"/> ignores the cache. <paramref name="log"/> hears what is happening.
    /// </summary>
    public TrainedClassifier Get(string dataset, string device = "auto", bool retrain = false, Action<string>? log = null)
    {
        var data = datasets.Get(dataset);
        var split = DatasetSplit.For(data);
        var path = PathFor(dataset);
        var target = TrainingDevice.Choose(device);
        lock (TrainingLocks.GetOrAdd(path, _ => new object()))
        {
            if (!retrain && File.Exists(path))
            {
                try
                {
                    var record = ReadRecord(path);
                    if (record.Options == RecipeFor(dataset)) return Load(path, record, data, split, target);
                    // Every FID and classifier score is read through this network, so one trained with an older recipe
                    // (fewer passes, other augmentation) is replaced rather than quietly measuring with lower accuracy.
                    log?.Invoke($"the cached classifier {path} was trained with another recipe ({record.Options}); training a new one");
                }
                catch (Exception e) when (e is CheckpointException or InvalidDataException or JsonException)
                {
                    // A cache entry can always be remade: a damaged one is replaced, not fatal.
                    log?.Invoke($"the cached classifier {path} cannot be used ({e.Message}); training a new one");
                }
            }
            return TrainAndSave(dataset, data, split, path, target, RecipeFor(dataset), log);
        }
    }

    private static ClassifierRecord ReadRecord(string path)
    {
        var metadata = Checkpoint.ReadMetadata(path);
        if (metadata?["format"]?.GetValue<string>() != Format || metadata["record"] is not JsonObject json)
            throw new InvalidDataException($"{path} is not a GanLab domain classifier");
        return json.Deserialize(CoreJson.Default.ClassifierRecord) ?? throw new InvalidDataException($"{path}: unreadable classifier record");
    }

    private static TrainedClassifier Load(string path, ClassifierRecord record, ImageDataset data, DatasetSplit split, Device device)
    {
        var network = new DomainClassifier(data.Channels, data.Height, data.Width, ClassifierTraining.ClassCount(data));
        try
        {
            Checkpoint.Load(path, new Dictionary<string, torch.nn.Module> { [ModuleKey] = network });
            network.to(device);
            network.eval();
            return new TrainedClassifier(network, record, split, path, trainedNow: false);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private static TrainedClassifier TrainAndSave(string dataset, ImageDataset data, DatasetSplit split, string path, Device device,
        ClassifierTrainingOptions options, Action<string>? log)
    {
        log?.Invoke($"training the {dataset} classifier (v{DomainClassifier.Version}) on {split.Train.Length:N0} images, " +
                    $"testing on {split.Test.Length:N0} it never sees: {options}");
        var clock = Stopwatch.StartNew();
        var network = ClassifierTraining.Train(data, split.Train, options, device,
            (epoch, loss) => log?.Invoke($"  epoch {epoch}/{options.Epochs}: mean cross-entropy {loss:F4} ({clock.Elapsed.TotalSeconds:F0}s)"));
        try
        {
            var seconds = clock.Elapsed.TotalSeconds;
            var accuracy = ClassifierTraining.Accuracy(network, data, split.Test, device);
            var record = new ClassifierRecord(dataset, DomainClassifier.Version, accuracy, split.Train.Length, split.Test.Length,
                Math.Round(seconds, 1), device.ToString(), torch.version, options);
            log?.Invoke($"  test accuracy {accuracy:P2} on {split.Test.Length:N0} held-out images; trained in {seconds:F0}s");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            Checkpoint.Save(path, new Dictionary<string, torch.nn.Module> { [ModuleKey] = network },
                metadata: new JsonObject { ["format"] = Format, ["record"] = JsonSerializer.SerializeToNode(record, CoreJson.Default.ClassifierRecord) });
            return new TrainedClassifier(network, record, split, path, trainedNow: true);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }
}
