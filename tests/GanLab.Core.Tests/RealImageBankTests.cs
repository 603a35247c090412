using GanLab.Core.Data;
using GanLab.Core.Training;

namespace GanLab.Core.Tests;

/// <summary>Trainers of one dataset hold one copy of its real images, not one each, and the last to go frees it.</summary>
[Collection(nameof(NativeMemory))]
public class RealImageBankTests
{
    [Fact]
    public void Trainers_of_one_dataset_share_its_real_images_and_the_last_one_frees_them()
    {
        var data = ZooTrainingTests.Synthetic(64);
        GanTrainer Trainer(string model) => new(new GanTrainingOptions { Model = model, Device = "cpu", BatchSize = 8, TrainOn = "all" }, data);

        var mlp = Trainer("mlp-gan");     // tanh: pixels in [−1, 1], seen flat
        var dcgan = Trainer("dcgan");     // tanh too, seen as 1×28×28
        var keras = Trainer("keras-gan"); // sigmoid: pixels in [0, 1], another copy
        Assert.Equal((2, 3), RealImageBank.HoldersOf(data));
        Assert.Equal([64, 784], mlp.RealImages.shape);
        Assert.Equal([64, 1, 28, 28], dcgan.RealImages.shape);
        Assert.Equal(mlp.RealImages.flatten().ToFloatArray(), dcgan.RealImages.flatten().ToFloatArray());

        mlp.Dispose();
        Assert.Equal((2, 2), RealImageBank.HoldersOf(data));
        // The images the MLP let go of are still there for the DCGAN.
        Assert.True(double.IsFinite(dcgan.TrainStep().LossD));
        Assert.InRange(dcgan.RealImages.flatten().ToFloatArray().Min(), -1.0, -0.99);

        dcgan.Dispose();
        keras.Dispose();
        keras.Dispose(); // twice, as a page and a reclaim may: the loan is given back once
        Assert.Equal((0, 0), RealImageBank.HoldersOf(data));
    }

    [Fact]
    public void The_training_split_and_the_whole_dataset_are_held_apart()
    {
        // A fifth of each class held out for the metrics (a dataset without a standard split).
        var digits = ZooTrainingTests.Synthetic(200);
        var data = new ImageDataset("unsplit", 1, 28, 28, digits.Pixels, digits.Labels);
        using var all = new GanTrainer(new GanTrainingOptions { Model = "mlp-gan", Device = "cpu", BatchSize = 8, TrainOn = "all" }, data);
        using var split = new GanTrainer(new GanTrainingOptions { Model = "mlp-gan", Device = "cpu", BatchSize = 8 }, data);

        Assert.Equal((2, 2), RealImageBank.HoldersOf(data));
        Assert.Equal(200, all.RealImages.shape[0]);
        Assert.Equal(split.DatasetSize, split.RealImages.shape[0]);
        Assert.True(split.DatasetSize < 200);
    }
}
