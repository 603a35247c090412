using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using GanLab.Core.Data;
using GanLab.Core.Latent;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Core.Pretrained;

/// <summary>How a pretrained model was made: kept in its checkpoint's metadata beside the trainer's own (options, step).</summary>
public sealed record PretrainedRecord(string Name, long Steps, double TrainingSeconds, string Device, string Machine, string Libtorch, DateTime TrainedUtc);

/// <summary>
/// The pretrained GANs of <see cref="PretrainedCatalog"/>, trained once and cached as GanTrainer checkpoints in
/// .ganlab/pretrained/&lt;name&gt;.ganlab. A cached file is used only when it is whole (CRC), was trained with exactly
/// the entry's options and reached its budget; anything else (damaged, stale, half-written) is trained again,
/// never an error for the page. Training goes on in &lt;name&gt;.partial.ganlab, saved whenever it pauses, and is
/// renamed over the final name only when the budget is reached: a reader sees a finished model or none.
/// </summary>
/// <param name="catalog">replaces <see cref="PretrainedCatalog.Gans"/> (tests train for seconds, not minutes)</param>
public sealed class PretrainedModels(GanLabPaths paths, DatasetCatalog datasets, IReadOnlyList<PretrainedGan>? catalog = null)
{
    private const string RecordKey = "pretrained";
    // One trainer per file in this process: the CLI's loop and the server's background service never both train it.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> TrainingLocks = new();

    public IReadOnlyList<PretrainedGan> Gans => catalog ?? PretrainedCatalog.Gans;

    public string Folder => Path.Combine(paths.State, "pretrained");

    public DatasetCatalog Datasets => datasets;

    public string PathFor(string name) => Path.Combine(Folder, $"{name}.ganlab");

    public string PartialPathFor(string name) => Path.Combine(Folder, $"{name}.partial.ganlab");

    /// <summary>The entry of this name, or an ArgumentException naming the allowed ones.</summary>
    public PretrainedGan Find(string name) => Gans.FirstOrDefault(g => g.Name == name)
        ?? throw new ArgumentException($"pretrained model '{name}' is unknown; allowed: {string.Join(", ", Gans.Select(g => g.Name))}");

    /// <summary>
    /// The record of the cached model when the file is usable; otherwise null and, when a file is there but
    /// cannot be used, <paramref name="problem"/> says why (damaged, other options, short of its budget).
    /// Reads the whole file to check its CRC: call it when a component opens, not per render.
    /// </summary>
    public PretrainedRecord? ReadCached(PretrainedGan entry, out string? problem)
    {
        problem = null;
        var path = PathFor(entry.Name);
        if (!File.Exists(path)) return null;
        try
        {
            var metadata = Checkpoint.ReadMetadata(path);
            var options = GanTrainer.ReadCheckpointOptions(path);
            if (options != entry.Options)
                problem = $"{path} was trained with other options ({options}); the catalogue now asks for {entry.Options}";
            else if (metadata?[RecordKey] is not JsonObject json || json.Deserialize(CoreJson.Default.PretrainedRecord) is not { } record)
                problem = $"{path} has no pretrained record";
            else if (metadata["step"]?.GetValue<long>() is not { } step || step < entry.Steps)
                problem = $"{path} stopped at step {metadata["step"]} of {entry.Steps}";
            else
                return record;
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or JsonException or InvalidOperationException or FormatException)
        {
            problem = $"{path} cannot be read ({e.Message})";
        }
        return null;
    }

    public bool IsReady(PretrainedGan entry) => ReadCached(entry, out _) is not null;

    /// <summary>The step a usable partial checkpoint of this entry stands at; null when there is none.</summary>
    public long? PartialStep(PretrainedGan entry)
    {
        var partial = PartialPathFor(entry.Name);
        if (!File.Exists(partial)) return null;
        try
        {
            return GanTrainer.ReadCheckpointOptions(partial) == entry.Options ? Checkpoint.ReadMetadata(partial)?["step"]?.GetValue<long>() : null;
        }
        catch (Exception e) when (e is CheckpointException or InvalidDataException or JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// A training session for this entry: goes on from its partial checkpoint when one with the same options is
    /// there (a restarted server loses at most the steps since the last pause), else from scratch. The caller
    /// steps it (<see cref="PretrainedTraining.TrainUntil"/>) and disposes it; one session per entry at a time.
    /// </summary>
    /// <exception cref="TimeoutException">another session of this process holds the entry and did not let go within <paramref name="wait"/></exception>
    public PretrainedTraining StartTraining(PretrainedGan entry, TimeSpan? wait = null, Action<string>? log = null)
    {
        var gate = TrainingLocks.GetOrAdd(PathFor(entry.Name), _ => new SemaphoreSlim(1, 1));
        if (!gate.Wait(wait ?? Timeout.InfiniteTimeSpan))
            throw new TimeoutException($"pretrained model {entry.Name} is being trained by another part of this process");
        try
        {
            Directory.CreateDirectory(Folder);
            return new PretrainedTraining(this, entry, ResumeOrCreate(entry, log), gate);
        }
        catch
        {
            gate.Release();
            throw;
        }
    }

    private GanTrainer ResumeOrCreate(PretrainedGan entry, Action<string>? log)
    {
        var partial = PartialPathFor(entry.Name);
        if (File.Exists(partial))
        {
            try
            {
                if (GanTrainer.ReadCheckpointOptions(partial) == entry.Options)
                {
                    var trainer = GanTrainer.Resume(partial, datasets);
                    log?.Invoke($"{entry.Name}: going on from {partial} at step {trainer.Step:N0}");
                    return trainer;
                }
                log?.Invoke($"{entry.Name}: {partial} has other options; starting afresh");
            }
            catch (Exception e) when (e is CheckpointException or InvalidDataException or JsonException or ArgumentException)
            {
                log?.Invoke($"{entry.Name}: {partial} cannot be used ({e.Message}); starting afresh");
            }
        }
        return new GanTrainer(entry.Options, datasets.Get(entry.Dataset));
    }

    /// <summary>
    /// The entry's model, trained now when the cache has none usable (blocking: minutes for the catalogue's budgets).
    /// Returns the record and whether this call trained it.
    /// </summary>
    public (PretrainedRecord Record, bool TrainedNow) Ensure(PretrainedGan entry, Action<long, long>? progress = null,
        Action<string>? log = null, CancellationToken cancel = default)
    {
        if (ReadCached(entry, out var problem) is { } cached) return (cached, false);
        if (problem is not null) log?.Invoke($"{problem}; training it again");
        using var training = StartTraining(entry, log: log);
        // Another session may have finished it while this one waited for the lock.
        if (ReadCached(entry, out _) is { } done) return (done, false);
        var finished = training.TrainUntil(() => cancel.IsCancellationRequested, progress);
        if (!finished)
        {
            training.SavePartial();
            cancel.ThrowIfCancellationRequested();
        }
        return (training.Complete(), true);
    }

    /// <summary>The cached model's generator, ready to sample; throws when the cache has none usable (see <see cref="ReadCached"/>).</summary>
    public LatentGenerator LoadGenerator(PretrainedGan entry, string device = "cpu")
    {
        if (ReadCached(entry, out var problem) is null)
            throw new InvalidOperationException(problem ?? $"pretrained model {entry.Name} is not trained yet (run ./ganlab pretrain --only {entry.Name})");
        return LatentGenerator.Load(PathFor(entry.Name), datasets, device);
    }

    internal static JsonObject RecordMetadata(PretrainedRecord record) =>
        new() { [RecordKey] = JsonSerializer.SerializeToNode(record, CoreJson.Default.PretrainedRecord) };
}

/// <summary>
/// One entry being trained: steps until its budget or until asked to stop, so the server can train it in the
/// scheduler's slices and the CLI in one go. Owns the trainer and the entry's lock; Dispose frees both.
/// Not thread-safe: one thread steps it (libtorch's grad mode is per thread).
/// </summary>
public sealed class PretrainedTraining : IDisposable
{
    private readonly PretrainedModels models;
    private readonly GanTrainer trainer;
    private readonly SemaphoreSlim gate;
    private bool disposed;

    internal PretrainedTraining(PretrainedModels models, PretrainedGan entry, GanTrainer trainer, SemaphoreSlim gate)
    {
        (this.models, Entry, this.trainer, this.gate) = (models, entry, trainer, gate);
    }

    public PretrainedGan Entry { get; }

    public long Step => trainer.Step;

    public bool Finished => trainer.Step >= Entry.Steps;

    /// <summary>Share of the budget done, 0..1.</summary>
    public double Fraction => Math.Min(1.0, trainer.Step / (double)Entry.Steps);

    /// <summary>
    /// Trains until the budget is reached (true) or <paramref name="stop"/> says so between steps (false).
    /// <paramref name="progress"/> hears (step, budget) after each step. A step whose losses are NaN ends with a
    /// DivergedStateException naming the step: a pretrained model must not be saved broken.
    /// </summary>
    public bool TrainUntil(Func<bool> stop, Action<long, long>? progress = null)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        try
        {
            while (trainer.Step < Entry.Steps)
            {
                if (stop()) return false;
                var p = trainer.TrainStep();
                if (!double.IsFinite(p.LossD) || !double.IsFinite(p.LossG))
                    throw new DivergedStateException($"pretrained model {Entry.Name} diverged at step {p.Step} (Loss_D {p.LossD}, Loss_G {p.LossG})");
                progress?.Invoke(trainer.Step, Entry.Steps);
            }
            return true;
        }
        finally
        {
            // Time between sessions (a run waiting for its slot) is not training time.
            trainer.ResetClock();
        }
    }

    /// <summary>Keeps the steps made so far in the partial checkpoint, for a later session to go on from.</summary>
    public void SavePartial()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        trainer.SaveCheckpoint(models.PartialPathFor(Entry.Name));
    }

    /// <summary>Writes the finished model under its final name (partial file, then a rename) and returns its record.</summary>
    public PretrainedRecord Complete()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (!Finished) throw new InvalidOperationException($"pretrained model {Entry.Name} is at step {Step} of {Entry.Steps}");
        var record = new PretrainedRecord(Entry.Name, trainer.Step, Math.Round(TrainingSeconds, 1), trainer.Device.ToString(),
            $"{Environment.MachineName} ({Environment.ProcessorCount} cores)", torch.version, DateTime.UtcNow);
        var partial = models.PartialPathFor(Entry.Name);
        trainer.SaveCheckpoint(partial, PretrainedModels.RecordMetadata(record));
        File.Move(partial, models.PathFor(Entry.Name), overwrite: true);
        return record;
    }

    /// <summary>Seconds of training in this checkpoint's whole history (resumed sessions included).</summary>
    public double TrainingSeconds => trainer.ElapsedSeconds;

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        trainer.Dispose();
        gate.Release();
    }
}
