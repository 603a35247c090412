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
    TimeSpan Elapsed)
{
    /// <summary>
    /// True when D(x) and D(G(z)) are probabilities (the mean sigmoid of D's logits: non-saturating and minimax losses).
    /// False for least-squares, hinge, wasserstein and wgan-gp, whose D has no probability: they are then the raw
    /// means of D's output, on a scale of the loss's own, and a chart must not draw them on a 0–1 axis.
    /// </summary>
    public bool DOutputIsProbability { get; init; } = true;

    /// <summary>The part of Loss_D from real images (for critics: −mean D(x)).</summary>
    public double LossDReal { get; init; }

    /// <summary>The part of Loss_D from G's images (for critics: mean D(G(z))); without WGAN-GP's penalty, which is in LossD only.</summary>
    public double LossDFake { get; init; }

    /// <summary>Share of real images D calls real (D(x) > 0.5, raw output above the loss's threshold), before the D update, as seeds 000 and 001 report.</summary>
    public double DAccuracyReal { get; init; }

    /// <summary>Share of G's images D calls fake (D(G(z)) < 0.5, raw output below the loss's threshold), before the D update.</summary>
    public double DAccuracyFake { get; init; }

    /// <summary>Total L2 norm of all G's parameter gradients in the G step, measured after backward.</summary>
    public double GradientNormG { get; init; }

    /// <summary>Total L2 norm of all D's parameter gradients in the last D step, measured after backward (before any weight clipping).</summary>
    public double GradientNormD { get; init; }

    /// <summary>mean D(x) − mean D(G(z)) on raw outputs: the critic's estimate of the Wasserstein distance (meaningful for wasserstein and wgan-gp).</summary>
    public double WassersteinEstimate { get; init; }

    /// <summary>A loss is NaN or infinite: the run has diverged, and training on cannot bring it back.</summary>
    public bool Diverged => !double.IsFinite(LossD) || !double.IsFinite(LossG);

    /// <summary>What the web app and the command line tell a student when <see cref="Diverged"/>: the step, the losses and the usual cause.</summary>
    public string DivergenceMessage(GanTrainingOptions options) =>
        $"training diverged at step {Step}: Loss_D = {LossD}, Loss_G = {LossG}. " +
        $"A learning rate too high for these networks is the usual cause (this run used {options.LearningRate}); try a smaller one";
}

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
