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
