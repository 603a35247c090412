using System.Globalization;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;

namespace GanLab.Web.Components.Lessons.Toys;

/// <summary>
/// The settings every toy component shares: the data and the game of a small MLP GAN (<see cref="ToyGanOptions"/>).
/// Each component's own settings class derives from this one and sets its own defaults in its constructor (the
/// binder creates a fresh instance for defaults), and narrows what it accepts in <see cref="Validate"/>.
/// Messages start with the words of their key, so a lesson's error box points at the line.
/// </summary>
public abstract class ToyRunSettings
{
    /// <summary>The data G must learn: ring-8 and grid-25 (Gaussian mixtures whose modes are counted), swiss-roll, two-moons; gaussian-1d and two-gaussians-1d on a line.</summary>
    public string Distribution { get; set; } = "ring-8";

    /// <summary>Seeds the weights, the noise and the real points: two runs with one seed train alike.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>The GAN loss: non-saturating (G maximises log D(G(z))), minimax (G minimises log(1 − D(G(z)))), least-squares, hinge, wasserstein, wgan-gp.</summary>
    public string Loss { get; set; } = "non-saturating";

    /// <summary>Label mode: normal, noisy (random soft labels), flip (a share of D's labels swapped), swapped (real and fake exchanged for both players), swapped-d-only.</summary>
    public string Labels { get; set; } = "normal";

    /// <summary>Adam's (or SGD's) step size for both networks.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Adam's β2, the decay of its running mean of squared gradients, in [0, 1): 0.999 as usual; WGAN-GP's paper uses 0.9. Only Adam reads it.</summary>
    public double Beta2 { get; set; } = 0.999;

    /// <summary>k of Algorithm 1: D steps per G step when training plays (the "both" step).</summary>
    public int DiscriminatorSteps { get; set; } = 1;

    /// <summary>Real and fake points per step.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>Size of z: 1 or 2 lets the view draw the warped manifold (G applied to a grid of z).</summary>
    public int LatentSize { get; set; } = 2;

    /// <summary>Width of every hidden layer of G and D (G is z → width → width → point with two hidden layers).</summary>
    public int HiddenSize { get; set; } = 32;

    /// <summary>Hidden layers in each network.</summary>
    public int HiddenLayers { get; set; } = 2;

    /// <summary>adam, sgd (with momentum 0.9) or rmsprop.</summary>
    public string Optimizer { get; set; } = "adam";

    /// <summary>D's target for real points; below 1 is one-sided label smoothing (then the best D is that times D*).</summary>
    public double RealLabel { get; set; } = 1;

    /// <summary>The toy run these settings describe.</summary>
    public ToyGanOptions ToOptions() => new()
    {
        Distribution = Distribution,
        Seed = Seed,
        Loss = Loss,
        Labels = Labels,
        LearningRate = LearningRate,
        Beta2 = Beta2,
        DiscriminatorSteps = DiscriminatorSteps,
        BatchSize = BatchSize,
        LatentSize = LatentSize,
        HiddenSize = HiddenSize,
        HiddenLayers = HiddenLayers,
        Optimizer = Optimizer,
        RealLabel = RealLabel,
    };

    /// <summary>The distributions this component can show.</summary>
    public abstract IReadOnlyList<string> Distributions { get; }

    /// <summary>The losses this component can show.</summary>
    public virtual IReadOnlyList<string> Losses => GanLosses.Names;

    /// <summary>The component's name, for messages.</summary>
    protected abstract string ComponentName { get; }

    /// <summary>The component's name (toy-2d, ...), as the runs lists name a toy run.</summary>
    public string Component => ComponentName;

    /// <summary>Why the component cannot show some of the values it can train (e.g. a 1-D distribution in a 2-D view).</summary>
    protected abstract string DistributionReason { get; }

    protected abstract string LossReason { get; }

    /// <summary>What is wrong with these settings, each problem naming the setting and what is allowed.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = ToOptions().Validate().ToList();
        // The shared checks list every distribution and loss; this component accepts fewer, so it names its own.
        problems.RemoveAll(problem => problem.Contains("' is unknown; allowed: ", StringComparison.Ordinal)
            && (problem.StartsWith("distribution '", StringComparison.Ordinal) || problem.StartsWith("loss '", StringComparison.Ordinal)));
        if (!Distributions.Contains(Distribution))
            problems.Add(ToyDistributions.Names.Contains(Distribution)
                ? $"distribution '{Distribution}' cannot be shown by {ComponentName}: {DistributionReason}; allowed: {string.Join(", ", Distributions)}"
                : $"distribution '{Distribution}' is unknown; allowed: {string.Join(", ", Distributions)}");
        if (!Losses.Contains(Loss))
            problems.Add(GanLosses.Names.Contains(Loss)
                ? $"loss '{Loss}' cannot be shown by {ComponentName}: {LossReason}; allowed: {string.Join(", ", Losses)}"
                : $"loss '{Loss}' is unknown; allowed: {string.Join(", ", Losses)}");
        return problems;
    }

    /// <summary>A short line naming the run's settings, shown beside the buttons.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture,
        $"{Distribution} · {Loss} · {Labels} labels · lr {LearningRate:G3}{Beta2Note} · k {DiscriminatorSteps} · batch {BatchSize} · z {LatentSize} · hidden {HiddenLayers}×{HiddenSize} · seed {Seed}");

    // Named only when a lesson changed it and Adam reads it: the usual value is noise on a crowded line.
    private string Beta2Note => Beta2 != new ToyGanOptions().Beta2 && Optimizer == "adam"
        ? string.Create(CultureInfo.InvariantCulture, $" · β2 {Beta2:G3}")
        : "";

    /// <summary>Allowed values for the reference page, from the same lists validation checks against.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedValues() => new Dictionary<string, IReadOnlyList<string>>
    {
        ["distribution"] = Distributions,
        ["loss"] = Losses,
        ["labels"] = GanTrainingOptions.LabelModes,
        ["optimizer"] = GanTrainingOptions.OptimizerNames,
        // The bound GanTrainingOptions.Validate checks: β2 = 1 would never forget a gradient.
        ["beta2"] = ["at least 0, below 1"],
    };
}
