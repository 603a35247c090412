namespace GanLab.Cli;

/// <summary>
/// How much one `train` session trains: a number of steps, or a wall-clock time. Time budgets are how models are
/// compared fairly for a lesson ("the MLP GAN against the DCGAN after 2, 5 and 10 minutes"): a DCGAN step costs
/// many MLP steps, so equal steps would favour the bigger model.
/// </summary>
internal sealed record TrainingBudget(long? Steps, TimeSpan? Time)
{
    public static TrainingBudget OfSteps(long steps) => new(steps, null);

    public static TrainingBudget OfTime(TimeSpan time) => new(null, time);

    public bool IsSpent(long done, TimeSpan elapsed) => Steps is { } s ? done >= s : elapsed >= Time!.Value;

    /// <summary>The share of the budget used, 0 to 1, for the progress bar and the ETA.</summary>
    public double Fraction(long done, TimeSpan elapsed) =>
        Steps is { } s ? (double)done / Math.Max(s, 1) : elapsed / Time!.Value;

    public string Describe(long done, TimeSpan elapsed) => Steps is { } s
        ? $"{done}/{s}"
        : $"{ProgressReport.Clock(elapsed)}/{ProgressReport.Clock(Time!.Value)}";

    public override string ToString() => Steps is { } s ? $"{s} steps" : $"{Time!.Value.TotalMinutes:0.##} minutes";
}
