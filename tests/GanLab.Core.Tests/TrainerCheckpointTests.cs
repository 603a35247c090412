using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Core.Tests;

public class TrainerCheckpointTests : IDisposable
{
    private static readonly DatasetCatalog Datasets = new(DataTests.Paths);
    private readonly string folder = Directory.CreateTempSubdirectory("ganlab-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("mlp-gan", "non-saturating")]
    [InlineData("dcgan", "wgan-gp")]
    public void A_resumed_run_has_the_options_weights_step_and_samples_of_the_saved_one(string model, string loss)
    {
        var path = Path.Combine(folder, "run.ganlab");
        var options = new GanTrainingOptions { Model = model, Loss = loss, BatchSize = 16, Seed = 8, Optimizer = "rmsprop", LearningRate = 5e-4 };
        byte[] grid;
        float[] firstWeight;
        using (var trainer = new GanTrainer(options, Datasets.Get("mnist")))
        {
            for (var i = 0; i < 7; i++) trainer.TrainStep();
            trainer.SaveCheckpoint(path);
            grid = trainer.SampleFixedNoise().Png;
            firstWeight = trainer.Generator.parameters().First().ToFloatArray();
        }

        Assert.Equal(options, GanTrainer.ReadCheckpointOptions(path));
        using var resumed = GanTrainer.Resume(path, Datasets);
        Assert.Equal(options, resumed.Options);
        Assert.Equal(7, resumed.Step);
        Assert.Equal(firstWeight, resumed.Generator.parameters().First().ToFloatArray());
        Assert.Equal(grid, resumed.SampleFixedNoise().Png); // same weights, same fixed noise: the same picture
        Assert.Equal(8, resumed.TrainStep().Step);
    }

    /// <summary>Every number a step reports except the clock's.</summary>
    private static double[] Numbers(TrainingProgress p) =>
        [p.Step, p.Epoch, p.LossD, p.LossG, p.DOfX, p.DOfGzBeforeD, p.DOfGzAfterD, p.LossDReal, p.LossDFake,
         p.DAccuracyReal, p.DAccuracyFake, p.GradientNormG, p.GradientNormD, p.WassersteinEstimate];

    [Theory]
    [InlineData("mlp-gan", "non-saturating", "noisy", "none", 1)]          // dropout masks and noisy labels come from the stream
    [InlineData("mlp-gan", "least-squares", "flip", "flip+rotate", 2)]     // label flips, augmentation, k = 2 batches per step
    [InlineData("dcgan", "wgan-gp", "normal", "rotate", 1)]                // batch norm's running statistics, the penalty's ε
    public void N_steps_saved_and_resumed_then_M_more_match_N_plus_M_straight_bit_for_bit(string model, string loss, string labels, string augmentation, int k)
    {
        const int n = 4, m = 5; // 5 batches per epoch: the save falls mid-epoch and the resumed run starts a new one
        var options = new GanTrainingOptions
        {
            Model = model, Loss = loss, Labels = labels, Augmentation = augmentation, DiscriminatorSteps = k,
            BatchSize = 8, Seed = 21, Device = "cpu", TrainOn = "all",
        };
        var data = ZooTrainingTests.Synthetic(40);
        var path = Path.Combine(folder, "run.ganlab");

        List<double[]> straight;
        float[] straightWeights;
        using (var trainer = new GanTrainer(options, data))
        {
            straight = Enumerable.Range(0, n + m).Select(_ => Numbers(trainer.TrainStep())).ToList();
            straightWeights = trainer.Generator.parameters().Last().ToFloatArray();
        }

        using (var first = new GanTrainer(options, data))
        {
            for (var i = 0; i < n; i++) first.TrainStep();
            first.SaveCheckpoint(path);
        }
        using var resumed = GanTrainer.Resume(path, new DatasetCatalog(DataTests.Paths).With(data));
        var after = Enumerable.Range(0, m).Select(_ => Numbers(resumed.TrainStep())).ToList();

        for (var i = 0; i < m; i++)
            Assert.Equal(straight[n + i], after[i]);
        Assert.True(resumed.Epoch >= 1, "the resumed steps crossed into a new epoch");
        Assert.Equal(straightWeights, resumed.Generator.parameters().Last().ToFloatArray());
        Assert.Equal((n + m) * k, resumed.DiscriminatorUpdates);
    }

    [Fact]
    public void A_run_with_NaN_weights_refuses_to_overwrite_its_checkpoint()
    {
        var path = Path.Combine(folder, "run.ganlab");
        using var trainer = new GanTrainer(new GanTrainingOptions { BatchSize = 8, Device = "cpu", TrainOn = "all" }, ZooTrainingTests.Synthetic(40));
        trainer.TrainStep();
        trainer.SaveCheckpoint(path);
        var good = File.ReadAllBytes(path);

        using (torch.no_grad()) trainer.Discriminator.parameters().First().fill_(double.NaN);
        var error = Assert.Throws<DivergedStateException>(() => trainer.SaveCheckpoint(path));

        Assert.Contains("discriminator", error.Message);
        Assert.Contains("step 1", error.Message);
        Assert.Equal(good, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_truncated_checkpoint_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(folder, "run.ganlab");
        using (var trainer = new GanTrainer(new GanTrainingOptions { BatchSize = 16 }, Datasets.Get("mnist")))
            trainer.SaveCheckpoint(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.ThrowsAny<Exception>(() => GanTrainer.Resume(path, Datasets));
        Assert.Contains("truncated", error.Message);
    }
}
