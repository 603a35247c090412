using System.Diagnostics;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Pretrained;

namespace GanLab.Cli;

/// <summary>What `ganlab pretrain` was asked: list the catalogue, or train what is missing (all, or one entry).</summary>
internal sealed record PretrainRequest(bool List, string? Only)
{
    /// <summary>--list is a flag (no value); --only takes a catalogue name, checked against the catalogue.</summary>
    public static PretrainRequest Parse(string[] args, IReadOnlyList<string> names)
    {
        var list = args.Count(a => a == "--list");
        if (list > 1) throw new ArgumentException("pretrain: --list is given twice");
        var o = CommandLine.Parse("pretrain", args.Where(a => a != "--list").ToArray(), ["only"]);
        var only = o.Has("only") ? o.Choice("only", "", names) : null;
        return new PretrainRequest(list == 1, only);
    }
}

/// <summary>
/// ganlab pretrain: trains the models lessons need (PretrainedCatalog's GANs and the domain classifiers) into
/// .ganlab/, skipping those already cached, with a progress line; --list says what is cached.
/// </summary>
internal static class PretrainCommand
{
    public static int Run(string[] args)
    {
        var paths = GanLabPaths.Discover();
        var datasets = new DatasetCatalog(paths);
        var request = PretrainRequest.Parse(args, PretrainedCatalog.Names);
        // Ctrl+C stops after the step and keeps the steps made in the partial checkpoint; the next pretrain goes on from there.
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return Run(request, new PretrainedModels(paths, datasets), new DomainClassifiers(paths, datasets), PretrainedCatalog.ClassifierDatasets, Console.Out, stop.Token);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("pretrain: stopped; the steps made are kept in .ganlab/pretrained/*.partial.ganlab and the next pretrain goes on from them");
            return 130;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static int Run(PretrainRequest request, PretrainedModels models, DomainClassifiers classifiers, IReadOnlyList<string> classifierDatasets,
        TextWriter output, CancellationToken stop = default)
    {
        if (request.List)
        {
            List(models, classifiers, classifierDatasets, output);
            return 0;
        }
        foreach (var entry in models.Gans.Where(g => request.Only is null || request.Only == g.Name))
            TrainGan(models, entry, output, stop);
        foreach (var dataset in classifierDatasets.Where(d => request.Only is null || request.Only == PretrainedCatalog.ClassifierName(d)))
        {
            stop.ThrowIfCancellationRequested();
            var name = PretrainedCatalog.ClassifierName(dataset);
            if (classifiers.IsCached(dataset))
            {
                output.WriteLine($"{name}: cached ({classifiers.PathFor(dataset)})");
                continue;
            }
            using var classifier = classifiers.Get(dataset, "cpu", log: line => output.WriteLine($"{name}: {line.Trim()}"));
            output.WriteLine($"{name}: test accuracy {classifier.Record.TestAccuracy:P2}, trained in {classifier.Record.TrainingSeconds:F0}s ({classifier.Path})");
        }
        return 0;
    }

    internal static void List(PretrainedModels models, DomainClassifiers classifiers, IReadOnlyList<string> classifierDatasets, TextWriter output)
    {
        foreach (var entry in models.Gans)
        {
            var record = models.ReadCached(entry, out var problem);
            var state = record is not null
                ? $"cached: {record.Steps:N0} steps in {record.TrainingSeconds:F0}s on {record.Machine}, {record.TrainedUtc:yyyy-MM-dd HH:mm}Z"
                : problem is not null ? $"to retrain: {problem}"
                : models.PartialStep(entry) is { } step ? $"missing; a partial checkpoint holds {step:N0} steps, which pretrain goes on from"
                : "missing";
            output.WriteLine($"{entry.Name,-26}{entry.Model} on {entry.Dataset}, {entry.Steps:N0} steps, batch {entry.Options.BatchSize}, lr {entry.Options.LearningRate}, seed {entry.Options.Seed}");
            output.WriteLine($"{"",-26}{state}");
            output.WriteLine($"{"",-26}reaches: {entry.Quality}");
        }
        foreach (var dataset in classifierDatasets)
            output.WriteLine($"{PretrainedCatalog.ClassifierName(dataset),-26}domain classifier of {dataset}: {(classifiers.IsCached(dataset) ? $"cached ({classifiers.PathFor(dataset)})" : "missing")}");
    }

    private static void TrainGan(PretrainedModels models, PretrainedGan entry, TextWriter output, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        TimeSpan? lastLine = null;
        // The pace is measured from the first step on: loading the dataset and building the networks is not training.
        (long Step, TimeSpan At)? first = null;
        var (record, trainedNow) = models.Ensure(entry,
            progress: (step, budget) =>
            {
                first ??= (step, clock.Elapsed);
                // The first line at once, then one every 10 s and the last: readable in a log and on a terminal alike.
                if (step < budget && lastLine is { } last && clock.Elapsed - last < TimeSpan.FromSeconds(10)) return;
                lastLine = clock.Elapsed;
                var (done, seconds) = (step - first.Value.Step, (clock.Elapsed - first.Value.At).TotalSeconds);
                var pace = done > 0 && seconds > 0
                    ? $", {done * entry.Options.BatchSize / seconds:F0} images/s, ETA {ProgressReport.Clock(TimeSpan.FromSeconds(seconds / done * (budget - step)))}"
                    : "";
                output.WriteLine($"{entry.Name}: step {step:N0}/{budget:N0} ({100.0 * step / budget:F0}%){pace}");
            },
            log: line => output.WriteLine(line), cancel: stop);
        output.WriteLine(trainedNow
            ? $"{entry.Name}: trained {record.Steps:N0} steps in {record.TrainingSeconds:F0}s of training ({clock.Elapsed.TotalSeconds:F0}s wall) → {models.PathFor(entry.Name)}"
            : $"{entry.Name}: cached ({models.PathFor(entry.Name)}, {record.Steps:N0} steps, trained {record.TrainedUtc:yyyy-MM-dd HH:mm}Z)");
    }
}
