using System.Diagnostics;
using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 6: the seeds' models' parameter counts (traced as Keras' summary counts them), and seed 001's "DCGANs must
/// produce sharper results in lesser epochs" tested twice: MLP GAN and DCGAN at an equal number of steps, and at equal
/// CPU time of the training process (so other work on a shared machine shrinks neither budget), on MNIST and
/// Fashion-MNIST, each measured by FID and the classifier score of the dataset's domain classifier.
/// </summary>
public sealed class DcganClaims : LessonClaims
{
    /// <summary>The DCGAN paper's Adam step; seed 002's 1e-3 stays the MLP GAN's (its measured best).</summary>
    public const double DcganLearningRate = 2e-4;

    /// <summary>Generated images per FID: MNIST's whole held-out set, and as many of Fashion-MNIST's (its default 5,000 costs more than twice the time).</summary>
    public const int EvaluationSamples = 2_000;

    public override string Lesson => "06-dcgan";
    public override string Describes => "parameter counts of the seeds' models; MLP GAN vs DCGAN at equal steps and equal CPU time (FID, classifier score)";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        foreach (var model in new[] { "dcgan", "mlp-gan", "keras-gan", "keras-gan-000" })
        {
            var summary = ModelSummary.Of(model);
            var how = $"ModelSummary.Of(\"{model}\") on 1×28×28 images, z of {summary.LatentSize}: trainable plus batch norm's running statistics, as Keras counts";
            record.Record($"{model}-g-parameters", summary.Generator.Total, "N0", $"{how}; the Generator");
            record.Record($"{model}-d-parameters", summary.Discriminator.Total, "N0", $"{how}; the Discriminator");
            if (model == "dcgan")
                record.Record("dcgan-g-non-trainable", summary.Generator.NonTrainable, "N0", $"{how}; the Generator's batch norm running means and variances");
        }

        var datasets = new DatasetCatalog(paths);
        var classifiers = new DomainClassifiers(paths, datasets);
        var evaluation = new GeneratorEvaluation(classifiers);

        // Equal steps, MNIST: what each model learns per batch.
        var steps = scale.Steps(150);
        record.Record("steps-budget", steps, "N0", "G steps (one D step each) both models trained for in the equal-steps comparison, batch 64, seed 42");
        double mlpStepCost = 0, dcganStepCost = 0;
        foreach (var model in new[] { "mlp-gan", "dcgan" })
        {
            using var trainer = NewTrainer(model, "mnist", datasets);
            var cpu = TrainFor(trainer, steps: steps, cpuSeconds: null);
            var how = $"{model} on mnist, seed 42, batch 64, lr {trainer.Options.LearningRate}, {steps} steps on the CPU";
            record.Record($"steps-mnist-{model}-cpu-seconds", cpu, "F0", $"{how}: CPU seconds of the training process (all its threads) those steps took");
            if (model == "mlp-gan") mlpStepCost = cpu / steps; else dcganStepCost = cpu / steps;
            RecordMetrics(record, $"steps-mnist-{model}", how, trainer, evaluation, classifiers, scale);
        }
        record.Record("dcgan-step-cost-ratio", dcganStepCost / mlpStepCost, "N0",
            $"CPU seconds per DCGAN step over CPU seconds per MLP GAN step, both on mnist at batch 64, from the {steps}-step runs");

        // Equal CPU time, both datasets: what each model reaches in what a student can wait for.
        var seconds = scale.Seconds(30);
        record.Record("time-budget", seconds, "N0", "CPU seconds of the training process (all threads) each model trained for in the equal-time comparison");
        foreach (var dataset in new[] { "mnist", "fashion-mnist" })
        {
            foreach (var model in new[] { "mlp-gan", "dcgan" })
            {
                using var trainer = NewTrainer(model, dataset, datasets);
                TrainFor(trainer, steps: null, cpuSeconds: seconds);
                var how = $"{model} on {dataset}, seed 42, batch 64, lr {trainer.Options.LearningRate}, {seconds:N0} CPU seconds of training";
                record.Record($"time-{dataset}-{model}-steps", trainer.Step, "N0", $"{how}: G steps reached");
                var report = RecordMetrics(record, $"time-{dataset}-{model}", how, trainer, evaluation, classifiers, scale);
                if (model == "mlp-gan")
                {
                    // The real-vs-real baseline is the same for both models: real training images against the same real test images.
                    var floorHow = $"as many real training images as samples against the same real test images ({dataset}, evaluation seed 1)";
                    record.Record($"{dataset}-fid-floor", report?.RealBaseline.FrechetDistance ?? double.NaN, "F1", $"FID of {floorHow}: the real-vs-real floor");
                    record.Record($"{dataset}-score-real", report?.RealBaseline.ClassifierScore ?? double.NaN, "F2", $"classifier score of {floorHow}");
                    record.Record($"{dataset}-samples", report?.Samples ?? double.NaN, "N0", "generated images (and as many real test images) each FID of this lesson compares");
                }
            }
        }
    }

    private static GanTrainer NewTrainer(string model, string dataset, DatasetCatalog datasets)
    {
        var options = GanTrainingOptions.For(model) with { Dataset = dataset, Seed = 42, Device = "cpu", BatchSize = 64 };
        if (model == "dcgan") options = options with { LearningRate = DcganLearningRate };
        return new GanTrainer(options, datasets.Get(dataset));
    }

    /// <summary>Trains to a step count or a CPU-time budget; returns the CPU seconds the process spent.</summary>
    internal static double TrainFor(GanTrainer trainer, long? steps, double? cpuSeconds)
    {
        var start = ProcessCpuSeconds();
        while (true)
        {
            var spent = ProcessCpuSeconds() - start;
            if (steps is { } n && trainer.Step >= n) return spent;
            if (cpuSeconds is { } budget && spent >= budget) return spent;
            var progress = trainer.TrainStep();
            if (progress.Diverged) throw new InvalidOperationException(progress.DivergenceMessage(trainer.Options));
        }
    }

    internal static double ProcessCpuSeconds()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime.TotalSeconds;
    }

    /// <summary>
    /// FID and classifier score of the trainer's G. In smoke mode, a classifier that is not cached is not trained
    /// (that takes a quarter of an hour): the values are then NaN, so the test still sees every name.
    /// </summary>
    internal static EvaluationReport? RecordMetrics(ClaimRecorder record, string prefix, string how, GanTrainer trainer,
        GeneratorEvaluation evaluation, DomainClassifiers classifiers, ClaimScale scale)
    {
        EvaluationReport? report = null;
        if (scale.Full || classifiers.IsCached(trainer.Options.Dataset))
            report = evaluation.Evaluate(trainer, scale.Samples(EvaluationSamples));
        var samples = report is null ? "" : $", {report.Samples:N0} samples against as many real test images, evaluation seed 1";
        record.Record($"{prefix}-fid", report?.Generated.FrechetDistance ?? double.NaN, "F1", $"{how}: FID on the domain classifier's features{samples}");
        record.Record($"{prefix}-score", report?.Generated.ClassifierScore ?? double.NaN, "F2", $"{how}: classifier score (at most 10){samples}");
        return report;
    }
}
