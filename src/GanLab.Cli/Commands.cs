using System.Diagnostics;
using GanLab.Core;
using GanLab.Core.Data;
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
                           [--lr X] [--batch N] [--seed N] [--device auto|cpu|cuda] [--steps N]
                           [--checkpoint run.ganlab [--save-every N]] [--resume run.ganlab] [--out grid.png]
              trains a GAN headless, printing the log, saving checkpoints and writing the fixed-noise grid;
              --resume continues a saved run with its own options
          ganlab-cli toy [--distribution ring-8] [--loss L] [--labels MODE] [--optimizer O] [--d-steps K] [--lr X]
                         [--batch N] [--hidden N] [--layers N] [--latent N] [--seed N] [--steps N] [--every N]
              trains a toy GAN on 1-D or 2-D points and prints modes covered, high-quality share, KL, JS,
              D's gap to the optimal D and V(D, G) against −log 4 + 2·JSD
          ganlab-cli models | datasets
              lists the names train accepts
        """;

    public static int Run(string[] args)
    {
        try
        {
            return args switch
            {
                ["bench", "mlp", .. var rest] => Bench("mlp-gan", Options.Parse(rest)),
                ["bench", "dcgan", .. var rest] => Bench("dcgan", Options.Parse(rest)),
                ["train", .. var rest] => Train(Options.Parse(rest)),
                ["toy", .. var rest] => Toy(Options.Parse(rest)),
                ["models"] => List(GanLab.Core.Models.GanZoo.Names),
                ["datasets"] => List(DatasetCatalog.Names),
                ["help" or "--help" or "-h"] => Help(0),
                _ => Help(2),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or IOException or TorchException or InvalidOperationException or CheckpointException)
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

    private static int Bench(string model, Options o)
    {
        var steps = o.Int("steps", 2000);
        var warmup = o.Int("warmup", 100);
        var threads = o.Int("threads", 1);
        Environment.SetEnvironmentVariable("GANLAB_THREADS", threads.ToString());
        var options = new GanTrainingOptions { Model = model, BatchSize = o.Int("batch", 64), Device = o.Text("device", "auto"), Seed = 1 };
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

    private static int Train(Options o)
    {
        var datasets = new DatasetCatalog(GanLabPaths.Discover());
        var resume = o.TextOrNull("resume");
        var defaults = new GanTrainingOptions();
        using var trainer = resume is not null
            ? GanTrainer.Resume(resume, datasets)
            : NewTrainer(new GanTrainingOptions
            {
                Model = o.Text("model", defaults.Model),
                Dataset = o.Text("dataset", defaults.Dataset),
                Loss = o.Text("loss", defaults.Loss),
                Labels = o.Text("labels", defaults.Labels),
                Optimizer = o.Text("optimizer", defaults.Optimizer),
                DiscriminatorSteps = o.Int("d-steps", defaults.DiscriminatorSteps),
                Seed = o.Int("seed", defaults.Seed),
                Device = o.Text("device", defaults.Device),
                BatchSize = o.Int("batch", defaults.BatchSize),
                LearningRate = o.Double("lr", defaults.LearningRate),
            }, datasets);
        var steps = o.Int("steps", 3000);
        var checkpoint = o.TextOrNull("checkpoint");
        var saveEvery = o.Int("save-every", 1000);
        Console.WriteLine($"options: {trainer.Options}{(resume is null ? "" : $" (resumed from {resume} at step {trainer.Step})")}");
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= steps; i++)
        {
            var p = trainer.TrainStep();
            if (!double.IsFinite(p.LossD) || !double.IsFinite(p.LossG))
                throw new InvalidOperationException($"training diverged at step {p.Step} (Loss_D {p.LossD}, Loss_G {p.LossG}); the last checkpoint, if any, is {checkpoint ?? "not kept"}");
            if (i % 250 == 0 || i == steps)
                Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] epoch {p.Epoch} step {p.Step}: Loss_D {p.LossD:F4} Loss_G {p.LossG:F4} D(x) {p.DOfX:F3} D(G(z)) {p.DOfGzBeforeD:F3} / {p.DOfGzAfterD:F3} ({p.ImagesPerSecond:F0} images/s)");
            if (checkpoint is not null && saveEvery > 0 && i % saveEvery == 0) trainer.SaveCheckpoint(checkpoint);
        }
        if (checkpoint is not null)
        {
            trainer.SaveCheckpoint(checkpoint);
            Console.WriteLine($"saved {checkpoint} at step {trainer.Step}");
        }
        var output = o.Text("out", "samples.png");
        File.WriteAllBytes(output, trainer.SampleFixedNoise().Png);
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    private static GanTrainer NewTrainer(GanTrainingOptions options, DatasetCatalog datasets)
    {
        var problems = options.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        return new GanTrainer(options, datasets.Get(options.Dataset));
    }

    private static int List(IEnumerable<string> names)
    {
        foreach (var name in names) Console.WriteLine(name);
        return 0;
    }

    /// <summary>--name value pairs; a value that does not parse names the option.</summary>
    private sealed class Options(Dictionary<string, string> values)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>();
            for (var i = 0; i < args.Length; i++)
            {
                if (!args[i].StartsWith("--") || i + 1 >= args.Length)
                    throw new ArgumentException($"expected --option value, got '{args[i]}'");
                values[args[i][2..]] = args[++i];
            }
            return new Options(values);
        }

        public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

        public string? TextOrNull(string name) => values.GetValueOrDefault(name);

        public int Int(string name, int fallback) =>
            !values.TryGetValue(name, out var v) ? fallback
            : int.TryParse(v, out var n) && n >= 0 ? n : throw new ArgumentException($"--{name} wants a whole number ≥ 0, not '{v}'");

        public double Double(string name, double fallback) =>
            !values.TryGetValue(name, out var v) ? fallback
            : double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} wants a number, not '{v}'");
    }
}
