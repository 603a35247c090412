using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Models;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 6: the seeds' models' parameter counts (traced as Keras' summary counts them), and seed 001's "DCGANs must
/// produce sharper results in lesser epochs" tested twice: MLP GAN and DCGAN at an equal number of steps, and at equal
/// CPU time of each run's own thread (so other work on a shared machine shrinks neither budget), on MNIST and
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

        // Equal steps (MNIST: what each model learns per batch) and equal CPU time (both datasets: what each reaches in what a
        // student can wait for). The six runs train on threads of their own, each counting its own thread's CPU time, so a
        // shared machine's load shrinks no budget and the runs need not wait for one another.
        var steps = scale.Steps(150);
        var seconds = scale.Seconds(30);
        var runs = new List<(string Kind, string Dataset, string Model)>
        {
            ("steps", "mnist", "mlp-gan"), ("steps", "mnist", "dcgan"),
            ("time", "mnist", "mlp-gan"), ("time", "mnist", "dcgan"), ("time", "fashion-mnist", "mlp-gan"), ("time", "fashion-mnist", "dcgan"),
        };
        var results = InParallel(runs.Select(run => (Func<RunResult>)(() =>
        {
            using var trainer = NewTrainer(run.Model, run.Dataset, datasets);
            var cpu = run.Kind == "steps" ? TrainFor(trainer, steps, null) : TrainFor(trainer, null, seconds);
            return new RunResult(trainer.Step, cpu, trainer.Options.LearningRate, Evaluate(trainer, evaluation, classifiers, scale));
        })).ToArray());

        record.Record("steps-budget", steps, "N0", "G steps (one D step each) both models trained for in the equal-steps comparison, batch 64, seed 42");
        record.Record("time-budget", seconds, "N0", "CPU seconds of its own thread each model trained for in the equal-time comparison (OpenBLAS on one thread)");
        for (var i = 0; i < runs.Count; i++)
        {
            var (kind, dataset, model) = runs[i];
            var result = results[i];
            var how = kind == "steps"
                ? $"{model} on {dataset}, seed 42, batch 64, lr {result.LearningRate}, {steps} steps on the CPU"
                : $"{model} on {dataset}, seed 42, batch 64, lr {result.LearningRate}, {seconds:N0} CPU seconds of training";
            if (kind == "steps")
                record.Record($"steps-{dataset}-{model}-cpu-seconds", result.CpuSeconds, "F0", $"{how}: CPU seconds of the training thread those steps took");
            else
                record.Record($"time-{dataset}-{model}-steps", result.Steps, "N0", $"{how}: G steps reached");
            RecordMetrics(record, $"{kind}-{dataset}-{model}", how, result.Report);
            if (kind == "time" && model == "mlp-gan")
            {
                // The real-vs-real baseline is the same for both models: real training images against the same real test images.
                var report = result.Report;
                var floorHow = $"as many real training images as samples against the same real test images ({dataset}, evaluation seed 1)";
                record.Record($"{dataset}-fid-floor", report?.RealBaseline.FrechetDistance ?? double.NaN, "F1", $"FID of {floorHow}: the real-vs-real floor");
                record.Record($"{dataset}-score-real", report?.RealBaseline.ClassifierScore ?? double.NaN, "F2", $"classifier score of {floorHow}");
                record.Record($"{dataset}-samples", report?.Samples ?? double.NaN, "N0", "generated images (and as many real test images) each FID of this lesson compares");
            }
        }
        record.Record("dcgan-step-cost-ratio", (results[1].CpuSeconds / steps) / (results[0].CpuSeconds / steps), "N0",
            $"CPU seconds per DCGAN step over CPU seconds per MLP GAN step, both on mnist at batch 64, from the {steps}-step runs");
    }

    internal sealed record RunResult(long Steps, double CpuSeconds, double LearningRate, EvaluationReport? Report);

    /// <summary>Runs each job on a thread of its own (libtorch's grad mode is per thread, so a trainer stays on its thread) and returns their results in order.</summary>
    internal static T[] InParallel<T>(IReadOnlyList<Func<T>> jobs)
    {
        var results = new T[jobs.Count];
        var errors = new Exception?[jobs.Count];
        var threads = jobs.Select((job, i) => new Thread(() =>
        {
            try { results[i] = job(); }
            catch (Exception e) { errors[i] = e; }
        }) { IsBackground = true, Name = $"claims-{i}" }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw new AggregateException(error);
        return results;
    }

    private static GanTrainer NewTrainer(string model, string dataset, DatasetCatalog datasets)
    {
        var options = GanClaimRuns.Recipe(model, dataset) with { BatchSize = 64 };
        if (model == "dcgan") options = options with { LearningRate = DcganLearningRate };
        return new GanTrainer(options, datasets.Get(dataset));
    }

    /// <summary>Trains to a step count or a CPU-time budget; returns the CPU seconds the calling thread spent.</summary>
    internal static double TrainFor(GanTrainer trainer, long? steps, double? cpuSeconds)
    {
        var start = ThreadCpuSeconds();
        while (true)
        {
            var spent = ThreadCpuSeconds() - start;
            if (steps is { } n && trainer.Step >= n) return spent;
            if (cpuSeconds is { } budget && spent >= budget) return spent;
            var progress = trainer.TrainStep();
            if (progress.Diverged) throw new InvalidOperationException(progress.DivergenceMessage(trainer.Options));
        }
    }

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): what this run used, whatever else the machine and process do.</summary>
    internal static double ThreadCpuSeconds() =>
        ClockGetTime(3, out var t) == 0 ? t.Seconds + t.Nanoseconds / 1e9 : throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>
    /// FID and classifier score of the trainer's G. In smoke mode, a classifier that is not cached is not trained
    /// (that takes a quarter of an hour): there is then no report, and the values are NaN, so the test still sees every name.
    /// </summary>
    internal static EvaluationReport? Evaluate(GanTrainer trainer, GeneratorEvaluation evaluation, DomainClassifiers classifiers, ClaimScale scale) =>
        scale.Full || classifiers.IsCached(trainer.Options.Dataset) ? evaluation.Evaluate(trainer, scale.Samples(EvaluationSamples)) : null;

    internal static void RecordMetrics(ClaimRecorder record, string prefix, string how, EvaluationReport? report)
    {
        var samples = report is null ? "" : $", {report.Samples:N0} samples against as many real test images, evaluation seed 1";
        record.Record($"{prefix}-fid", report?.Generated.FrechetDistance ?? double.NaN, "F1", $"{how}: FID on the domain classifier's features{samples}");
        record.Record($"{prefix}-score", report?.Generated.ClassifierScore ?? double.NaN, "F2", $"{how}: classifier score (at most 10){samples}");
    }
}
