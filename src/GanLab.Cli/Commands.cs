using System.Diagnostics;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Cli;

/// <summary>The subcommands, each a few lines over GanLab.Core.</summary>
internal static class Commands
{
    private const string Usage = """
        usage:
          ganlab-cli bench mlp|dcgan [--steps N] [--warmup N] [--threads N] [--batch N] [--device auto|cpu|cuda]
              trains seed 002's MLP GAN or seed 001's DCGAN on the MNIST digits and prints images/s
          ganlab-cli train [--model mlp-gan|dcgan] [--steps N] [--seed N] [--out grid.png] [--device auto|cpu|cuda]
              trains the MLP GAN headless, printing the log and writing the fixed-noise grid
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
                ["help" or "--help" or "-h"] => Help(0),
                _ => Help(2),
            };
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or FileNotFoundException or TorchException or InvalidOperationException)
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
        var options = new GanTrainingOptions
        {
            Model = o.Text("model", "mlp-gan"),
            Seed = o.Int("seed", 42),
            Device = o.Text("device", "auto"),
            BatchSize = o.Int("batch", 64),
            LearningRate = o.Double("lr", new GanTrainingOptions().LearningRate),
        };
        var steps = o.Int("steps", 3000);
        Console.WriteLine($"options: {options}");
        var dataset = new DatasetCatalog(GanLabPaths.Discover()).Get(options.Dataset);
        using var trainer = new GanTrainer(options, dataset);
        var clock = Stopwatch.StartNew();
        for (var i = 1; i <= steps; i++)
        {
            var p = trainer.TrainStep();
            if (i % 250 == 0 || i == steps)
                Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1}s] epoch {p.Epoch} step {p.Step}: Loss_D {p.LossD:F4} Loss_G {p.LossG:F4} D(x) {p.DOfX:F3} D(G(z)) {p.DOfGzBeforeD:F3} / {p.DOfGzAfterD:F3} ({p.ImagesPerSecond:F0} images/s)");
        }
        var output = o.Text("out", "samples.png");
        File.WriteAllBytes(output, trainer.SampleFixedNoise().Png);
        Console.WriteLine($"wrote {output}");
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

        public int Int(string name, int fallback) =>
            !values.TryGetValue(name, out var v) ? fallback
            : int.TryParse(v, out var n) && n >= 0 ? n : throw new ArgumentException($"--{name} wants a whole number ≥ 0, not '{v}'");

        public double Double(string name, double fallback) =>
            !values.TryGetValue(name, out var v) ? fallback
            : double.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : throw new ArgumentException($"--{name} wants a number, not '{v}'");
    }
}
