using System.Text.Json;
using System.Text.Json.Nodes;
using GanLab.Core.Data;
using GanLab.Torch;

namespace GanLab.Core.Training;

// Saving a run and picking it up again: both networks, both optimizers' state, the options record
// and the step counter go into one GanLab checkpoint (our own format, readable across libtorch versions).
public sealed partial class GanTrainer
{
    private const string Format = "ganlab-trainer/1";

    private IReadOnlyDictionary<string, torch.nn.Module> CheckpointModules => new Dictionary<string, torch.nn.Module>
    {
        ["generator"] = generator,
        ["discriminator"] = discriminator,
    };

    private IReadOnlyDictionary<string, torch.optim.Optimizer> CheckpointOptimizers => new Dictionary<string, torch.optim.Optimizer>
    {
        ["generator_optimizer"] = generatorOptimizer,
        ["discriminator_optimizer"] = discriminatorOptimizer,
    };

    /// <summary>Writes the run to <paramref name="path"/> atomically: a crash mid-write leaves the previous file whole.</summary>
    public void SaveCheckpoint(string path)
    {
        var metadata = new JsonObject
        {
            ["format"] = Format,
            ["options"] = JsonSerializer.SerializeToNode(Options),
            ["step"] = Step,
            ["epoch"] = Epoch,
            ["libtorch"] = torch.version,
            ["saved"] = DateTime.UtcNow.ToString("O"),
        };
        Checkpoint.Save(path, CheckpointModules, CheckpointOptimizers, metadata);
    }

    /// <summary>The options a checkpoint was trained with, so a run can be rebuilt before its weights are loaded.</summary>
    public static GanTrainingOptions ReadCheckpointOptions(string path)
    {
        var metadata = Checkpoint.ReadMetadata(path);
        if (metadata?["format"]?.GetValue<string>() != Format || metadata["options"] is not JsonObject options)
            throw new InvalidDataException($"{path} is a GanLab checkpoint but not of a GAN training run (no '{Format}' metadata)");
        return options.Deserialize<GanTrainingOptions>()
            ?? throw new InvalidDataException($"{path}: the options in the checkpoint could not be read");
    }

    /// <summary>
    /// Rebuilds a run from a checkpoint: same options, weights, optimizer state and step counter.
    /// The random stream starts again from the seed, so noise after the resume differs from the noise
    /// an uninterrupted run would have drawn; the fixed noise of the sample grids is the same.
    /// <paramref name="device"/>, when given, replaces the saved device (a run trained on a GPU evaluated on a laptop).
    /// </summary>
    public static GanTrainer Resume(string path, DatasetCatalog datasets, string? device = null)
    {
        var options = ReadCheckpointOptions(path);
        if (device is not null) options = options with { Device = device };
        var trainer = new GanTrainer(options, datasets.Get(options.Dataset));
        try
        {
            var metadata = Checkpoint.Load(path, trainer.CheckpointModules, trainer.CheckpointOptimizers)!;
            trainer.Step = metadata["step"]!.GetValue<long>();
            trainer.Epoch = metadata["epoch"]!.GetValue<int>();
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
