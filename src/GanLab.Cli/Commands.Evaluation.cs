using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Training;

namespace GanLab.Cli;

// ganlab eval and ganlab classifier: the measurements of the course, printed.
internal static partial class Commands
{
    internal static readonly string[] EvaluateOptions = ["checkpoint", "samples", "seed", "device"];
    internal static readonly string[] ClassifierOptions = ["dataset", "device", "retrain"];

    private static int Evaluate(CommandLine o)
    {
        var checkpoint = o.TextOrNull("checkpoint") ?? throw new ArgumentException("eval needs --checkpoint <file> (a run's DIR/checkpoint.ganlab, written by `ganlab train`)");
        if (!File.Exists(checkpoint)) throw new ArgumentException($"--checkpoint: {checkpoint} does not exist");
        var paths = GanLabPaths.Discover();
        var datasets = new DatasetCatalog(paths);
        var evaluation = new GeneratorEvaluation(new DomainClassifiers(paths, datasets));
        int? samples = o.TextOrNull("samples") is null ? null : o.Int("samples", 0);
        var report = evaluation.Evaluate(checkpoint, datasets, samples, o.Text("device", "auto"), (ulong)o.Int("seed", 1), Console.WriteLine);
        Print(report);
        return 0;
    }

    private static int Classifier(CommandLine o)
    {
        if (!o.Has("dataset")) throw new ArgumentException($"classifier needs --dataset; allowed: {string.Join(", ", DatasetCatalog.Names)}");
        var dataset = o.Choice("dataset", "", DatasetCatalog.Names);
        var retrain = o.Choice("retrain", "no", ["yes", "no"]) == "yes";
        var paths = GanLabPaths.Discover();
        var classifiers = new DomainClassifiers(paths, new DatasetCatalog(paths));
        using var classifier = classifiers.Get(dataset, o.Text("device", "auto"), retrain, Console.WriteLine);
        var r = classifier.Record;
        Console.WriteLine($"{dataset} classifier v{r.Version} ({(classifier.TrainedNow ? "trained now" : "from the cache")}: {classifier.Path})");
        Console.WriteLine($"  test accuracy {r.TestAccuracy:P2} on {r.TestImages:N0} held-out images; trained on {r.TrainImages:N0} images " +
                          $"in {r.TrainingSeconds:F0}s on {r.Device} (libtorch {r.Libtorch}); {r.Options}");
        return 0;
    }

    private static void Print(EvaluationReport r)
    {
        var (g, real, m) = (r.Generated, r.RealBaseline, r.Memorization);
        var classes = g.Classes.Counts.Length;
        Console.WriteLine();
        Console.WriteLine($"{r.Model} on {r.Dataset} at step {r.Step}: {r.Samples:N0} samples against {r.Samples:N0} real test images ({r.Seconds:F0}s)");
        Console.WriteLine($"classifier: {r.Dataset} v{r.Classifier.Version}, test accuracy {r.Classifier.TestAccuracy:P2} on {r.Classifier.TestImages:N0} held-out images");
        Console.WriteLine($"{"",-22}{"generated",12}{"real (floor)",14}");
        Console.WriteLine($"{"FID (classifier)",-22}{g.FrechetDistance,12:F3}{real.FrechetDistance,14:F3}");
        Console.WriteLine($"{$"classifier score (/{classes})",-22}{g.ClassifierScore,12:F3}{real.ClassifierScore,14:F3}");
        Console.WriteLine($"{"precision (k = 3)",-22}{g.Precision,12:F3}{real.Precision,14:F3}");
        Console.WriteLine($"{"recall (k = 3)",-22}{g.Recall,12:F3}{real.Recall,14:F3}");
        Console.WriteLine($"{"classes present",-22}{$"{g.Classes.ClassesPresent}/{classes}",12}{$"{real.Classes.ClassesPresent}/{classes}",14}");
        Console.WriteLine($"{"under half their share",-22}{g.Classes.ClassesUnderHalfShare,12}{real.Classes.ClassesUnderHalfShare,14}");
        Console.WriteLine($"{"largest class share",-22}{g.Classes.LargestShare,12:P1}{real.Classes.LargestShare,14:P1}");
        Console.WriteLine($"class histogram, generated: {g.Classes}");
        Console.WriteLine($"class histogram, real:      {real.Classes}");
        Console.WriteLine($"memorization (pixel distances; {m.Samples:N0} samples and {m.Samples:N0} real images against {m.ReferenceImages:N0} training and {m.ReferenceImages:N0} test images):");
        Console.WriteLine($"  median distance to the nearest training / test image: samples {m.MedianSampleToTrain:F2} / {m.MedianSampleToTest:F2}, real {m.MedianRealToTrain:F2} / {m.MedianRealToTest:F2}");
        Console.WriteLine($"  nearer a training image than any test image: samples {m.SampleShareCloserToTrain:P1}, real {m.RealShareCloserToTrain:P1}");
        Console.WriteLine($"  near copies (nearer a training image than {m.NearCopyDistance:F2}, which 1% of real images are): samples {m.SampleNearCopyShare:P1}, real {MemorizationReport.RealNearCopyShare:P0}");
        if (r.GeneratorSawTestImages)
            Console.WriteLine("  this generator trained on the test images too, so the training-vs-test share cannot show memorization; the near-copy share can");
        Console.WriteLine("FID here is measured in the domain classifier's feature space: never compare it with Inception FID.");
    }
}
