using System.Diagnostics;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Cli;

/// <summary>The subcommands, each a few lines over GanLab.Core.</summary>
internal static partial class Commands
{
    private const string Usage = """
        usage:
          ganlab-cli bench mlp|dcgan [--steps N] [--warmup N] [--threads N] [--batch N] [--device auto|cpu|cuda]
              trains seed 002's MLP GAN or seed 001's DCGAN on the MNIST digits and prints images/s
          ganlab-cli train [--model M] [--dataset D] [--loss L] [--labels MODE] [--optimizer O] [--d-steps K]
                           [--lr X] [--batch N] [--latent N] [--seed N] [--device auto|cpu|cuda] [--augment A] [--train-on training-split|all]
                           [--steps N | --epochs N | --minutes M [--keep-at-minutes 2,5]] [--out DIR]
                           [--save-every N] [--metrics-every N] [--log-every N]
          ganlab-cli train --resume DIR/checkpoint.ganlab [--steps N | --epochs N] [--out DIR] ...
              trains a GAN headless into DIR (default runs/<model>-<dataset>-seed<seed>): checkpoint.ganlab
              (every --save-every steps, default 1000, and at the end), metrics.csv (a row every --metrics-every
              steps, default 1), samples-epoch-NNN.png after each epoch and samples-step-NNNNNN.png at the end.
              --steps (default 3000), --epochs or --minutes (wall clock) bounds this session; --keep-at-minutes
              also keeps checkpoint-at-Mmin.ganlab and samples-at-Mmin.png at those times, for `eval` at equal
              budgets. A progress bar with ETA on a terminal, a log line every --log-every steps (default 250) otherwise. Ctrl+C stops after the step
              and saves. --resume continues a run with its own options and appends to its metrics.csv.
              --augment: none (default), flip, rotate, flip+rotate (seed 004; flip suits garments and photos, not digits)
              --train-on: training-split (default: the dataset's test images stay unseen, for the metrics and the
                memorization check) or all (every image, as the seeds train)
              --latent: z's size (default 100; seeds 003 and 004 use 128: tf-gan, dcgan-32, cgan, cdcgan and their sn- forms)
          ganlab-cli eval --checkpoint run.ganlab [--samples N] [--seed N] [--device auto|cpu|cuda]
              FID, classifier score, class histogram, precision/recall and memorization of a run's generator,
              beside the real-vs-real floor at the same sample size
          ganlab-cli classifier --dataset D [--device auto|cpu|cuda] [--retrain yes|no]
              trains (or loads from the cache) the dataset's domain classifier and prints its test accuracy
          ganlab-cli pretrain [--only NAME] [--list]
              trains the models lessons need into .ganlab/ (pretrained GANs in .ganlab/pretrained/, the domain
              classifiers in .ganlab/classifiers/), skipping those already cached; --list says what is cached
          ganlab-cli toy [--distribution ring-8] [--loss L] [--labels MODE] [--optimizer O] [--d-steps K] [--lr X]
                         [--batch N] [--hidden N] [--layers N] [--latent N] [--seed N] [--steps N] [--every N]
              trains a toy GAN on 1-D or 2-D points and prints modes covered, high-quality share, KL, JS,
              D's gap to the optimal D and V(D, G) against −log 4 + 2·JSD
          ganlab-cli claims [--lesson NN] [--scale full|smoke] | claims list
              measures the numbers the lessons quote (all lessons, or one) and writes them beside the lesson as
              content/NN-slug.measured.json with the machine, date and commit; smoke runs every measurement tiny
              and saves nothing
          ganlab-cli models | datasets
              lists the names train accepts
          ganlab-cli models <name> [--image CxHxW] [--latent N]
              prints the model's layers, output shapes and parameter counts, measured by a dummy forward pass
              (for its seed's image format and z size unless given, e.g. --image 1x28x28 for a conditional model on MNIST)
        """;

    public static int Run(string[] args)
    {
        try
        {
            return args switch
            {
                ["bench", "mlp", .. var rest] => Bench("mlp-gan", CommandLine.Parse("bench", rest, BenchOptions)),
                ["bench", "dcgan", .. var rest] => Bench("dcgan", CommandLine.Parse("bench", rest, BenchOptions)),
                ["train", "--help" or "-h"] => Help(0),
                ["train", .. var rest] => TrainCommand.Run(CommandLine.Parse("train", rest, TrainCommand.Allowed)),
                ["eval", .. var rest] => Evaluate(CommandLine.Parse("eval", rest, EvaluateOptions)),
                ["classifier", .. var rest] => Classifier(CommandLine.Parse("classifier", rest, ClassifierOptions)),
                ["toy", .. var rest] => Toy(CommandLine.Parse("toy", rest, ToyOptions)),
                ["claims", "list"] => ListClaims(),
                ["claims", .. var rest] => Claims(CommandLine.Parse("claims", rest, ["lesson", "scale"])),
                ["pretrain", .. var rest] => PretrainCommand.Run(rest),
                ["models"] => ListModels(),
                ["models", var name, .. var rest] => ShowModel(name, CommandLine.Parse("models", rest, ["image", "latent"])),
                ["datasets"] => List(DatasetCatalog.Names),
                ["help" or "--help" or "-h"] => Help(0),
                _ => Help(2),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or TimeoutException or InvalidDataException or IOException or TorchException or InvalidOperationException or CheckpointException)
        {
            Console.Error.WriteLine($"ganlab-cli: {e.Message}");
            return 1;
        }
    }

    private static int Help(int code)
    {
        (code == 0 ? Console.Out : Console.Error).WriteLine(Usage);
        return code;
    }

    private static readonly string[] BenchOptions = ["steps", "warmup", "threads", "batch", "device"];

    private static int Bench(string model, CommandLine o)
    {
        var steps = o.Int("steps", 2000);
        var warmup = o.Int("warmup", 100);
        var threads = o.Int("threads", 1);
        Environment.SetEnvironmentVariable("GANLAB_THREADS", threads.ToString());
        var options = new GanTrainingOptions { Model = model, BatchSize = o.Int("batch", 64), Device = o.Choice("device", "auto", ["auto", "cpu", "cuda"]), Seed = 1 };
        var dataset = new DatasetCatalog(GanLabPaths.Discover()).Get(options.Dataset);
        using var trainer = new GanTrainer(options, dataset);
        for (var i = 0; i < warmup; i++) trainer.TrainStep();
        var onGpu = trainer.Device.Type == DeviceType.CUDA;
        if (onGpu) torch.cuda.synchronize();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < steps; i++) trainer.TrainStep();
        if (onGpu) torch.cuda.synchronize();
        clock.Stop();
        var imagesPerSecond = steps * (double)options.BatchSize / clock.Elapsed.TotalSeconds;
        Console.WriteLine($"ganlab {model}: {imagesPerSecond:F1} images/s ({steps} steps, batch {options.BatchSize}, threads {torch.get_num_threads()}, device {trainer.Device}, libtorch {torch.version})");
        return 0;
    }

    private static int ListModels()
    {
        foreach (var m in GanZoo.Models)
            Console.WriteLine($"{m.Name,-14} {m.Seed,-9} {string.Join(" or ", m.Formats),-20} {m.Description}");
        return 0;
    }

    private static int ShowModel(string name, CommandLine o)
    {
        var image = o.TextOrNull("image") is { } text ? ImageFormat.Parse(text) : null;
        Console.Write(ModelSummary.Of(name, image, o.IntOrNull("latent", min: 1)).ToText());
        return 0;
    }

    private static int List(IEnumerable<string> names)
    {
        foreach (var name in names) Console.WriteLine(name);
        return 0;
    }
}
