using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

public class DcganTests
{
    [Fact]
    public void Parameter_counts_equal_seed_001s_Keras_summaries()
    {
        using var generator = new Dcgan.Generator(latentSize: 100, leakySlope: 0.2);
        using var discriminator = new Dcgan.Discriminator(leakySlope: 0.2, dropout: 0.3);
        // Keras counts BatchNorm's moving mean and variance as non-trainable parameters; PyTorch keeps them
        // as buffers (beside a step counter per layer, which Keras does not have).
        var runningStatistics = generator.named_buffers().Where(b => !b.Name.EndsWith("num_batches_tracked")).Sum(b => b.Buffer.numel());
        Assert.Equal(25_472, runningStatistics);
        Assert.Equal(2_330_944, generator.parameter_count() + runningStatistics);
        Assert.Equal(212_865, discriminator.parameter_count());
    }

    [Fact]
    public void Shapes_flow_from_noise_to_28x28_images_to_one_logit()
    {
        using var scope = NewDisposeScope();
        using var generator = new Dcgan.Generator(100, 0.2);
        using var discriminator = new Dcgan.Discriminator(0.2, 0.3);
        var images = generator.forward(randn([3, 100]));
        Assert.Equal([3L, 1L, 28L, 28L], images.shape);
        Assert.Equal([3L, 1L], discriminator.forward(images).shape);
    }

    [Fact]
    public void The_trainer_trains_a_DCGAN_on_MNIST_and_D_learns_first()
    {
        using var trainer = new GanTrainer(new GanTrainingOptions { Model = "dcgan", Seed = 2, LearningRate = 2e-4 }, new Data.DatasetCatalog(DataTests.Paths).Get("mnist"));
        var first = trainer.TrainStep();
        // The first ten steps: D learns to tell first, then G catches up and Loss_D rises again (by step 40 it has).
        var early = trainer.Train(10);
        Assert.True(early.Average(p => p.DOfX) > early.Average(p => p.DOfGzBeforeD),
            $"D(x) {early.Average(p => p.DOfX):F3} should exceed D(G(z)) {early.Average(p => p.DOfGzBeforeD):F3}");
        Assert.True(early.Average(p => p.LossD) < first.LossD, $"Loss_D {first.LossD:F3} → {early.Average(p => p.LossD):F3} should fall as D learns");
        Assert.Equal(0x89, trainer.SampleFixedNoise().Png[0]); // a grid comes out of a channels-first generator too
    }

    [Fact]
    public void Both_models_train_on_Fashion_MNIST_chosen_by_name()
    {
        var datasets = new Data.DatasetCatalog(DataTests.Paths);
        foreach (var model in new[] { "mlp-gan", "dcgan" })
        {
            var options = new GanTrainingOptions { Model = model, Dataset = "fashion-mnist", BatchSize = 16, Seed = 3 };
            Assert.Empty(options.Validate());
            using var trainer = new GanTrainer(options, datasets.Get(options.Dataset));
            Assert.Equal(60_000, trainer.DatasetSize); // of the 70,000: the 10,000 test garments stay unseen (TrainOn)
            var progress = trainer.Train(3).Last();
            Assert.True(double.IsFinite(progress.LossD) && double.IsFinite(progress.LossG));
        }
    }
}
