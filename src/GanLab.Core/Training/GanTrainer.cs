using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Imaging;
using GanLab.Core.Models;
using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Training;

/// <summary>
/// Trains a GAN of the zoo (GanZoo) one step at a time, as in pytorch/examples' dcgan: k D steps, then a G step,
/// recording Loss_D, Loss_G, D(x) and D(G(z)) before and after the D update. The objective is one of Training/Losses (IGanLoss);
/// label modes, optimizer and latent distribution come from the options. Real images are scaled to the pixel range of
/// the model's output activation. A conditional model gets each real image's class from the dataset and a random class
/// for each fake; its fixed-noise grid has one row per class. Owns every tensor it makes.
/// Not thread-safe: one thread drives a trainer (libtorch's grad mode is per thread).
/// </summary>
public sealed partial class GanTrainer : IDisposable
{
    /// <summary>Columns of the sample grid; an unconditional grid is square, a conditional one has a row per class.</summary>
    public const int GridSide = 8;

    private readonly Generator random;
    private readonly GanPair networks;
    private readonly Module generator;
    private readonly Module discriminator;
    private readonly optim.Optimizer generatorOptimizer;
    private readonly optim.Optimizer discriminatorOptimizer;
    private readonly IGanLoss loss;
    private readonly RealImageBank.Loan realImages; // the dataset on the device in the model's pixel range, shared with other trainers
    private readonly Tensor? realClasses;    // the class of each real image (int64), for a conditional model
    private readonly long[] imageShape;      // (C, H, W) of one image, which augmentation turns and mirrors
    private readonly GanLabels labels;       // D's and G's targets, by label mode
    private readonly Tensor fixedNoise;      // one batch of z reused for every sample grid, so grids are comparable; conditional: one z per column
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
        // The images D may see (TrainOn): the training split leaves the test images to the metrics, unseen.
        var trained = options.TrainOn == "all" ? null : TrainingSplit(dataset);
        DatasetSize = trained?.Length ?? dataset.Count;
        ImagesPerEpoch = DatasetSize;
        imageShape = [dataset.Channels, dataset.Height, dataset.Width];

        // Two streams from one seed: weights are initialised on the CPU, noise and masks are drawn on the device.
        using (var init = new Generator((ulong)options.Seed))
        {
            random = new Generator((ulong)options.Seed, Device);
            networks = GanZoo.Create(options.Model, ImageFormat.Of(dataset), new ModelSettings(options.LatentSize, options.LeakySlope, options.Dropout, init, random));
            (generator, discriminator) = (networks.Generator, networks.Discriminator);
        }
        generator.to(Device);
        discriminator.to(Device);
        generatorOptimizer = GanStep.MakeOptimizer(generator.parameters(), options.Optimizer, options.LearningRate, options.Beta1, options.Beta2, options.Momentum);
        discriminatorOptimizer = GanStep.MakeOptimizer(discriminator.parameters(), options.Optimizer, options.LearningRate, options.Beta1, options.Beta2, options.Momentum);
        loss = GanLosses.Create(options.Loss);

        if (networks.IsConditional)
        {
            if (dataset.Count > 0 && dataset.Labels.Max() is var largest && largest >= networks.ClassCount)
                throw new ArgumentException($"{options.Model} draws {networks.ClassCount} classes; dataset '{dataset.Name}' has a label {largest}");
            var classes = (trained ?? Enumerable.Range(0, dataset.Count)).Select(i => (long)dataset.Labels[i]).ToArray();
            using (NewDisposeScope()) realClasses = tensor(classes, [classes.Length], Device).DetachFromDisposeScope();
        }
        labels = new GanLabels(options, Device, random);
        FixedClasses = networks.IsConditional ? Enumerable.Range(0, networks.ClassCount).ToArray() : null;
        using (NewDisposeScope()) fixedNoise = SampleLatent(networks.IsConditional ? GridSide : GridSide * GridSide).DetachFromDisposeScope();
        // Last: a trainer that failed to build would never give its loan back, and the images would stay held.
        realImages = RealImageBank.Borrow(dataset, trained, Device, networks.Range, networks.ImageShape);
    }

    private static int[] TrainingSplit(ImageDataset dataset)
    {
        try { return DatasetSplit.For(dataset).Train; }
        catch (InvalidDataException ex) { throw new InvalidDataException($"dataset '{dataset.Name}': {ex.Message}; train on every image with train-on 'all'", ex); }
    }

    public GanTrainingOptions Options { get; }
    public Device Device { get; }
    public int DatasetSize { get; }
    public long ImagesPerEpoch { get; }
    public long Step { get; private set; }
    public int Epoch { get; private set; }
    public Module Generator => generator;
    public Module Discriminator => discriminator;

    /// <summary>The images of this run: the dataset's format, in the range of G's output activation.</summary>
    public ImageFormat Image => networks.Image;
    public PixelRange PixelRange => networks.Range;

    /// <summary>Classes a conditional model draws; 0 for an unconditional one.</summary>
    public int ClassCount => networks.ClassCount;

    /// <summary>The class of each row of the fixed-noise grid (0, 1, …, 9) for a conditional model; null otherwise.</summary>
    public IReadOnlyList<int>? FixedClasses { get; }

    /// <summary>The real images as D sees them, scaled to the model's range (for tests).</summary>
    internal Tensor RealImages => realImages.Images;

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
        Tensor? fakeClass = null;

        // (1) D step, k times: minimise the loss's D objective (BCE: maximise log D(x) + log(1 − D(G(z)))). G's output is detached: this step must not move G.
        for (var k = 0; k < Options.DiscriminatorSteps; k++)
        {
            var (real, realClass) = NextBatch();
            fakeClass = RandomClasses(Options.BatchSize);
            fake = networks.Generate(SampleLatent(Options.BatchSize), fakeClass);
            var targets = labels.ForDiscriminator();
            discriminatorOptimizer.zero_grad();
            realOutput = networks.Discriminate(real, realClass);
            fakeOutput = networks.Discriminate(fake.detach(), fakeClass);
            var parts = loss.Discriminator(realOutput, fakeOutput, targets);
            (lossDReal, lossDFake, lossD) = (parts.Real, parts.Fake, parts.Total);
            if (loss.GradientPenaltyWeight > 0) lossD = lossD + loss.GradientPenaltyWeight * GradientPenalty(real, fake.detach(), realClass);
            lossD.backward();
            gradNormD = GanStep.GradientNorm(discriminator);
            discriminatorOptimizer.step();
            if (loss.WeightClip is { } c) GanStep.ClipWeights(discriminator, c);
            DiscriminatorUpdates++;
        }

        // (2) G step: minimise the loss's G objective (non-saturating: maximise log D(G(z))) through the updated D; G's output attached.
        generatorOptimizer.zero_grad();
        var fakeOutputAfter = networks.Discriminate(fake, fakeClass);
        var lossG = loss.Generator(fakeOutputAfter, labels.ForGenerator());
        lossG.backward();
        var gradNormG = GanStep.GradientNorm(generator);
        generatorOptimizer.step();
        GeneratorUpdates++;

        var numbers = GanStep.ReadBack(loss, lossD, lossDReal, lossDFake, lossG, realOutput, fakeOutput, fakeOutputAfter, gradNormG, gradNormD);
        Step++;
        clock.Stop();
        return GanStep.ToProgress(numbers, loss, Step, Epoch, Options.BatchSize, elapsedBefore + clock.Elapsed);
    }

    /// <summary>z for count images, from the run's latent distribution.</summary>
    private Tensor SampleLatent(long count) => Options.LatentDistribution == "uniform"
        ? rand([count, Options.LatentSize], device: Device, generator: random) * 2.0 - 1.0
        : randn([count, Options.LatentSize], device: Device, generator: random);

    /// <summary>
    /// A class for each fake, uniform over the classes, for a conditional model; null for an unconditional one.
    /// (u·C truncated to an integer, u ~ U(0, 1); clamped first because float rounding can carry u·C up to C.)
    /// </summary>
    private Tensor? RandomClasses(long count) => networks.IsConditional
        ? (rand([count], device: Device, generator: random) * networks.ClassCount).clamp(0, networks.ClassCount - 1).to(ScalarType.Int64)
        : null;

    /// <summary>
    /// WGAN-GP's penalty at points between this real batch and these fakes, ε ~ U(0, 1) drawn per image. A conditional
    /// critic is asked with the real image's class: the penalty bounds D's slope along the image for a fixed class.
    /// </summary>
    private Tensor GradientPenalty(Tensor real, Tensor fake, Tensor? realClass)
    {
        long[] perImage = [real.shape[0], .. Enumerable.Repeat(1L, real.dim() - 1)];
        return WassersteinGradientPenaltyLoss.Penalty(x => networks.Discriminate(x, realClass), real, fake, rand(perImage, device: Device, generator: random));
    }

    /// <summary>Seconds spent in TrainStep over the run's whole history, resumed sessions included.</summary>
    public double ElapsedSeconds => (elapsedBefore + clock.Elapsed).TotalSeconds;

    /// <summary>Excludes time spent paused from images/s.</summary>
    public void ResetClock()
    {
        elapsedBefore += clock.Elapsed;
        clock.Reset();
    }

    /// <summary>G's images for the fixed noise as a PNG grid: 8×8, or for a conditional model a row per class asked (see <see cref="FixedNoiseImages"/>).</summary>
    public SampleGridSnapshot SampleFixedNoise(IReadOnlyList<int>? rowClasses = null) =>
        new(Step, FixedNoiseImages(rowClasses).ToPng());

    /// <summary>
    /// G's images for the fixed noise, in eval mode (no dropout, batch norm's running statistics). Unconditional: an
    /// 8×8 grid of 64 z. Conditional: one row per class in <paramref name="rowClasses"/> (default 0, 1, …, 9), each row
    /// the same 8 z, so a column keeps its z (the style) while the row's class changes what is drawn.
    /// </summary>
    public FixedNoiseSamples FixedNoiseImages(IReadOnlyList<int>? rowClasses = null)
    {
        if (!networks.IsConditional && rowClasses is not null)
            throw new ArgumentException($"{Options.Model} is not conditional: its samples cannot be asked for by class");
        rowClasses ??= FixedClasses;
        if (rowClasses is not null && (rowClasses.Count == 0 || rowClasses.Any(c => c < 0 || c >= networks.ClassCount)))
            throw new ArgumentException($"the grid's rows need classes between 0 and {networks.ClassCount - 1}, not [{string.Join(", ", rowClasses)}]");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        generator.eval();
        try
        {
            if (rowClasses is null)
                return new FixedNoiseSamples(Step, networks.Generate(fixedNoise, null).ToFloatArray(), GridSide, GridSide, networks.Image, networks.Range, null);
            var rows = rowClasses.Count;
            var column = tensor(Enumerable.Range(0, rows * GridSide).Select(i => (long)(i % GridSide)).ToArray(), [rows * GridSide], Device);
            var classes = tensor(rowClasses.SelectMany(c => Enumerable.Repeat((long)c, GridSide)).ToArray(), [rows * GridSide], Device);
            var images = networks.Generate(fixedNoise.index_select(0, column), classes).ToFloatArray();
            return new FixedNoiseSamples(Step, images, rows, GridSide, networks.Image, networks.Range, rowClasses.ToArray());
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

    /// <summary>
    /// The next batch of real images, augmented as the options say, and for a conditional model their classes
    /// (augmentation turns and mirrors an image, never changes its class). Walks the data in a fresh random order
    /// each epoch; a last partial batch is skipped.
    /// </summary>
    private (Tensor Images, Tensor? Classes) NextBatch()
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
        return (ImageAugmentation.Apply(realImages.Images.index_select(0, indices), Options.Augmentation, random, imageShape),
                realClasses?.index_select(0, indices));
    }

    public void Dispose()
    {
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
        networks.Dispose();
        labels.Dispose();
        realImages.Dispose();
        foreach (var t in new[] { realClasses, fixedNoise, epochOrder })
            t?.Dispose();
        random.Dispose();
    }
}
