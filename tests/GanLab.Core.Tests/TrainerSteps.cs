using GanLab.Core.Training;

namespace GanLab.Core.Tests;

internal static class TrainerSteps
{
    /// <summary>
    /// Trains <paramref name="steps"/> steps in a plain loop and returns every step's progress. Not
    /// Enumerable.Range(…).Select(_ => TrainStep()).TakeLast(n): LINQ projects only the elements
    /// TakeLast or Last keeps (seen on the .NET 10 runtime the tests run on), so such a chain silently trains n steps (or one) instead of all of them.
    /// </summary>
    public static List<TrainingProgress> Train(this GanTrainer trainer, int steps)
    {
        var history = new List<TrainingProgress>(steps);
        for (var i = 0; i < steps; i++) history.Add(trainer.TrainStep());
        return history;
    }
}
