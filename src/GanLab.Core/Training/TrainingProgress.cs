namespace GanLab.Core.Training;

/// <summary>
/// What one training step measured: exactly the numbers the lesson charts show
/// (Loss_D, Loss_G, D(x), and D(G(z)) before and after the D update, as in the PyTorch DCGAN example).
/// </summary>
public sealed record TrainingProgress(
    long Step,
    int Epoch,
    double LossD,
    double LossG,
    double DOfX,
    double DOfGzBeforeD,
    double DOfGzAfterD,
    double ImagesPerSecond,
    TimeSpan Elapsed);

/// <summary>An 8×8 grid of samples generated from the run's fixed noise at a given step, as a PNG.</summary>
public sealed record SampleGridSnapshot(long Step, byte[] Png)
{
    public string ToDataUrl() => "data:image/png;base64," + Convert.ToBase64String(Png);
}

/// <summary>Where a run is in its life.</summary>
public enum TrainingState
{
    /// <summary>Created, never trained.</summary>
    Idle,
    Running,
    /// <summary>Stopped by the user or by reaching MaxSteps; Start resumes from the same weights.</summary>
    Stopped,
    /// <summary>Ended by an error (for example a diverging loss); FaultMessage says why.</summary>
    Faulted,
}
