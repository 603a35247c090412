using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;

namespace GanLab.Cli;

/// <summary>
/// `ganlab-cli train`: trains a GAN headless into an output folder that holds everything of the run:
/// checkpoint.ganlab (the latest good state), metrics.csv, and a sample grid per epoch and at the end.
/// --resume continues a run from its checkpoint with its own options, appending to the same folder.
/// </summary>
internal static class TrainCommand
{
    public const string CheckpointFile = "checkpoint.ganlab";
    public const string MetricsFile = "metrics.csv";
    private const int DefaultSteps = 3000;

    /// <summary>Options that make up the run's options record: a resumed run keeps its own, so these are refused with --resume.</summary>
    private static readonly string[] RunOptions =
        ["model", "dataset", "loss", "labels", "optimizer", "d-steps", "lr", "batch", "latent", "seed", "device", "augment", "train-on"];

    private static readonly string[] SessionOptions =
        ["steps", "epochs", "minutes", "keep-at-minutes", "out", "resume", "save-every", "metrics-every", "log-every"];

    public static IReadOnlyList<string> Allowed { get; } = [.. RunOptions, .. SessionOptions];

    public static int Run(CommandLine o)
    {
        var datasets = new DatasetCatalog(GanLabPaths.Discover());
        var resume = o.TextOrNull("resume");
        if (resume is not null && o.Given.FirstOrDefault(RunOptions.Contains) is { } clash)
            throw new ArgumentException($"--{clash} cannot be combined with --resume: a resumed run keeps the options it was started with");
        if (new[] { "steps", "epochs", "minutes" }.Count(o.Has) > 1)
            throw new ArgumentException("--steps, --epochs and --minutes are alternatives; give one of them");
        var steps = o.IntOrNull("steps", min: 1);
        var epochs = o.IntOrNull("epochs", min: 1);
        var minutes = o.Has("minutes") ? o.Double("minutes", 0) : (double?)null;
        if (minutes is <= 0) throw new ArgumentException($"--minutes wants a time above 0, not {minutes}");
        var keepAt = KeepMarks(o, minutes);
        var saveEvery = o.Int("save-every", 1000);
        var metricsEvery = o.Int("metrics-every", 1, min: 1);
        var logEvery = o.Int("log-every", 250, min: 1);

        var options = resume is null ? OptionsFrom(o) : GanTrainer.ReadCheckpointOptions(resume);
        var folder = o.TextOrNull("out") ?? (resume is null ? Path.Combine("runs", $"{options.Model}-{options.Dataset}-seed{options.Seed}") : Path.GetDirectoryName(Path.GetFullPath(resume))!);
        var checkpoint = Path.Combine(folder, CheckpointFile);
        if (resume is null && File.Exists(checkpoint))
            throw new ArgumentException($"{folder} already holds a run ({CheckpointFile}); continue it with --resume {checkpoint}, or choose another --out");
        Directory.CreateDirectory(folder);

        using var trainer = resume is null ? new GanTrainer(options, datasets.Get(options.Dataset)) : GanTrainer.Resume(resume, datasets);
        using var metrics = TrainingMetricsCsv.Open(Path.Combine(folder, MetricsFile), trainer.Step);
        // A step draws k batches; --epochs counts batches, rounding the last step up.
        var budget = minutes is { } m ? TrainingBudget.OfTime(TimeSpan.FromMinutes(m))
            : TrainingBudget.OfSteps(steps ?? (epochs is { } e ? (e * trainer.BatchesPerEpoch + options.DiscriminatorSteps - 1) / options.DiscriminatorSteps : DefaultSteps));

        Console.WriteLine($"options: {trainer.Options}");
        Console.WriteLine(resume is null
            ? $"seed {options.Seed}, device {trainer.Device}; training {budget} into {folder}"
            : $"resumed from {resume} at step {trainer.Step} (epoch {trainer.Epoch}); training {budget} more into {folder}");

        // Ctrl+C finishes the step in progress, then saves: a second Ctrl+C is not caught and ends the process at once.
        var stop = false;
        ConsoleCancelEventHandler onCancel = (_, args) =>
        {
            if (stop) return;
            stop = true;
            args.Cancel = true;
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var progress = new ProgressReport(budget, onTerminal: !Console.IsOutputRedirected, logEvery);
            var saved = resume is null ? null : $"{resume} (step {trainer.Step})";
            var completedEpochs = trainer.CompletedEpochs;
            var session = System.Diagnostics.Stopwatch.StartNew();
            var keeping = new Queue<double>(keepAt);
            for (var done = 1L; !stop; done++)
            {
                var p = trainer.TrainStep();
                if (done % metricsEvery == 0 || p.Diverged) metrics.Append(p);
                if (p.Diverged) return Diverged(progress, metrics, p.DivergenceMessage(options), saved);
                var elapsed = session.Elapsed;
                var last = budget.IsSpent(done, elapsed);
                progress.Update(done, elapsed, p);
                // Kept copies let one run be measured at several budgets (2, 5 and 10 minutes) with `ganlab eval`.
                while (keeping.TryPeek(out var mark) && elapsed.TotalMinutes >= mark)
                {
                    keeping.Dequeue();
                    var copy = Path.Combine(folder, $"checkpoint-at-{mark:0.##}min.ganlab");
                    if (!Save(trainer, copy, metrics)) return Diverged(progress, metrics, NonFiniteWeights(trainer), saved);
                    WriteGrid(trainer, folder, $"samples-at-{mark:0.##}min.png");
                    progress.EndLine();
                    Console.WriteLine($"kept {copy} at step {trainer.Step}");
                }
                if (trainer.CompletedEpochs > completedEpochs)
                {
                    completedEpochs = trainer.CompletedEpochs;
                    WriteGrid(trainer, folder, $"samples-epoch-{completedEpochs - 1:D3}.png");
                }
                if (last) break;
                if (saveEvery > 0 && done % saveEvery == 0)
                {
                    if (!Save(trainer, checkpoint, metrics)) return Diverged(progress, metrics, NonFiniteWeights(trainer), saved);
                    saved = $"{checkpoint} (step {trainer.Step})";
                }
            }
            progress.EndLine();
            if (!Save(trainer, checkpoint, metrics)) return Diverged(progress, metrics, NonFiniteWeights(trainer), saved);
            WriteGrid(trainer, folder, $"samples-step-{trainer.Step:D6}.png");
            Console.WriteLine($"{(stop ? "stopped" : "done")} at step {trainer.Step} (epoch {trainer.Epoch}): saved {checkpoint} and {Path.Combine(folder, MetricsFile)}");
            return stop ? 130 : 0; // 130: the shell's code for a run ended by Ctrl+C
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>--keep-at-minutes 2,5: the times within a --minutes budget at which a copy of the checkpoint is kept.</summary>
    private static double[] KeepMarks(CommandLine o, double? minutes)
    {
        if (o.TextOrNull("keep-at-minutes") is not { } text) return [];
        if (minutes is null) throw new ArgumentException("--keep-at-minutes needs a --minutes budget");
        var marks = text.Split(',').Select(part =>
            double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 && v < minutes
                ? v : throw new ArgumentException($"--keep-at-minutes: '{part}' is not a time between 0 and --minutes ({minutes})")).ToArray();
        return [.. marks.Order()];
    }

    private static GanTrainingOptions OptionsFrom(CommandLine o)
    {
        // The chosen model's recommended settings are the defaults of every other option (GanTrainingOptions.For).
        var model = o.Choice("model", new GanTrainingOptions().Model, GanZoo.Names);
        var d = GanTrainingOptions.For(model);
        var options = d with
        {
            Model = model,
            Dataset = o.Choice("dataset", d.Dataset, DatasetCatalog.Names),
            Loss = o.Choice("loss", d.Loss, GanLosses.Names),
            Labels = o.Choice("labels", d.Labels, GanTrainingOptions.LabelModes),
            Optimizer = o.Choice("optimizer", d.Optimizer, GanTrainingOptions.OptimizerNames),
            Augmentation = o.Choice("augment", d.Augmentation, ImageAugmentation.Names),
            TrainOn = o.Choice("train-on", d.TrainOn, GanTrainingOptions.TrainOnChoices),
            Device = o.Choice("device", d.Device, ["auto", "cpu", "cuda"]),
            DiscriminatorSteps = o.Int("d-steps", d.DiscriminatorSteps),
            Seed = o.Int("seed", d.Seed),
            BatchSize = o.Int("batch", d.BatchSize),
            LatentSize = o.Int("latent", d.LatentSize, min: 1),
            LearningRate = o.Double("lr", d.LearningRate),
        };
        var problems = options.Validate();
        return problems.Count == 0 ? options : throw new ArgumentException(string.Join("; ", problems));
    }

    /// <summary>Saves unless the weights are no longer finite: then the last good checkpoint stays as it is.</summary>
    private static bool Save(GanTrainer trainer, string checkpoint, TrainingMetricsCsv metrics)
    {
        metrics.Flush();
        try
        {
            trainer.SaveCheckpoint(checkpoint);
            return true;
        }
        catch (DivergedStateException)
        {
            return false;
        }
    }

    private static string NonFiniteWeights(GanTrainer trainer) =>
        $"training diverged by step {trainer.Step}: the losses were still finite but the weights hold NaN or infinite values. " +
        $"A learning rate too high for these networks is the usual cause (this run used {trainer.Options.LearningRate}); try a smaller one";

    private static int Diverged(ProgressReport progress, TrainingMetricsCsv metrics, string why, string? saved)
    {
        progress.EndLine();
        metrics.Flush();
        // Resuming would diverge again the same way (a run is deterministic), so the advice is a new run.
        Console.Error.WriteLine($"ganlab-cli: {why}. " + (saved is null
            ? "No checkpoint was saved before it."
            : $"The last good checkpoint is kept: {saved}."));
        return 1;
    }

    /// <summary>The fixed-noise grid, so grids of successive epochs show the same z and compare.</summary>
    private static void WriteGrid(GanTrainer trainer, string folder, string name) =>
        File.WriteAllBytes(Path.Combine(folder, name), trainer.SampleFixedNoise().Png);
}
