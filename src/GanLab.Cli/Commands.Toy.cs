using GanLab.Core.Toys;

namespace GanLab.Cli;

internal static partial class Commands
{
    /// <summary>Trains a toy GAN headless and prints the toy metrics every --every steps and at the end.</summary>
    internal static readonly string[] ToyOptions =
        ["distribution", "loss", "labels", "optimizer", "d-steps", "lr", "beta1", "beta2", "batch", "hidden", "layers", "latent", "seed", "steps", "seconds", "every"];

    private static int Toy(CommandLine o)
    {
        var defaults = new ToyGanOptions();
        var options = new ToyGanOptions
        {
            Distribution = o.Text("distribution", defaults.Distribution),
            Loss = o.Text("loss", defaults.Loss),
            Labels = o.Text("labels", defaults.Labels),
            Optimizer = o.Text("optimizer", defaults.Optimizer),
            DiscriminatorSteps = o.Int("d-steps", defaults.DiscriminatorSteps),
            LearningRate = o.Double("lr", defaults.LearningRate),
            Beta1 = o.Double("beta1", defaults.Beta1),
            Beta2 = o.Double("beta2", defaults.Beta2),
            BatchSize = o.Int("batch", defaults.BatchSize),
            HiddenSize = o.Int("hidden", defaults.HiddenSize),
            HiddenLayers = o.Int("layers", defaults.HiddenLayers),
            LatentSize = o.Int("latent", defaults.LatentSize),
            Seed = o.Int("seed", defaults.Seed),
        };
        var steps = o.Int("steps", 5000);
        var seconds = o.Double("seconds", 0);  // > 0: stop after this much training time instead (equal-time comparisons)
        var every = Math.Max(1, o.Int("every", Math.Max(1, steps / 5)));
        using var trainer = new ToyGanTrainer(options);
        Console.WriteLine($"options: {options}");
        Console.WriteLine($"steps: {(seconds > 0 ? $"as many as fit in {seconds} s of training" : steps.ToString())}");
        // Thread CPU time of the steps beside wall time: on a shared machine wall time also counts other processes'
        // turns. With one libtorch thread and OPENBLAS_NUM_THREADS=1 all of a step's work runs on this thread.
        var cpuMicros = 0.0;
        for (var i = 1; seconds > 0 ? trainer.TrainingTime.TotalSeconds < seconds : i <= steps; i++)
        {
            var before = ThreadCpuMicros();
            var p = trainer.TrainStep();
            cpuMicros += ThreadCpuMicros() - before;
            if (!double.IsFinite(p.LossD) || !double.IsFinite(p.LossG))
                throw new InvalidOperationException($"training diverged at step {p.Step} (Loss_D {p.LossD}, Loss_G {p.LossG})");
            if (i % every == 0) Print(trainer, $"step {p.Step}: Loss_D {p.LossD:F4} Loss_G {p.LossG:F4} D(x) {p.DOfX:F3} D(G(z)) {p.DOfGzBeforeD:F3}");
        }
        Print(trainer, $"final, step {trainer.Step}");
        Console.WriteLine($"time: {trainer.TrainingTime.TotalMilliseconds * 1000 / trainer.Step:F0} µs wall, {cpuMicros / trainer.Step:F0} µs thread CPU per step " +
                          $"(k = {options.DiscriminatorSteps} D updates + 1 G update, batch {options.BatchSize}, {trainer.TrainingTime.TotalSeconds:F1} s in all)");
        return 0;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in µs.</summary>
    private static double ThreadCpuMicros() => ClockGetTime(3, out var t) == 0 ? t.Seconds * 1e6 + t.Nanoseconds / 1e3 : double.NaN;

    private static void Print(ToyGanTrainer trainer, string heading)
    {
        var e = trainer.Evaluate();
        var modes = e.Modes is { } m ? $"modes {m.ModesCovered}/{m.ModeCount}, high quality {m.HighQualityShare:P1}, " : "";
        var d = e.OptimalDiscriminatorGap is { } gap ? $", |D − D*| {gap:F3}" : "";
        var v = e.Value is { } value ? $", V(D, G) {value:F3} ≤ V(D*, G) {e.ValueAtOptimum:F3}" : $", V(D*, G) {e.ValueAtOptimum:F3}";
        Console.WriteLine($"{heading}\n    {modes}KL {e.KullbackLeibler:F3}, JS {e.JensenShannon:F3} (floor {e.JensenShannonFloor:F3} at {e.Samples} samples){d}{v}");
    }
}
