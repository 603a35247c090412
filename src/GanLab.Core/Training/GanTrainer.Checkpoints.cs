using System.Text.Json;
using System.Text.Json.Nodes;
using GanLab.Core.Data;
using GanLab.Torch;

namespace GanLab.Core.Training;

// Saving a run and picking it up again: both networks, both optimizers' state, the options record,
// the counters, and where the random stream and the epoch's order stood, go into one GanLab checkpoint
// (our own format, readable across libtorch versions). A resumed run then draws the same noise, dropout
// masks, labels and batches as the run that never stopped: on the CPU its losses are bit for bit the same.
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

    /// <summary>
    /// Writes the run to <paramref name="path"/> atomically: a crash mid-write leaves the previous file whole.
    /// Refuses (DivergedStateException) while a weight or buffer is NaN or infinite, so a diverged run can never
    /// overwrite its last good checkpoint: an update can break the weights in the very step whose losses still look finite.
    /// <paramref name="extra"/> goes into the metadata beside the run's own (a pretrained model's record), under its own keys.
    /// </summary>
    public void SaveCheckpoint(string path, JsonObject? extra = null)
    {
        using var scope = torch.NewDisposeScope();
        if (NonFiniteStateIn() is { } broken)
            throw new DivergedStateException($"not saving {path} at step {Step}: {broken} holds NaN or infinite values (the run diverged)");
        var metadata = new JsonObject
        {
            ["format"] = Format,
            ["options"] = JsonSerializer.SerializeToNode(Options, CoreJson.Default.GanTrainingOptions),
            ["step"] = Step,
            ["epoch"] = Epoch,
            ["position_in_epoch"] = positionInEpoch,
            ["discriminator_updates"] = DiscriminatorUpdates,
            ["generator_updates"] = GeneratorUpdates,
            ["elapsed_seconds"] = (elapsedBefore + clock.Elapsed).TotalSeconds,
            ["libtorch"] = torch.version,
            ["saved"] = DateTime.UtcNow.ToString("O"),
        };
        foreach (var (key, value) in extra ?? [])
        {
            if (metadata.ContainsKey(key)) throw new ArgumentException($"checkpoint metadata key '{key}' belongs to the trainer", nameof(extra));
            metadata[key] = value?.DeepClone();
        }
        var tensors = new Dictionary<string, Tensor> { [RandomStateKey] = random.get_state() };
        if (epochOrder is not null) tensors[EpochOrderKey] = epochOrder;
        Checkpoint.Save(path, CheckpointModules, CheckpointOptimizers, metadata, tensors);
    }

    private const string RandomStateKey = "random_state";
    private const string EpochOrderKey = "epoch_order";

    /// <summary>"generator" or "discriminator" when that network's state has a NaN or an infinity; null when both are finite.</summary>
    private string? NonFiniteStateIn()
    {
        using var _ = torch.no_grad();
        foreach (var (name, module) in CheckpointModules)
        {
            // x·0 is 0 for every finite x and NaN for NaN and ±inf: one sum per tensor, one read per network.
            var probes = module.state_dict().Values.Select(t => (t * 0.0).sum().to(ScalarType.Float64).reshape(1)).ToList();
            if (probes.Count > 0 && !double.IsFinite(torch.cat(probes).sum().item())) return name;
        }
        return null;
    }

    /// <summary>The options a checkpoint was trained with, so a run can be rebuilt before its weights are loaded.</summary>
    public static GanTrainingOptions ReadCheckpointOptions(string path)
    {
        var metadata = Checkpoint.ReadMetadata(path);
        if (metadata?["format"]?.GetValue<string>() != Format || metadata["options"] is not JsonObject options)
            throw new InvalidDataException($"{path} is a GanLab checkpoint but not of a GAN training run (no '{Format}' metadata)");
        return options.Deserialize(CoreJson.Default.GanTrainingOptions)
            ?? throw new InvalidDataException($"{path}: the options in the checkpoint could not be read");
    }

    /// <summary>
    /// Rebuilds a run from a checkpoint: same options, weights, optimizer state, counters, random stream and
    /// place in the epoch's order, so it goes on exactly as the saved run would have. The fixed noise of the
    /// sample grids is drawn from the seed as at the start, so grids before and after compare.
    /// A checkpoint written before GanLab saved the random stream resumes with the stream restarted from the seed.
    /// <paramref name="device"/>, when given, replaces the saved device (a run trained on a GPU evaluated on a laptop).
    /// </summary>
    public static GanTrainer Resume(string path, DatasetCatalog datasets, string? device = null)
    {
        var options = ReadCheckpointOptions(path);
        if (device is not null) options = options with { Device = device };
        var trainer = new GanTrainer(options, datasets.Get(options.Dataset));
        try
        {
            var metadata = Checkpoint.Load(path, trainer.CheckpointModules, trainer.CheckpointOptimizers, out var tensors)!;
            try
            {
                trainer.Step = metadata["step"]!.GetValue<long>();
                trainer.Epoch = metadata["epoch"]!.GetValue<int>();
                trainer.DiscriminatorUpdates = metadata["discriminator_updates"]?.GetValue<long>() ?? trainer.Step * options.DiscriminatorSteps;
                trainer.GeneratorUpdates = metadata["generator_updates"]?.GetValue<long>() ?? trainer.Step;
                trainer.elapsedBefore = TimeSpan.FromSeconds(metadata["elapsed_seconds"]?.GetValue<double>() ?? 0);
                if (tensors.TryGetValue(RandomStateKey, out var state)) trainer.random.set_state(state);
                if (tensors.TryGetValue(EpochOrderKey, out var order))
                {
                    if (order.shape is not [var n] || n != trainer.DatasetSize)
                        throw new CheckpointException($"checkpoint {path}: its epoch order has shape [{string.Join(", ", order.shape)}], but dataset '{options.Dataset}' has {trainer.DatasetSize} images");
                    trainer.epochOrder = order.to(trainer.Device).DetachFromDisposeScope();
                    trainer.positionInEpoch = metadata["position_in_epoch"]!.GetValue<long>();
                }
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            return trainer;
        }
        catch
        {
            trainer.Dispose();
            throw;
        }
    }
}
