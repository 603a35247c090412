using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 4: seed 002's MLP GAN and each of its choices (LeakyReLU, tanh with data in [−1, 1], label smoothing,
/// dropout, Adam), measured by turning each off in turn with everything else kept: same seeds, same steps, then the
/// FID of our MNIST classifier and its classifier score on the held-out digits.
/// </summary>
public sealed class FirstGanOnMnistClaims : LessonClaims
{
    public override string Lesson => "04-a-first-gan-on-mnist";
    public override string Describes => "seed 002's MLP GAN with each of its choices turned off in turn: FID, classifier score, D(x), D(G(z))";

    /// <summary>
    /// Steps of each run: rough but recognisable digits, and the lesson's comparison blocks finish in about a minute on an
    /// idle 2-core CPU (the MLP GAN makes about 150 steps of 64 a second there).
    /// </summary>
    public const int FullSteps = 1000;

    /// <summary>Each choice turned off, as the lesson's comparison blocks write it; "unscaled" cannot be a block setting (see below).</summary>
    internal static readonly (string Name, string What, Func<GanTrainingOptions, GanTrainingOptions> Change)[] Variants =
    [
        ("recipe", "seed 002's recipe", o => o),
        ("relu", "leaky-slope 0 (plain ReLU)", o => o with { LeakySlope = 0 }),
        ("hard-labels", "real-label 1 (no label smoothing)", o => o with { RealLabel = 1.0 }),
        ("no-dropout", "dropout 0", o => o with { Dropout = 0 }),
        ("sgd", "optimizer sgd (momentum 0.9, same learning rate)", o => o with { Optimizer = "sgd" }),
        ("unscaled", "real digits left in [0, 1] while G's tanh gives [−1, 1]", o => o),
    ];

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var catalog = new DatasetCatalog(paths);
        var digits = catalog.Get("mnist");
        // D sees x' = 2·p' − 1 of the dataset's p'; with p' = (p + 1)/2 that is the raw p in [0, 1]: the data "not scaled".
        var unscaled = new ImageDataset(digits.Name, digits.Channels, digits.Height, digits.Width,
            Array.ConvertAll(digits.Pixels, p => (p + 1f) / 2f), digits.Labels);
        using var judge = new MnistJudge(paths, catalog, scale.Samples(2000));
        var steps = scale.Steps(FullSteps);
        var seeds = scale.Seeds(4);
        var budget = $"mlp-gan on mnist, batch 64, {steps:N0} steps, seeds 1–{seeds}";

        foreach (var (name, what, change) in Variants)
        {
            var fid = new List<double>();
            var score = new List<double>();
            var dOfX = new List<double>();
            var dOfGz = new List<double>();
            var early = new List<double>();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var options = change(GanTrainingOptions.For("mlp-gan") with { Seed = seed, Device = "cpu" });
                using var trainer = new GanTrainer(options, name == "unscaled" ? unscaled : digits);
                var run = MnistRuns.Train(trainer, steps);
                var pixels = trainer.SampleImages(judge.Samples, 1);
                // The unscaled G learned to draw in [0, 1] with its tanh: its raw output is the image.
                if (name == "unscaled") pixels = Array.ConvertAll(pixels, u => Math.Clamp(2f * u - 1f, 0f, 1f));
                var (f, s) = judge.Quality(pixels);
                fid.Add(f);
                score.Add(s);
                dOfX.Add(MnistRuns.Tail(run, p => p.DOfX));
                dOfGz.Add(MnistRuns.Tail(run, p => p.DOfGzBeforeD));
                early.Add(run.Take(Math.Max(1, steps / 15)).Average(p => p.DOfGzBeforeD));
            }
            var how = $"{budget}, {what}";
            record.Record($"{name}-fid", fid.Average(), "F1", $"{how}: mean over seeds of FID (our MNIST classifier's features, {judge.Samples:N0} samples against as many held-out digits)");
            record.Record($"{name}-fid-lowest", fid.Min(), "F1", $"{how}: the best seed's FID");
            record.Record($"{name}-fid-highest", fid.Max(), "F1", $"{how}: the worst seed's FID");
            record.Record($"{name}-score", score.Average(), "F2", $"{how}: mean over seeds of the classifier score (10 = ten sharp, balanced classes)");
            record.Record($"{name}-d-of-x", dOfX.Average(), "F2", $"{how}: mean D(x) over the last tenth of the steps, seeds averaged");
            record.Record($"{name}-d-of-gz", dOfGz.Average(), "F2", $"{how}: mean D(G(z)) before D's update over the last tenth of the steps, seeds averaged");
            record.Record($"{name}-early-d-of-gz", early.Average(), "F2", $"{how}: mean D(G(z)) before D's update over the first {Math.Max(1, steps / 15)} steps, seeds averaged");
        }
        record.Record("real-fid", judge.RealFloor(), "F1", $"FID of {judge.Samples:N0} real training digits against the {judge.Samples:N0} held-out ones: what a perfect G would score");
        record.Record("real-score", judge.RealScore(), "F2", $"classifier score of {judge.Samples:N0} real training digits");
        record.Record("steps", steps, "N0", "training steps of each run (batch 64)");
        record.Record("seeds", seeds, "N0", "seeds each configuration was trained with");
        record.Record("fid-samples", judge.Samples, "N0", "generated images per FID, against as many held-out real digits");
        record.Record("untrained-negative-pixels", UntrainedNegativeShare(seeds, scale.Samples(1000)), "0%",
            $"share of an untrained mlp-gan G's pixels below 0 (tanh output), {scale.Samples(1000):N0} images, seeds 1–{seeds}; no real pixel in [0, 1] is");
    }

    private static double UntrainedNegativeShare(int seeds, int samples)
    {
        var shares = new List<double>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            using var init = new GanLab.Torch.Generator((ulong)seed);
            using var pair = GanZoo.Create("mlp-gan", ImageFormat.Grey28, new ModelSettings(100, 0.2, 0.3, init, init));
            pair.Generator.eval();
            var images = pair.Generate(randn([samples, 100], generator: init), null);
            shares.Add(images.lt(0).to(ScalarType.Float32).mean().item());
        }
        return shares.Average();
    }
}

/// <summary>Training loops and summaries shared by the MNIST lessons' measurements (lessons 4 and 5).</summary>
internal static class MnistRuns
{
    /// <summary>Trains <paramref name="steps"/> steps and returns each step's report; <paramref name="afterEachStep"/> may look at the trainer between steps.</summary>
    public static List<TrainingProgress> Train(GanTrainer trainer, int steps, Action<GanTrainer>? afterEachStep = null)
    {
        var run = new List<TrainingProgress>(steps);
        for (var i = 0; i < steps; i++)
        {
            run.Add(trainer.TrainStep());
            afterEachStep?.Invoke(trainer);
        }
        return run;
    }

    /// <summary>The mean of a number over the last tenth of a run (at least one step).</summary>
    public static double Tail(List<TrainingProgress> run, Func<TrainingProgress, double> number) =>
        run.Skip(run.Count - Math.Max(1, run.Count / 10)).Average(number);
}

/// <summary>
/// FID and classifier score of generated digits with the cached MNIST domain classifier, against a fixed draw of the
/// held-out test digits (the same real images for every run, so runs compare).
/// </summary>
internal sealed class MnistJudge : IDisposable
{
    private readonly TrainedClassifier classifier;
    private readonly ImageDataset digits;
    private readonly GaussianStatistics reference;
    private readonly int[] trainDraw;

    public MnistJudge(GanLabPaths paths, DatasetCatalog catalog, int samples)
    {
        classifier = new DomainClassifiers(paths, catalog).Get("mnist", "cpu");
        digits = catalog.Get("mnist");
        var split = classifier.Split;
        Samples = Math.Min(samples, split.Test.Length);
        var random = new Random(1);
        var test = split.Test.ToArray();
        var train = split.Train.ToArray();
        random.Shuffle(test);
        random.Shuffle(train);
        TestDraw = test[..Samples];
        trainDraw = train[..Samples];
        reference = GaussianStatistics.Of(Classify(Pixels(TestDraw)).Features);
    }

    public int Samples { get; }

    /// <summary>The held-out digits every comparison uses.</summary>
    public int[] TestDraw { get; }

    public ImageDataset Digits => digits;

    public (double Fid, double Score) Quality(float[] pixels)
    {
        var (features, probabilities) = Classify(pixels);
        return (FrechetDistance.Between(reference, GaussianStatistics.Of(features)), ClassifierScore.Of(probabilities, classifier.Network.Classes));
    }

    /// <summary>Which digit the classifier sees in each image, counted: a collapsed G fills a few classes.</summary>
    public ClassHistogram Classes(float[] pixels) => ClassHistogram.Of(Classify(pixels).Probabilities, classifier.Network.Classes);

    public double RealFloor() => Quality(Pixels(trainDraw)).Fid;
    public double RealScore() => Quality(Pixels(trainDraw)).Score;

    public float[] Pixels(int[] indices)
    {
        var size = digits.ImageSize;
        var pixels = new float[indices.Length * size];
        for (var i = 0; i < indices.Length; i++) digits.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size));
        return pixels;
    }

    private (FeatureSet Features, double[] Probabilities) Classify(float[] pixels) =>
        GeneratorEvaluation.Classify(classifier.Network, pixels, pixels.Length / digits.ImageSize, digits.Channels, digits.Height, digits.Width, Device.CPU);

    public void Dispose() => classifier.Dispose();
}
