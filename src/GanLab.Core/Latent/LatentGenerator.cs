using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Latent;

/// <summary>
/// A trained Generator alone, loaded from a GanTrainer checkpoint (a pretrained model or a student's run) to be
/// asked for G(z) at chosen z: latent walks, vector arithmetic, nearest neighbours. D and the optimizers stay on
/// disk. Safe to share between threads: calls are serialised (libtorch's grad mode is per thread, and a small
/// Generator answers in milliseconds, so a queue costs little). Owns its network.
/// </summary>
public sealed class LatentGenerator : IDisposable
{
    private readonly GanPair networks;
    private readonly Lock gate = new();
    private bool disposed;

    private LatentGenerator(GanPair networks, GanTrainingOptions options, long step, Device device)
    {
        (this.networks, Options, Step, Device) = (networks, options, step, device);
    }

    public GanTrainingOptions Options { get; }

    /// <summary>The training step the checkpoint was saved at.</summary>
    public long Step { get; }

    public Device Device { get; }

    public int LatentSize => Options.LatentSize;

    public ImageFormat Image => networks.Image;

    /// <summary>
    /// The Generator of <paramref name="checkpoint"/>, in eval mode (no dropout, batch norm's running statistics).
    /// A conditional model is refused: its images depend on a class as well as z, which these views do not choose.
    /// </summary>
    public static LatentGenerator Load(string checkpoint, DatasetCatalog datasets, string device = "cpu")
    {
        var options = GanTrainer.ReadCheckpointOptions(checkpoint);
        var zoo = GanZoo.Get(options.Model);
        // The image format decides the network's shape; only the dataset knows it (and it is loaded once per server).
        var image = ImageFormat.Of(datasets.Get(options.Dataset));
        var networks = GanZoo.Create(options.Model, image, new ModelSettings(options.LatentSize, options.LeakySlope, options.Dropout));
        try
        {
            if (networks.IsConditional)
                throw new ArgumentException($"{checkpoint} holds the conditional model '{zoo.Name}': a latent explorer needs an unconditional generator (e.g. mlp-gan, dcgan)");
            var metadata = Checkpoint.Load(checkpoint, new Dictionary<string, nn.Module> { ["generator"] = networks.Generator });
            var target = TrainingDevice.Choose(device);
            networks.Generator.to(target);
            networks.Generator.eval();
            return new LatentGenerator(networks, options, metadata?["step"]?.GetValue<long>() ?? 0, target);
        }
        catch
        {
            networks.Dispose();
            throw;
        }
    }

    /// <summary>The z a seed stands for, drawn from the run's latent distribution: the same seed always gives the same z.</summary>
    public float[] LatentFor(long seed)
    {
        using var scope = NewDisposeScope();
        using var noise = new Generator((ulong)seed);
        var z = Options.LatentDistribution == "uniform"
            ? rand([1, LatentSize], generator: noise) * 2.0 - 1.0
            : randn([1, LatentSize], generator: noise);
        return z.ToFloatArray();
    }

    /// <summary>G(z) for each z, as pixels in [0, 1] (the datasets' range), image after image.</summary>
    public float[] Generate(IReadOnlyList<float[]> latents)
    {
        if (latents.Count == 0) return [];
        if (latents.FirstOrDefault(z => z.Length != LatentSize) is { } wrong)
            throw new ArgumentException($"this Generator takes z of size {LatentSize}, not {wrong.Length}");
        var flat = latents.SelectMany(z => z).ToArray();
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var z = tensor(flat, [latents.Count, LatentSize]).to(Device);
            return networks.Range.ToUnit(networks.Generate(z, null)).clamp(0, 1).ToFloatArray();
        }
    }

    /// <summary>One image of <see cref="Generate"/>'s result.</summary>
    public float[] GenerateOne(float[] latent) => Generate([latent]);

    public void Dispose()
    {
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            networks.Dispose();
        }
    }
}
