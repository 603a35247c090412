using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 12: what changes with colour, and what this CPU can afford. CIFAR-10 is not installed, so the timings train
/// on random 32×32 colour images of the right shape (a step costs the same whatever the pixels are); the networks are
/// seed 004's (dcgan-32, cdcgan). The CPU's load at the time is recorded beside them: the machine is shared.
/// </summary>
public sealed class ColourCifar10Claims : LessonClaims
{
    /// <summary>CIFAR-10's training images: one epoch.</summary>
    public const int CifarTrainImages = 50_000;

    /// <summary>Seed 004 trained its final model (SN-CGAN) for 500 epochs.</summary>
    public const int SeedEpochs = 500;

    /// <summary>The lesson's conditional DCGAN block on Fashion-MNIST: its max-steps.</summary>
    public const int CdcganBlockSteps = 300;

    public override string Lesson => "12-colour-cifar-10";
    public override string Describes => "parameter counts of the colour and grey DCGANs, seconds per training step on this CPU, and what an epoch of CIFAR-10 costs";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        record.Record("load-average", LoadAverage(), "F1", "the CPU's one-minute load average (/proc/loadavg) when these timings started, on a 2-core machine shared with other work");

        foreach (var (model, image, key) in new[] { ("dcgan-32", ImageFormat.Colour32, "dcgan32"), ("dcgan", ImageFormat.Grey28, "dcgan"),
                     ("cdcgan", ImageFormat.Colour32, "cdcgan-colour"), ("cdcgan", ImageFormat.Grey28, "cdcgan-grey") })
        {
            var summary = ModelSummary.Of(model, image);
            record.Record($"{key}-g-parameters", summary.Generator.Trainable, "N0", $"{model} on {image.Channels}×{image.Height}×{image.Width}: trainable parameters of G (ModelSummary)");
            record.Record($"{key}-d-parameters", summary.Discriminator.Trainable, "N0", $"{model} on {image.Channels}×{image.Height}×{image.Width}: trainable parameters of D (ModelSummary)");
        }

        var colour = Synthetic("cifar10", 3, 32, 1_000);
        var grey = new DatasetCatalog(paths).Get("fashion-mnist");
        var steps = scale.Steps(12);
        var dcgan32 = StepSeconds(GanClaimRuns.Recipe("dcgan-32", "cifar10") with { TrainOn = "all" }, colour, steps);
        var augmented = StepSeconds(GanClaimRuns.Recipe("dcgan-32", "cifar10") with { TrainOn = "all", Augmentation = "flip+rotate" }, colour, steps);
        var cdcgan = StepSeconds(GanClaimRuns.Recipe("cdcgan", "fashion-mnist"), grey, steps);
        var batch = GanTrainingOptions.For("dcgan-32").BatchSize;
        var how = $"mean wall seconds of {steps} training steps (one D and one G update) after 2 warm-up steps, CPU";
        record.Record("dcgan32-batch", batch, "N0", "dcgan-32's batch size in its recipe");
        record.Record("dcgan32-step-seconds", dcgan32, "F2", $"{how}: dcgan-32, batch {batch}, random 3×32×32 images in place of CIFAR-10");
        record.Record("dcgan32-augmented-step-seconds", augmented, "F2", $"{how}: the same with seed 004's augmentation (flip+rotate ±20°)");
        record.Record("cdcgan-fashion-step-seconds", cdcgan, "F2", $"{how}: cdcgan on Fashion-MNIST (28×28 grey), batch {GanTrainingOptions.For("cdcgan").BatchSize}");
        record.Record("cdcgan-block-steps", CdcganBlockSteps, "N0", "max-steps of the lesson's cdcgan Fashion-MNIST trainer block");
        record.Record("cdcgan-block-minutes", CdcganBlockSteps * cdcgan / 60, "N0", $"minutes for the block's {CdcganBlockSteps} cdcgan steps at the measured seconds per step");
        var imagesPerSecond = batch / dcgan32;
        record.Record("dcgan32-images-per-second", imagesPerSecond, "N0", $"dcgan-32 real images seen per second: batch {batch} / seconds per step");
        record.Record("dcgan32-epoch-minutes", CifarTrainImages / imagesPerSecond / 60, "N0", $"minutes for one CIFAR-10 epoch ({CifarTrainImages:N0} images) at the measured rate");
        record.Record("dcgan32-seed-epochs-days", SeedEpochs * CifarTrainImages / imagesPerSecond / 86_400, "N0",
            $"days for seed 004's {SeedEpochs} epochs at the measured rate (no augmentation)");
        record.Record("dcgan32-lesson-images", 20 * 60 * imagesPerSecond, "N0", "real images a 20-minute lesson's training sees at the measured rate");
        record.Record("dcgan32-lesson-epoch-share", 20 * 60 * imagesPerSecond / CifarTrainImages, "P0", "the share of one CIFAR-10 epoch that 20 minutes reach");
    }

    private static double StepSeconds(GanTrainingOptions options, ImageDataset data, int steps)
    {
        using var trainer = new GanTrainer(options, data);
        GanClaimRuns.Train(trainer, 2); // warm-up: the first steps allocate
        return GanClaimRuns.Train(trainer, steps).Seconds / steps;
    }

    private static ImageDataset Synthetic(string name, int channels, int side, int count)
    {
        var random = new Random(1);
        var pixels = new float[count * channels * side * side];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = (float)random.NextDouble();
        return new ImageDataset(name, channels, side, side, pixels, [.. Enumerable.Range(0, count).Select(i => (byte)(i % 10))]);
    }

    private static double LoadAverage()
    {
        try { return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture); }
        catch (IOException) { return double.NaN; }
    }
}
