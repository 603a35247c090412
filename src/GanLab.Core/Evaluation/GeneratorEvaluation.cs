using System.Diagnostics;
using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Core.Evaluation;

/// <summary>FID, classifier score, class histogram, precision and recall of one set of images against the real test images.</summary>
public sealed record ImageSetMetrics(double FrechetDistance, double ClassifierScore, ClassHistogram Classes, double Precision, double Recall);

/// <summary>
/// Everything measured about a generator. <see cref="Generated"/> and <see cref="RealBaseline"/> are measured the
/// same way against the same <see cref="Samples"/> real test images: the baseline is as many real training images,
/// so its FID is the real-vs-real floor at this sample size (what a perfect generator would score) and its other
/// numbers are what real data gets.
/// </summary>
public sealed record EvaluationReport(
    string Dataset,
    string Model,
    long Step,
    int Samples,
    ClassifierRecord Classifier,
    ImageSetMetrics Generated,
    ImageSetMetrics RealBaseline,
    MemorizationReport Memorization,
    bool GeneratorSawTestImages,
    double Seconds);

/// <summary>Evaluates a trained generator with its dataset's domain classifier (trained and cached on first use).</summary>
public sealed class GeneratorEvaluation(DomainClassifiers classifiers)
{
    /// <summary>
    /// FID needs thousands of samples to settle in 128 dimensions, while precision and recall cost samples² distances:
    /// 5,000 where the test set allows (the npm digits hold out 2,000, which then is the size).
    /// </summary>
    public const int PreferredSamples = 5_000;

    /// <summary>Generated and real images compared pixel by pixel in the memorization check (it costs samples × references).</summary>
    public const int MemorizationSamples = 1_000;

    /// <summary>Size of each reference set (training and test) of the memorization check.</summary>
    public const int MemorizationReferences = 5_000;

    /// <summary>The sample size every comparison on this dataset uses unless told otherwise.</summary>
    public static int DefaultSamples(DatasetSplit split) => Math.Min(split.Test.Length, PreferredSamples);

    /// <summary>Evaluates the generator of a checkpoint written by <see cref="GanTrainer.SaveCheckpoint"/>.</summary>
    public EvaluationReport Evaluate(string checkpoint, DatasetCatalog datasets, int? samples = null, string device = "auto", ulong seed = 1,
        Action<string>? log = null)
    {
        using var trainer = GanTrainer.Resume(checkpoint, datasets, device);
        return Evaluate(trainer, samples, seed, log);
    }

    /// <summary>
    /// Draws <paramref name="samples"/> images from the trainer's G (default <see cref="DefaultSamples"/>) and measures them
    /// on the trainer's device. <paramref name="seed"/> fixes the latent vectors and the choice of real images.
    /// </summary>
    public EvaluationReport Evaluate(GanTrainer trainer, int? samples = null, ulong seed = 1, Action<string>? log = null)
    {
        var clock = Stopwatch.StartNew();
        var dataset = trainer.Options.Dataset;
        using var classifier = classifiers.Get(dataset, trainer.Device.Type == DeviceType.CUDA ? "cuda" : "cpu", log: log);
        var data = classifiers.Dataset(dataset);
        var split = classifier.Split;
        var n = samples ?? DefaultSamples(split);
        if (n < 2 * PrecisionRecall.DefaultK || n > split.Test.Length)
            throw new ArgumentException($"samples must be between {2 * PrecisionRecall.DefaultK} and {split.Test.Length:N0} for {dataset} " +
                                        $"(every comparison uses as many real test images as samples; {dataset} holds out {split.Test.Length:N0})");
        var memorization = Math.Min(n, MemorizationSamples);
        // Training images are drawn without overlap for the baseline and for the memorization reference.
        var references = Math.Min(MemorizationReferences, Math.Min(split.Test.Length, split.Train.Length - n));
        if (references < 1)
            throw new ArgumentException($"{dataset}'s {split.Train.Length:N0} training images are too few for {n:N0} real baseline images and a memorization reference");

        // Disjoint real sets from one seeded shuffle of each split.
        var random = new Random((int)(seed % int.MaxValue));
        var test = split.Test.ToArray();
        var train = split.Train.ToArray();
        random.Shuffle(test);
        random.Shuffle(train);
        var referenceImages = test[..n];
        var baselineImages = train[..n];
        var trainReference = train[n..(n + references)];
        var testReference = test[..references];

        log?.Invoke($"drawing {n:N0} samples from {trainer.Options.Model} at step {trainer.Step}");
        var generatedPixels = trainer.SampleImages(n, seed);
        var (c, h, w) = (data.Channels, data.Height, data.Width);
        var network = classifier.Network;
        var device = trainer.Device;
        var generated = Classify(network, generatedPixels, n, c, h, w, device);
        var reference = Classify(network, Pixels(data, referenceImages), n, c, h, w, device);
        var baseline = Classify(network, Pixels(data, baselineImages), n, c, h, w, device);

        log?.Invoke("FID, classifier score, precision and recall");
        var referenceStatistics = GaussianStatistics.Of(reference.Features);
        ImageSetMetrics Measure((FeatureSet Features, double[] Probabilities) set)
        {
            var (precision, recall) = PrecisionRecall.Of(reference.Features, set.Features);
            return new ImageSetMetrics(
                FrechetDistance.Between(referenceStatistics, GaussianStatistics.Of(set.Features)),
                ClassifierScore.Of(set.Probabilities, network.Classes),
                ClassHistogram.Of(set.Probabilities, network.Classes),
                precision, recall);
        }
        var generatedMetrics = Measure(generated);
        var baselineMetrics = Measure(baseline);

        log?.Invoke("memorization check");
        var size = data.ImageSize;
        var memorizationReport = MemorizationCheck.Of(
            FeatureSet.FromFloats(generatedPixels[..(memorization * size)], size),
            FeatureSet.FromFloats(Pixels(data, baselineImages[..memorization]), size),
            FeatureSet.FromFloats(Pixels(data, trainReference), size),
            FeatureSet.FromFloats(Pixels(data, testReference), size));

        return new EvaluationReport(dataset, trainer.Options.Model, trainer.Step, n, classifier.Record, generatedMetrics, baselineMetrics,
            memorizationReport, GeneratorSawTestImages: trainer.DatasetSize > split.Train.Length, Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    private static float[] Pixels(ImageDataset data, int[] indices)
    {
        var size = data.ImageSize;
        var pixels = new float[indices.Length * size];
        for (var i = 0; i < indices.Length; i++) data.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size));
        return pixels;
    }

    /// <summary>The classifier's penultimate features and p(y|x) for images given as pixels in [0, 1].</summary>
    internal static (FeatureSet Features, double[] Probabilities) Classify(DomainClassifier network, float[] pixels, int count,
        int channels, int height, int width, Device device)
    {
        const int Batch = 500;
        var size = channels * height * width;
        var features = new double[(long)count * DomainClassifier.FeatureSize];
        var probabilities = new double[(long)count * network.Classes];
        using var noGrad = no_grad();
        for (var start = 0; start < count; start += Batch)
        {
            using var scope = NewDisposeScope();
            var n = Math.Min(Batch, count - start);
            var images = ImageTensors.FromPixels(pixels[(start * size)..((start + n) * size)], n, channels, height, width, device);
            var f = network.Features(images);
            var p = F.softmax(network.Logits(f).to(ScalarType.Float64), 1);
            f.to(ScalarType.Float64).ToDoubleArray().CopyTo(features, (long)start * DomainClassifier.FeatureSize);
            p.ToDoubleArray().CopyTo(probabilities, (long)start * network.Classes);
        }
        return (new FeatureSet(features, DomainClassifier.FeatureSize), probabilities);
    }
}
