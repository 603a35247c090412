using GanLab.Core.Data;
using GanLab.Core.Imaging;
using GanLab.Core.Models;
using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training;

/// <summary>
/// Trains a GAN of the zoo (seed 002's MLP GAN, seed 001's DCGAN) one step at a time, as in pytorch/examples' dcgan: k D steps, then a G step,
/// recording Loss_D, Loss_G, D(x) and D(G(z)) before and after the D update. The objective is one of Training/Losses (IGanLoss);
/// label modes, optimizer and latent distribution come from the options. Owns every tensor it makes.
/// Not thread-safe: one thread drives a trainer (libtorch's grad mode is per thread).
/// </summary>
public sealed partial class GanTrainer : IDisposable
{
    public const int GridSide = 8;

    private readonly Generator random;
    private readonly GanPair networks;
    private readonly Module<Tensor, Tensor> generator;
    private readonly Module<Tensor, Tensor> discriminator;
    private readonly optim.Optimizer generatorOptimizer;
    private readonly optim.Optimizer discriminatorOptimizer;
    private readonly IGanLoss loss;
    private readonly Tensor realImages;      // the whole dataset on the device, scaled to [−1, 1]
    private readonly long[] imageShape;      // (C, H, W) of one image, which augmentation turns and mirrors
    private readonly GanLabels labels;       // D's and G's targets, by label mode
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
        imageShape = [dataset.Channels, dataset.Height, dataset.Width];

        // Two streams from one seed: weights are initialised on the CPU, noise and masks are drawn on the device.
        using (var init = new Generator((ulong)options.Seed))
        {
            random = new Generator((ulong)options.Seed, Device);
            networks = GanZoo.Create(options.Model, options.LatentSize, options.LeakySlope, options.Dropout, init, random);
            (generator, discriminator) = (networks.Generator, networks.Discriminator);
        }
        generator.to(Device);
        discriminator.to(Device);
        generatorOptimizer = MakeOptimizer(generator.parameters());
        discriminatorOptimizer = MakeOptimizer(discriminator.parameters());
        loss = GanLosses.Create(options.Loss);

        using (NewDisposeScope())
        {
            // tanh makes images in [−1, 1], so the real ones are scaled to match.
            var imageSize = networks.ImageShape.Aggregate(1L, (a, b) => a * b);
            if (dataset.ImageSize != imageSize)
                throw new ArgumentException($"{options.Model} makes 28×28 grey images; dataset '{dataset.Name}' has {dataset.Channels}×{dataset.Height}×{dataset.Width}");
            var pixels = tensor(dataset.Pixels, [dataset.Count, .. networks.ImageShape]).to(Device);
            realImages = (pixels * 2.0 - 1.0).DetachFromDisposeScope();
        }
        labels = new GanLabels(options, Device, random);
        using (NewDisposeScope()) fixedNoise = SampleLatent(GridSide * GridSide).DetachFromDisposeScope();
    }

    public GanTrainingOptions Options { get; }
    public Device Device { get; }
    public int DatasetSize { get; }
    public long ImagesPerEpoch { get; }
    public long Step { get; private set; }
    public int Epoch { get; private set; }
    public Module<Tensor, Tensor> Generator => generator;
    public Module<Tensor, Tensor> Discriminator => discriminator;

    /// <summary>D steps made so far (DiscriminatorSteps per call of TrainStep).</summary>
    public long DiscriminatorUpdates { get; private set; }

    /// <summary>G steps made so far (one per call of TrainStep).</summary>
    public long GeneratorUpdates { get; private set; }

    /// <summary>
    /// DiscriminatorSteps D steps, each on a fresh real batch and fresh z, then one G step; returns what they measured.
    /// D's numbers (Loss_D and its parts, D(x), D(G(z)) before the update, accuracies, D's gradient norm) are those of the last D step.
    /// </summary>
    public TrainingProgress TrainStep()
    {
        clock.Start();
        using var scope = NewDisposeScope();
        // The last D step's tensors feed the G step (its fakes) and the telemetry.
        Tensor fake = null!, realOutput = null!, fakeOutput = null!, lossDReal = null!, lossDFake = null!, lossD = null!, gradNormD = null!;

        // (1) D step, k times: minimise the loss's D objective (BCE: maximise log D(x) + log(1 − D(G(z)))). G's output is detached: this step must not move G.
        for (var k = 0; k < Options.DiscriminatorSteps; k++)
        {
            var real = NextBatch();
            fake = generator.forward(SampleLatent(Options.BatchSize));
            var targets = labels.ForDiscriminator();
            discriminatorOptimizer.zero_grad();
            realOutput = discriminator.forward(real);
            fakeOutput = discriminator.forward(fake.detach());
            var parts = loss.Discriminator(realOutput, fakeOutput, targets);
            (lossDReal, lossDFake, lossD) = (parts.Real, parts.Fake, parts.Total);
            if (loss.GradientPenaltyWeight > 0) lossD = lossD + loss.GradientPenaltyWeight * GradientPenalty(real, fake.detach());
            lossD.backward();
            gradNormD = GradientNorm(discriminator);
            discriminatorOptimizer.step();
            if (loss.WeightClip is { } c) ClipWeights(discriminator, c);
            DiscriminatorUpdates++;
        }

        // (2) G step: minimise the loss's G objective (non-saturating: maximise log D(G(z))) through the updated D; G's output attached.
        generatorOptimizer.zero_grad();
        var fakeOutputAfter = discriminator.forward(fake);
        var lossG = loss.Generator(fakeOutputAfter, labels.ForGenerator());
        lossG.backward();
        var gradNormG = GradientNorm(generator);
        generatorOptimizer.step();
        GeneratorUpdates++;

        // One copy back to the host for all the numbers: on a GPU each read is a synchronisation.
        // Outside autograd: telemetry must not grow the graph.
        using var noGrad = no_grad();
        var threshold = loss.DecisionThreshold;
        var numbers = cat([lossD.reshape(1), lossG.reshape(1), Shown(realOutput), Shown(fakeOutput), Shown(fakeOutputAfter),
                           lossDReal.reshape(1), lossDFake.reshape(1),
                           realOutput.gt(threshold).to(ScalarType.Float32).mean().reshape(1),
                           fakeOutput.lt(threshold).to(ScalarType.Float32).mean().reshape(1),
                           gradNormG.reshape(1), gradNormD.reshape(1),
                           (realOutput.mean() - fakeOutput.mean()).reshape(1)]).ToDoubleArray();
        Step++;
        clock.Stop();
        var elapsed = elapsedBefore + clock.Elapsed;
        return new TrainingProgress(Step, Epoch, numbers[0], numbers[1], numbers[2], numbers[3], numbers[4],
            ImagesPerSecond: Step * Options.BatchSize / Math.Max(elapsed.TotalSeconds, 1e-9), elapsed)
        {
            LossDReal = numbers[5],
            LossDFake = numbers[6],
            DAccuracyReal = numbers[7],
            DAccuracyFake = numbers[8],
            GradientNormG = numbers[9],
            GradientNormD = numbers[10],
            WassersteinEstimate = numbers[11],
            DOutputIsProbability = loss.OutputIsLogit,
        };
    }

    /// <summary>D(·) as the charts show it: a probability (mean sigmoid) for logit losses, else the raw mean.</summary>
    private Tensor Shown(Tensor output) => (loss.OutputIsLogit ? output.sigmoid().mean() : output.mean()).reshape(1);

    /// <summary>z for count images, from the run's latent distribution.</summary>
    private Tensor SampleLatent(long count) => Options.LatentDistribution == "uniform"
        ? rand([count, Options.LatentSize], device: Device, generator: random) * 2.0 - 1.0
        : randn([count, Options.LatentSize], device: Device, generator: random);

    /// <summary>WGAN-GP's penalty at points between this real batch and these fakes, ε ~ U(0, 1) drawn per image.</summary>
    private Tensor GradientPenalty(Tensor real, Tensor fake)
    {
        long[] perImage = [real.shape[0], .. Enumerable.Repeat(1L, real.dim() - 1)];
        return WassersteinGradientPenaltyLoss.Penalty(discriminator, real, fake, rand(perImage, device: Device, generator: random));
    }

    /// <summary>Total L2 norm over all of a network's parameter gradients, as measured right after backward.</summary>
    private static Tensor GradientNorm(Module<Tensor, Tensor> network)
    {
        using var _ = no_grad();
        var squares = network.parameters().Where(p => p.grad is not null).Select(p => p.grad!.pow(2).sum().reshape(1)).ToList();
        return cat(squares).sum().sqrt();
    }

    /// <summary>WGAN's Lipschitz constraint: every weight of the critic back into [−c, c].</summary>
    private static void ClipWeights(Module<Tensor, Tensor> network, double c)
    {
        using var _ = no_grad();
        foreach (var p in network.parameters()) p.clamp_(-c, c);
    }

    private optim.Optimizer MakeOptimizer(IEnumerable<Tensor> parameters) => Options.Optimizer switch
    {
        "sgd" => new optim.SGD(parameters, Options.LearningRate, Options.Momentum),
        "rmsprop" => new optim.RMSprop(parameters, Options.LearningRate),
        _ => new optim.Adam(parameters, Options.LearningRate, Options.Beta1, Options.Beta2),
    };

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

    /// <summary>Batches in one epoch: a last partial batch is skipped.</summary>
    public long BatchesPerEpoch => DatasetSize / Options.BatchSize;

    /// <summary>Epochs whose every batch has been drawn: Epoch, plus one once the current epoch's last batch is out.</summary>
    public int CompletedEpochs => Epoch + (epochOrder is not null && positionInEpoch + Options.BatchSize > DatasetSize ? 1 : 0);

    /// <summary>Walks the data in a fresh random order each epoch (a last partial batch is skipped), augmented as the options say.</summary>
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
        return ImageAugmentation.Apply(realImages.index_select(0, indices), Options.Augmentation, random, imageShape);
    }

    public void Dispose()
    {
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
        networks.Dispose();
        labels.Dispose();
        foreach (var t in new[] { realImages, fixedNoise, epochOrder })
            t?.Dispose();
        random.Dispose();
    }
}
