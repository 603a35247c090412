using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;

namespace GanLab.Core.Tests;

/// <summary>The trainer's variants: every model with every loss, k D steps per G step, label modes, optimizers.</summary>
[Collection(nameof(NativeMemory))]
public class ZooTrainingTests
{
    private static readonly DatasetCatalog Datasets = new(DataTests.Paths);

    /// <summary>
    /// Random pixels in [0, 1] and random classes: a dry run needs only the shape of MNIST (or of CIFAR-10), not its images.
    /// Too few per class to hold a test split out: the runs on it train on all of it (TrainOn "all").
    /// </summary>
    internal static ImageDataset Synthetic(int count, ImageFormat? image = null)
    {
        image ??= ImageFormat.Grey28;
        var random = new Random(7);
        var pixels = new float[count * image.Pixels];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        var labels = Enumerable.Range(0, count).Select(_ => (byte)random.Next(10)).ToArray();
        return new ImageDataset(image == ImageFormat.Colour32 ? "cifar10" : "mnist", image.Channels, image.Height, image.Width, pixels, labels);
    }

    /// <summary>Every model, on every image format it takes, with every loss.</summary>
    public static TheoryData<string, string, string> ModelsAndLosses()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var model in GanZoo.Models)
            foreach (var format in model.Formats)
                foreach (var loss in GanLosses.Names) data.Add(model.Name, format.ToString(), loss);
        return data;
    }

    [Theory]
    [MemberData(nameof(ModelsAndLosses))]
    public void Every_model_trains_with_every_loss_on_the_CPU(string model, string format, string loss)
    {
        var options = new GanTrainingOptions { Model = model, Loss = loss, Device = "cpu", BatchSize = 8, DiscriminatorSteps = 2, Seed = 5, TrainOn = "all" };
        var data = Synthetic(64, ImageFormat.Parse(format));
        if (GanZoo.Get(model).CriticHasBatchNorm && loss == "wgan-gp")
        {
            // Refused up front, with the reason: batch norm in the critic breaks the per-image gradient penalty.
            Assert.Contains("batch norm", Assert.Throws<ArgumentException>(() => new GanTrainer(options, data)).Message);
            return;
        }
        using var trainer = new GanTrainer(options, data);
        var history = trainer.Train(3);
        var probability = GanLosses.Create(loss).OutputIsLogit;
        foreach (var p in history)
        {
            Assert.All(new[] { p.LossD, p.LossG, p.DOfX, p.DOfGzBeforeD, p.DOfGzAfterD, p.LossDReal, p.LossDFake, p.WassersteinEstimate },
                value => Assert.True(double.IsFinite(value), $"{model}/{loss}: a telemetry value is {value}"));
            Assert.Equal(probability, p.DOutputIsProbability);
            if (probability)
                Assert.All(new[] { p.DOfX, p.DOfGzBeforeD, p.DOfGzAfterD }, value => Assert.InRange(value, 0, 1));
            Assert.InRange(p.DAccuracyReal, 0, 1);
            Assert.InRange(p.DAccuracyFake, 0, 1);
            Assert.True(p.GradientNormG > 0 && double.IsFinite(p.GradientNormG), $"G's gradient norm {p.GradientNormG}");
            Assert.True(p.GradientNormD > 0 && double.IsFinite(p.GradientNormD), $"D's gradient norm {p.GradientNormD}");
            // Without a penalty, Loss_D is exactly its two parts.
            if (loss != "wgan-gp") Assert.Equal(p.LossD, p.LossDReal + p.LossDFake, 1e-4);
        }
        if (loss == "wasserstein")
            Assert.All(trainer.Discriminator.parameters(), w => Assert.True(w.abs().max().item() <= WassersteinLoss.Clip + 1e-7, "weights clipped to [−0.01, 0.01]"));
    }

    [Theory]
    [InlineData("sgd", "uniform", "noisy")]
    [InlineData("rmsprop", "gaussian", "flip")]
    [InlineData("adam", "uniform", "swapped")]
    public void Optimizers_latent_distributions_and_label_modes_train(string optimizer, string latent, string labels)
    {
        var options = new GanTrainingOptions { Optimizer = optimizer, LatentDistribution = latent, Labels = labels, FlipProbability = 0.5, Device = "cpu", BatchSize = 16, TrainOn = "all" };
        using var trainer = new GanTrainer(options, Synthetic(64));
        var before = trainer.Generator.parameters().First().sum().item();
        for (var i = 0; i < 3; i++) Assert.True(double.IsFinite(trainer.TrainStep().LossD));
        Assert.NotEqual(before, trainer.Generator.parameters().First().sum().item());
    }

    [Fact]
    public void Three_D_steps_take_three_fresh_real_batches_and_make_three_D_updates_per_G_update()
    {
        // 192 images in batches of 64: one G step with k = 3 walks the data exactly once.
        var options = new GanTrainingOptions { DiscriminatorSteps = 3, BatchSize = 64, Device = "cpu", TrainOn = "all" };
        using var trainer = new GanTrainer(options, Synthetic(192));
        var dBefore = trainer.Discriminator.parameters().First().sum().item();
        trainer.TrainStep();
        Assert.Equal(0, trainer.Epoch);
        Assert.Equal((3, 1), (trainer.DiscriminatorUpdates, trainer.GeneratorUpdates));
        trainer.TrainStep();
        Assert.Equal(1, trainer.Epoch); // the second G step needed a new pass over the 192 images
        Assert.Equal((6, 2), (trainer.DiscriminatorUpdates, trainer.GeneratorUpdates));
        Assert.NotEqual(dBefore, trainer.Discriminator.parameters().First().sum().item());
    }

    [Fact]
    public void Swapping_labels_everywhere_mirrors_D_but_swapping_them_in_D_only_lets_G_stop_learning()
    {
        List<TrainingProgress> Run(string labels)
        {
            using var trainer = new GanTrainer(new GanTrainingOptions { Seed = 1, LearningRate = 2e-4, Labels = labels, RealLabel = 1.0 }, Datasets.Get("mnist"));
            return trainer.Train(150).TakeLast(40).ToList();
        }
        var normal = Run("normal");
        var swapped = Run("swapped");
        var dOnly = Run("swapped-d-only");
        double Mean(List<TrainingProgress> h, Func<TrainingProgress, double> f) => h.Average(f);
        string Show(List<TrainingProgress> h) =>
            $"D(x) {Mean(h, p => p.DOfX):F3}, D(G(z)) {Mean(h, p => p.DOfGzBeforeD):F3}, Loss_G {Mean(h, p => p.LossG):F3}";

        // Normal: D calls real images real and fakes fake.
        Assert.True(Mean(normal, p => p.DOfX) > Mean(normal, p => p.DOfGzBeforeD) + 0.1, "normal: " + Show(normal));
        // Consistent swap: the same game with the names exchanged, D learns to call fakes 'real' and real images 'fake' ...
        Assert.True(Mean(swapped, p => p.DOfGzBeforeD) > Mean(swapped, p => p.DOfX) + 0.1, "swapped: " + Show(swapped));
        // Mirrored: D(x) of the swapped run near 1 − D(x) of the normal run (measured 0.19 and 1 − 0.82 at 150 steps).
        Assert.True(Math.Abs(Mean(swapped, p => p.DOfX) - (1 - Mean(normal, p => p.DOfX))) < 0.2, $"swapped {Show(swapped)}; normal {Show(normal)}");
        // ... and G still has to fight D for it, as in the normal run.
        Assert.True(Mean(swapped, p => p.LossG) > 0.5 * Mean(normal, p => p.LossG), $"swapped {Show(swapped)}; normal {Show(normal)}");
        // D-only swap: D and G both push D(G(z)) towards 1, so G's loss collapses: it wins without learning digits
        // (measured: Loss_G 0.17 against 0.62 for the consistent swap, D(G(z)) 0.86 after D's update).
        Assert.True(Mean(dOnly, p => p.DOfGzAfterD) > 0.75, "swapped-d-only: " + Show(dOnly));
        Assert.True(Mean(dOnly, p => p.LossG) < 0.5 * Mean(swapped, p => p.LossG), $"swapped-d-only {Show(dOnly)}; swapped {Show(swapped)}");
    }

    [Fact]
    public void The_training_split_leaves_the_test_images_out_and_all_takes_every_image()
    {
        var mnist = Datasets.Get("mnist");
        using (var split = new GanTrainer(new GanTrainingOptions { Device = "cpu" }, mnist))
            Assert.Equal(mnist.Count - 10 * Evaluation.DatasetSplit.NpmMnistTestPerClass, split.DatasetSize);
        using (var all = new GanTrainer(new GanTrainingOptions { Device = "cpu", TrainOn = "all" }, mnist))
            Assert.Equal(mnist.Count, all.DatasetSize);

        // Four images a class cannot spare 200 for testing: say so rather than quietly train on the test images.
        var tooSmall = Assert.Throws<InvalidDataException>(() => new GanTrainer(new GanTrainingOptions { Device = "cpu" }, Synthetic(40)));
        Assert.Contains("too few to hold", tooSmall.Message);
        Assert.Contains("train-on 'x' is unknown; allowed: training-split, all", string.Join("; ", new GanTrainingOptions { TrainOn = "x" }.Validate()));
    }

    [Fact]
    public void Bad_variant_options_are_refused_with_messages_naming_the_allowed_values()
    {
        var options = new GanTrainingOptions
        {
            Loss = "lsgan", Labels = "swap", Optimizer = "adagrad", LatentDistribution = "normal",
            DiscriminatorSteps = 0, FlipProbability = 2, FakeLabel = -0.1, Momentum = 1,
        };
        var message = string.Join("; ", options.Validate());
        Assert.Contains("loss 'lsgan' is unknown; allowed: non-saturating, minimax, least-squares, hinge, wasserstein, wgan-gp", message);
        Assert.Contains("labels 'swap' is unknown; allowed: normal, noisy, flip, swapped, swapped-d-only", message);
        Assert.Contains("optimizer 'adagrad' is unknown; allowed: adam, sgd, rmsprop", message);
        Assert.Contains("latent distribution 'normal' is unknown; allowed: gaussian, uniform", message);
        Assert.Contains("discriminator steps 0 must be between 1 and 100", message);
        Assert.Contains("flip probability 2 must be in [0, 1]", message);
        Assert.Contains("fake label -0.1 must be in [0, 1)", message);
        Assert.Contains("momentum 1 must be in [0, 1)", message);

        var labelsWithoutLabels = new GanTrainingOptions { Loss = "hinge", Labels = "noisy" }.Validate();
        Assert.Contains(labelsWithoutLabels, m => m.Contains("labels 'noisy' have no effect with loss 'hinge'"));
        Assert.Throws<ArgumentException>(() => new GanTrainer(new GanTrainingOptions { Loss = "lsgan" }, Synthetic(64)));
    }
}
