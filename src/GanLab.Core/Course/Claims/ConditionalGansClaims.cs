using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 9: seed 004's conditional GANs. The joined input sizes it prints ("138 13") and the models' parameter
/// counts, traced; then class accuracy (the share of images asked for class y that the domain classifier calls y),
/// FID and classifier score of a CGAN on MNIST and Fashion-MNIST, a CDCGAN on MNIST, and the unconditional MLP GAN at
/// the CGAN's budget, all with z of 128 as in seed 004.
/// </summary>
public sealed class ConditionalGansClaims : LessonClaims
{
    /// <summary>Seed 004's z.</summary>
    public const int LatentSize = ConditionalGan.SeedLatentSize;

    /// <summary>Images per class-accuracy measurement: 200 of each class.</summary>
    public const int ClassAccuracySamples = 2_000;

    public override string Lesson => "09-conditional-gans";
    public override string Describes => "joined input sizes and parameters of cgan/cdcgan; class accuracy, FID and score after training on MNIST and Fashion-MNIST";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var cgan = ModelSummary.Of("cgan", ImageFormat.Grey28, LatentSize);
        var cdcgan = ModelSummary.Of("cdcgan", ImageFormat.Grey28, LatentSize);
        var cdcganCifar = ModelSummary.Of("cdcgan", ImageFormat.Colour32, LatentSize);
        record.Record("cgan-g-input", cgan.Generator.Layers[0].OutputShape[0], "N0", $"width of the CGAN Generator's joined input (z of {LatentSize} ‖ one-hot of 10 classes), traced by ModelSummary");
        record.Record("cdcgan-d-input-channels-cifar", cdcganCifar.Discriminator.Layers[0].OutputShape[0], "N0", "channels of the CDCGAN Discriminator's joined input for 3×32×32 images (image ‖ 10 label planes), traced by ModelSummary");
        record.Record("cdcgan-d-input-channels-mnist", cdcgan.Discriminator.Layers[0].OutputShape[0], "N0", "channels of the CDCGAN Discriminator's joined input for 1×28×28 images, traced by ModelSummary");
        foreach (var (name, summary) in new[] { ("cgan", cgan), ("cdcgan", cdcgan) })
        {
            var how = $"ModelSummary of {name} for 1×28×28 images, z of {LatentSize}: trainable plus batch norm's running statistics";
            record.Record($"{name}-g-parameters", summary.Generator.Total, "N0", $"{how}; the Generator");
            record.Record($"{name}-d-parameters", summary.Discriminator.Total, "N0", $"{how}; the Discriminator");
        }

        var datasets = new DatasetCatalog(paths);
        var classifiers = new DomainClassifiers(paths, datasets);
        var evaluation = new GeneratorEvaluation(classifiers);
        var canMeasure = (string dataset) => scale.Full || classifiers.IsCached(dataset);

        foreach (var dataset in new[] { "mnist", "fashion-mnist" })
        {
            double accuracy = double.NaN;
            if (canMeasure(dataset))
            {
                using var classifier = classifiers.Get(dataset, "cpu");
                accuracy = classifier.Record.TestAccuracy;
            }
            record.Record($"{dataset}-classifier-accuracy", accuracy, "P1", $"the {dataset} domain classifier's accuracy on the real test images it never saw (its cached record)");
        }

        record.Record("class-accuracy-samples", scale.Samples(ClassAccuracySamples), "N0", "images drawn per class-accuracy measurement, image i asked for class i mod 10");
        var cganSteps = scale.Steps(1000);
        var cdcganSteps = scale.Steps(150);
        record.Record("cgan-steps", cganSteps, "N0", "G steps (one D step each) the CGAN and the MLP GAN trained for, batch 64, seed 42");
        record.Record("cdcgan-steps", cdcganSteps, "N0", "G steps (one D step each) the CDCGAN trained for, batch 64, seed 42");

        // Five runs, each on a thread of its own (see DcganClaims.InParallel): the untrained CGAN, then the trained ones.
        var runs = new[] { ("cgan", "mnist", 0), ("cgan", "mnist", cganSteps), ("cgan", "fashion-mnist", cganSteps), ("cdcgan", "mnist", cdcganSteps), ("mlp-gan", "mnist", cganSteps) };
        var results = DcganClaims.InParallel(runs.Select(run => (Func<(EvaluationReport? Report, (double Mean, double Worst, int WorstClass) Accuracy, double LearningRate)>)(() =>
        {
            var (model, dataset, steps) = run;
            using var trainer = NewTrainer(model, dataset, datasets);
            DcganClaims.TrainFor(trainer, steps, cpuSeconds: null);
            // FID only where the lesson compares it (labels or none, on MNIST, trained): each costs as much CPU as a few hundred steps.
            var report = steps > 0 && dataset == "mnist" && model is "cgan" or "mlp-gan" ? DcganClaims.Evaluate(trainer, evaluation, classifiers, scale) : null;
            var accuracy = trainer.ClassCount > 0 && canMeasure(dataset) ? ClassAccuracy(trainer, classifiers, scale) : (double.NaN, double.NaN, -1);
            return (report, accuracy, trainer.Options.LearningRate);
        })).ToArray());

        record.Record("untrained-cgan-class-accuracy", results[0].Accuracy.Mean, "P1",
            "share of an untrained CGAN's images (seed 42, classes asked for in turn) that the mnist classifier calls the class asked for");
        for (var i = 1; i < runs.Length; i++)
        {
            var (model, dataset, steps) = runs[i];
            var (report, (mean, worst, worstClass), rate) = results[i];
            var how = $"{model} on {dataset}, z of {LatentSize}, seed 42, batch 64, lr {rate}, {steps} steps";
            var prefix = $"{model}-{dataset}";
            if (dataset == "mnist" && model is "cgan" or "mlp-gan")
            {
                DcganClaims.RecordMetrics(record, prefix, how, report);
                if (model == "cgan")
                {
                    var floorHow = $"as many real training images as samples against the same real test images ({dataset}, evaluation seed 1)";
                    record.Record($"{dataset}-fid-floor", report?.RealBaseline.FrechetDistance ?? double.NaN, "F1", $"FID of {floorHow}: the real-vs-real floor");
                    record.Record("mnist-samples", report?.Samples ?? double.NaN, "N0", "generated digits (and as many real test digits) each FID of this lesson compares");
                }
            }
            if (model == "mlp-gan") continue;
            record.Record($"{prefix}-class-accuracy", mean, "P1", $"{how}: share of its images, asked for each class in turn, that the {dataset} classifier calls the class asked for");
            record.Record($"{prefix}-worst-class-accuracy", worst, "P1", $"{how}: the same share for the class G draws worst");
            record.Record($"{prefix}-worst-class", worstClass, "N0", $"{how}: which class (0–9) that is");
        }
    }

    private static GanTrainer NewTrainer(string model, string dataset, DatasetCatalog datasets) =>
        new(GanClaimRuns.Recipe(model, dataset) with { BatchSize = 64, LatentSize = LatentSize }, datasets.Get(dataset));

    /// <summary>
    /// Draws samples (image i asked for class i mod 10, as GanTrainer.SampleImages does) and has the dataset's classifier
    /// say what each shows: the mean share classified as asked, the lowest class's share, and that class.
    /// </summary>
    private static (double Mean, double Worst, int WorstClass) ClassAccuracy(GanTrainer trainer, DomainClassifiers classifiers, ClaimScale scale)
    {
        var n = scale.Samples(ClassAccuracySamples);
        using var classifier = classifiers.Get(trainer.Options.Dataset, "cpu");
        var image = trainer.Image;
        var pixels = trainer.SampleImages(n, seed: 1);
        var (_, probabilities) = GeneratorEvaluation.Classify(classifier.Network, pixels, n, image.Channels, image.Height, image.Width, trainer.Device);
        var classes = trainer.ClassCount;
        var correct = new int[classes];
        var asked = new int[classes];
        for (var i = 0; i < n; i++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
                if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
            asked[i % classes]++;
            if (best == i % classes) correct[i % classes]++;
        }
        var shares = Enumerable.Range(0, classes).Select(k => asked[k] == 0 ? double.NaN : correct[k] / (double)asked[k]).ToArray();
        var worstClass = Enumerable.Range(0, classes).OrderBy(k => shares[k]).First();
        return (correct.Sum() / (double)n, shares[worstClass], worstClass);
    }
}
