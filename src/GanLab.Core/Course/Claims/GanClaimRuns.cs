using System.Diagnostics;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Image GANs as the lessons measure them: a zoo model's recipe with seed 42 on the CPU (the machine whose speed the
/// lessons quote), trained step by step with a wall clock beside it.
/// </summary>
internal static class GanClaimRuns
{
    public const int Seed = 42;

    /// <summary>The model's recommended settings on the dataset, with the lessons' seed, on the CPU.</summary>
    public static GanTrainingOptions Recipe(string model, string dataset) =>
        GanTrainingOptions.For(model) with { Dataset = dataset, Seed = Seed, Device = "cpu" };

    /// <summary>Trains <paramref name="steps"/> more steps: the wall seconds they took and the last one's progress (null for none).</summary>
    public static (double Seconds, TrainingProgress? Last) Train(GanTrainer trainer, int steps)
    {
        var clock = Stopwatch.StartNew();
        TrainingProgress? last = null;
        for (var i = 0; i < steps; i++) last = trainer.TrainStep();
        return (clock.Elapsed.TotalSeconds, last);
    }
}
