using GanLab.Core.Data;
using GanLab.Core.Imaging;
using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training;

/// <summary>
/// Trains a GAN of the zoo (seed 002's MLP GAN, seed 001's DCGAN) one step at a time, as in pytorch/examples' dcgan: a D step, then a G step,
/// recording Loss_D, Loss_G, D(x) and D(G(z)) before and after the D update. Owns every tensor it makes.
/// Not thread-safe: one thread drives a trainer (libtorch's grad mode is per thread).
/// </summary>
public sealed class GanTrainer : IDisposable
{
    public const int GridSide = 8;

    private readonly Generator random;
    private readonly GanPair networks;
    private readonly Module<Tensor, Tensor> generator;
    private readonly Module<Tensor, Tensor> discriminator;
    private readonly optim.Adam generatorOptimizer;
    private readonly optim.Adam discriminatorOptimizer;
    private readonly Tensor realImages;      // the whole dataset on the device, scaled to [−1, 1]
    private readonly Tensor realTargets;     // RealLabel (0.9 with seed 002's smoothing)
    private readonly Tensor fakeTargets;     // 0
    private readonly Tensor generatorTargets; // 1: G wants D to call its images real
    private readonly Tensor fixedNoise;      // one batch of z reused for every sample grid, so grids are comparable
    private Tensor? epochOrder;
    private long positionInEpoch;
    private readonly System.Diagnostics.Stopwatch clock = new();
    private TimeSpan elapsedBefore;

    public GanTrainer(GanTrainingOptions options, ImageDataset dataset)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        Options = options;
        Device = TrainingDevice.Choose(options.Device);
        DatasetSize = dataset.Count;
        ImagesPerEpoch = dataset.Count;

        // Two streams from one seed: weights are initialised on the CPU, noise and masks are drawn on the device.
        using (var init = new Generator((ulong)options.Seed))
        {
            random = new Generator((ulong)options.Seed, Device);
            networks = GanZoo.Create(options.Model, options.LatentSize, options.LeakySlope, options.Dropout, init, random);
            (generator, discriminator) = (networks.Generator, networks.Discriminator);
        }
        generator.to(Device);
        discriminator.to(Device);
        generatorOptimizer = new optim.Adam(generator.parameters(), options.LearningRate, options.Beta1, options.Beta2);
        discriminatorOptimizer = new optim.Adam(discriminator.parameters(), options.LearningRate, options.Beta1, options.Beta2);

        using (NewDisposeScope())
        {
            // tanh makes images in [−1, 1], so the real ones are scaled to match.
            var imageSize = networks.ImageShape.Aggregate(1L, (a, b) => a * b);
            if (dataset.ImageSize != imageSize)
                throw new ArgumentException($"{options.Model} makes 28×28 grey images; dataset '{dataset.Name}' has {dataset.Channels}×{dataset.Height}×{dataset.Width}");
            var pixels = tensor(dataset.Pixels, [dataset.Count, .. networks.ImageShape]).to(Device);
            realImages = (pixels * 2.0 - 1.0).DetachFromDisposeScope();
        }
        long batch = options.BatchSize;
        realTargets = full([batch, 1], options.RealLabel, device: Device);
        fakeTargets = zeros([batch, 1], device: Device);
        generatorTargets = ones([batch, 1], device: Device);
        fixedNoise = randn([GridSide * GridSide, options.LatentSize], device: Device, generator: random);
    }

    public GanTrainingOptions Options { get; }
    public Device Device { get; }
    public int DatasetSize { get; }
    public long ImagesPerEpoch { get; }
    public long Step { get; private set; }
    public int Epoch { get; private set; }
    public Module<Tensor, Tensor> Generator => generator;
    public Module<Tensor, Tensor> Discriminator => discriminator;

    /// <summary>One D step and one G step on the next batch; returns what they measured.</summary>
    public TrainingProgress TrainStep()
    {
        clock.Start();
        using var scope = NewDisposeScope();
        long batch = Options.BatchSize;
        var real = NextBatch();
        var z = randn([batch, Options.LatentSize], device: Device, generator: random);
        var fake = generator.forward(z);

        // (1) D step: maximise log D(x) + log(1 − D(G(z))). G's output is detached: this step must not move G.
        discriminatorOptimizer.zero_grad();
        var realLogits = discriminator.forward(real);
        var fakeLogits = discriminator.forward(fake.detach());
        var lossD = F.binary_cross_entropy_with_logits(realLogits, realTargets)
                  + F.binary_cross_entropy_with_logits(fakeLogits, fakeTargets);
        lossD.backward();
        discriminatorOptimizer.step();

        // (2) G step: maximise log D(G(z)) (the non-saturating loss: fakes labelled real), through the updated D.
        generatorOptimizer.zero_grad();
        var fakeLogitsAfter = discriminator.forward(fake);
        var lossG = F.binary_cross_entropy_with_logits(fakeLogitsAfter, generatorTargets);
        lossG.backward();
        generatorOptimizer.step();

        // One copy back to the host for all five numbers: on a GPU each read is a synchronisation.
        // Outside autograd: telemetry must not grow the graph.
        using var noGrad = no_grad();
        var numbers = cat([lossD.reshape(1), lossG.reshape(1), realLogits.sigmoid().mean().reshape(1),
                           fakeLogits.sigmoid().mean().reshape(1), fakeLogitsAfter.sigmoid().mean().reshape(1)]).ToDoubleArray();
        Step++;
        clock.Stop();
        var elapsed = elapsedBefore + clock.Elapsed;
        return new TrainingProgress(Step, Epoch, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4],
            ImagesPerSecond: Step * batch / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed);
    }

    /// <summary>Excludes time spent paused from images/s.</summary>
    public void ResetClock()
    {
        elapsedBefore += clock.Elapsed;
        clock.Reset();
    }

    /// <summary>G's images for the fixed noise, in eval mode (no dropout), as an 8×8 grid.</summary>
    public SampleGridSnapshot SampleFixedNoise()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        generator.eval();
        try
        {
            var images = generator.forward(fixedNoise).ToFloatArray();
            return new SampleGridSnapshot(Step, SampleGrid.ToPng(images, GridSide, GridSide, 28, 28, fromTanh: true));
        }
        finally
        {
            generator.train();
        }
    }

    /// <summary>Walks the data in a fresh random order each epoch; a last partial batch is skipped.</summary>
    private Tensor NextBatch()
    {
        long batch = Options.BatchSize;
        if (epochOrder is null || positionInEpoch + batch > DatasetSize)
        {
            if (epochOrder is not null) Epoch++;
            epochOrder?.Dispose();
            epochOrder = randperm(DatasetSize, Device, random).DetachFromDisposeScope();
            positionInEpoch = 0;
            if (batch > DatasetSize) throw new ArgumentException($"batch size {batch} is larger than the dataset ({DatasetSize} images)");
        }
        var indices = epochOrder.narrow(0, positionInEpoch, batch);
        positionInEpoch += batch;
        return realImages.index_select(0, indices);
    }

    public void Dispose()
    {
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
        networks.Dispose();
        foreach (var t in new[] { realImages, realTargets, fakeTargets, generatorTargets, fixedNoise, epochOrder })
            t?.Dispose();
        random.Dispose();
    }
}
