using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Toys;

/// <summary>What one press of the step button trains (GAN Lab's slow-motion mode).</summary>
public enum ToyStep
{
    /// <summary>One D update; G is left exactly as it was.</summary>
    Discriminator,

    /// <summary>One G update; D is left exactly as it was.</summary>
    Generator,

    /// <summary>Algorithm 1: k D updates, then one G update.</summary>
    Both,
}

/// <summary>
/// Trains a small MLP GAN on a 1-D or 2-D <see cref="ToyDistribution"/>, one step at a time, with the image trainer's
/// step (k D steps on fresh real points and fresh z, then a G step through the updated D), losses, label modes and
/// optimizers, and shows what GAN Lab shows: D's decision heatmap, G's points for a fixed noise batch, the
/// direction G's loss pushes each of them, and the warped manifold. Real points are drawn fresh every step
/// (there is no dataset, hence no epochs). Runs on the CPU: at this size libtorch's per-call overhead, not
/// arithmetic, sets the pace, and a GPU would only add launch latency.
/// Owns every tensor it makes. Not thread-safe: one thread drives a trainer (libtorch's grad mode is per thread).
/// </summary>
public sealed class ToyGanTrainer : IDisposable
{
    /// <summary>Lines per axis of the warped manifold's z grid.</summary>
    public const int ManifoldSide = 21;

    private readonly Torch.Generator random;        // noise and label draws of training
    private readonly Random realRandom;             // real points of training
    private readonly ToyGanNetworks.Generator generator;
    private readonly ToyGanNetworks.Discriminator discriminator;
    private readonly optim.Optimizer generatorOptimizer;
    private readonly optim.Optimizer discriminatorOptimizer;
    private readonly IGanLoss loss;
    private readonly GanLabels labels;              // D's and G's targets, by label mode, for a training batch
    private readonly GanLabels viewLabels;          // G's targets for the fixed noise batch (the gradient arrows)
    private readonly Tensor fixedNoise;             // one batch of z for every frame, so frames compare
    private readonly Tensor gridCentres;            // the grid's bin centres, where D is drawn and compared with D*
    private readonly Tensor? manifoldNoise;         // a regular grid in z space (latent size 1 or 2)
    private readonly float[] fixedReal;
    private readonly ToyEvaluator evaluator;
    private readonly System.Diagnostics.Stopwatch clock = new();

    /// <param name="distribution">the data; null takes <see cref="ToyGanOptions.Distribution"/> from the catalogue (pass a <see cref="PointSet"/> for drawn points)</param>
    public ToyGanTrainer(ToyGanOptions options, ToyDistribution? distribution = null)
    {
        var problems = options.Validate(distributionGiven: distribution is not null);
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        Options = options;
        Distribution = distribution ?? ToyDistributions.Create(options.Distribution);
        TrainingDevice.ConfigureThreads();
        var seed = (ulong)options.Seed;
        var d = Distribution.Dimensions;

        // Separate streams from one seed: weights, training draws, and what the view and evaluation draw. The
        // view's streams are apart so that looking at a run (or changing FixedNoiseSize) never changes its training.
        using (var init = new Torch.Generator(seed))
        {
            generator = new ToyGanNetworks.Generator(options.LatentSize, d, options.HiddenSize, options.HiddenLayers, options.LeakySlope, init);
            discriminator = new ToyGanNetworks.Discriminator(d, options.HiddenSize, options.HiddenLayers, options.LeakySlope, init);
        }
        random = new Torch.Generator(seed);
        realRandom = new Random(options.Seed);
        generatorOptimizer = GanStep.MakeOptimizer(generator.parameters(), options.Optimizer, options.LearningRate, options.Beta1, options.Beta2, options.Momentum);
        discriminatorOptimizer = GanStep.MakeOptimizer(discriminator.parameters(), options.Optimizer, options.LearningRate, options.Beta1, options.Beta2, options.Momentum);
        loss = GanLosses.Create(options.Loss);
        var game = options.ToGameOptions();
        labels = new GanLabels(game, Device.CPU, random);
        viewLabels = new GanLabels(game with { BatchSize = options.FixedNoiseSize }, Device.CPU, random);
        Targets = OptimalDiscriminator.Targets(game);

        evaluator = new ToyEvaluator(Distribution);
        using (var viewStream = new Torch.Generator(ViewSeed))
        using (NewDisposeScope())
        {
            fixedNoise = SampleLatent(options.FixedNoiseSize, viewStream).DetachFromDisposeScope();
            gridCentres = tensor(Grid.Centres.Select(c => (float)c).ToArray(), [Grid.BinCount, d]).DetachFromDisposeScope();
            manifoldNoise = ManifoldGrid()?.DetachFromDisposeScope();
        }
        fixedReal = Distribution.Sample(options.FixedNoiseSize, new Random((int)(ViewSeed & int.MaxValue)));
    }

    public ToyGanOptions Options { get; }
    public ToyDistribution Distribution { get; }
    public ToyGrid Grid => evaluator.Grid;
    public Module<Tensor, Tensor> Generator => generator;
    public Module<Tensor, Tensor> Discriminator => discriminator;

    /// <summary>Calls of <see cref="TrainStep"/> so far, whatever they trained.</summary>
    public long Step { get; private set; }

    public long DiscriminatorUpdates { get; private set; }
    public long GeneratorUpdates { get; private set; }

    /// <summary>The average targets D is trained towards (what its optimal D depends on); null for hinge and the critics.</summary>
    public (double Real, double Fake)? Targets { get; }

    /// <summary>True when D's raw output is a logit, so the heatmap shows sigmoid(output) = P(real).</summary>
    public bool OutputIsProbability => loss.OutputIsLogit;

    private ulong ViewSeed => (ulong)Options.Seed ^ 0x5DEECE66DUL;

    /// <summary>
    /// One step of the given kind; returns what it measured. Both: k D updates (each on fresh real points and
    /// fresh z), then a G update on the last D step's fakes, exactly as the image trainer. Discriminator: one D
    /// update; Loss_G and D(G(z)) after are then measured on its fakes without touching G. Generator: one G
    /// update on fresh z; Loss_D, D(x) and D(G(z)) are measured on fresh real points and those fakes without
    /// touching D (Loss_D then without WGAN-GP's penalty). The gradient norm of a network not updated is NaN.
    /// </summary>
    public TrainingProgress TrainStep(ToyStep kind = ToyStep.Both)
    {
        clock.Start();
        using var scope = NewDisposeScope();
        Tensor fake = null!, realOutput = null!, fakeOutput = null!, lossDReal = null!, lossDFake = null!, lossD = null!;
        Tensor gradNormD = full([], double.NaN), gradNormG = full([], double.NaN);

        // (1) D step, k times (once for a D-only step): minimise the loss's D objective (BCE: maximise log D(x) + log(1 − D(G(z)))).
        //     G's output is detached: this step must not move G.
        var discriminatorSteps = kind switch { ToyStep.Both => Options.DiscriminatorSteps, ToyStep.Discriminator => 1, _ => 0 };
        for (var k = 0; k < discriminatorSteps; k++)
        {
            var real = RealBatch();
            fake = generator.forward(SampleLatent(Options.BatchSize, random));
            var targets = labels.ForDiscriminator();
            discriminatorOptimizer.zero_grad();
            realOutput = discriminator.forward(real);
            fakeOutput = discriminator.forward(fake.detach());
            var parts = loss.Discriminator(realOutput, fakeOutput, targets);
            (lossDReal, lossDFake, lossD) = (parts.Real, parts.Fake, parts.Total);
            if (loss.GradientPenaltyWeight > 0)
                lossD = lossD + loss.GradientPenaltyWeight * WassersteinGradientPenaltyLoss.Penalty(
                    discriminator, real, fake.detach(), rand([Options.BatchSize, 1], generator: random));
            lossD.backward();
            gradNormD = GanStep.GradientNorm(discriminator);
            discriminatorOptimizer.step();
            if (loss.WeightClip is { } c) GanStep.ClipWeights(discriminator, c);
            DiscriminatorUpdates++;
        }

        if (kind == ToyStep.Generator)
        {
            // D is not trained in a G-only step: measure where it stands, on fresh real points and the fakes G is about to move.
            fake = generator.forward(SampleLatent(Options.BatchSize, random));
            using var _ = no_grad();
            realOutput = discriminator.forward(RealBatch());
            fakeOutput = discriminator.forward(fake.detach());
            var parts = loss.Discriminator(realOutput, fakeOutput, labels.ForDiscriminator());
            (lossDReal, lossDFake, lossD) = (parts.Real, parts.Fake, parts.Total);
        }

        // (2) G step: minimise the loss's G objective (non-saturating: maximise log D(G(z))) through the updated D; G's output attached.
        Tensor fakeOutputAfter, lossG;
        if (kind == ToyStep.Discriminator)
        {
            // G is not trained in a D-only step: measure what its loss has become after D's update.
            using var _ = no_grad();
            fakeOutputAfter = discriminator.forward(fake.detach());
            lossG = loss.Generator(fakeOutputAfter, labels.ForGenerator());
        }
        else
        {
            generatorOptimizer.zero_grad();
            fakeOutputAfter = discriminator.forward(fake);
            lossG = loss.Generator(fakeOutputAfter, labels.ForGenerator());
            lossG.backward();
            gradNormG = GanStep.GradientNorm(generator);
            generatorOptimizer.step();
            GeneratorUpdates++;
        }

        var numbers = GanStep.ReadBack(loss, lossD, lossDReal, lossDFake, lossG, realOutput, fakeOutput, fakeOutputAfter, gradNormG, gradNormD);
        Step++;
        clock.Stop();
        return GanStep.ToProgress(numbers, loss, Step, epoch: 0, Options.BatchSize, clock.Elapsed);
    }

    /// <summary>Time spent inside TrainStep so far (libtorch work and the C# around it, not the view).</summary>
    public TimeSpan TrainingTime => clock.Elapsed;

    // ---- what the live view draws ----

    /// <summary>The fixed real points the view draws (the same every frame), point after point.</summary>
    public IReadOnlyList<float> FixedReal => fixedReal;

    /// <summary>G's points for the fixed noise batch, point after point (FixedNoiseSize × dimensions values).</summary>
    public float[] SampleFixedNoise()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return generator.forward(fixedNoise).ToFloatArray();
    }

    /// <summary>
    /// For each fixed-noise point x = G(z), the direction G's loss pushes it: −∂L_G/∂x, times the batch size so each
    /// arrow is the point's own push and does not shrink as the batch grows (L_G is a mean). Same layout as the points.
    /// D's and G's parameter gradients are left untouched.
    /// </summary>
    public float[] GeneratorGradients()
    {
        using var scope = NewDisposeScope();
        Tensor points;
        using (no_grad()) points = generator.forward(fixedNoise);
        points.requires_grad_();
        var lossG = loss.Generator(discriminator.forward(points), viewLabels.ForGenerator());
        var gradient = autograd.grad([lossG], [points])[0];
        return (gradient * -(double)Options.FixedNoiseSize).ToFloatArray();
    }

    /// <summary>D's output at every bin centre of <see cref="Grid"/>: the decision heatmap (a probability for the BCE losses).</summary>
    public ToyHeatmap DecisionMap() => new(Grid, DiscriminatorOnGrid().Select(v => (float)v).ToArray(), loss.OutputIsLogit);

    /// <summary>
    /// G applied to a regular grid in z space: ManifoldSide × ManifoldSide points for a 2-D z (row after row, so lines
    /// of constant z₁ and z₂ can be drawn), ManifoldSide for a 1-D z; z spans ±3 for Gaussian noise (99.7 % of it),
    /// ±1 for uniform. Null for a larger z, which has no picture.
    /// </summary>
    public float[]? WarpedManifold()
    {
        if (manifoldNoise is null) return null;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return generator.forward(manifoldNoise).ToFloatArray();
    }

    /// <summary>Everything the toy view draws, in one call.</summary>
    public ToyView View() => new(Step, Distribution.Dimensions, fixedReal, SampleFixedNoise(), GeneratorGradients(), DecisionMap(), WarpedManifold());

    /// <summary>
    /// Measures G against the data on fresh points of a fixed evaluation noise (the same z at every call, so values
    /// over training compare), and D against the optimal D for that G. 2,500 points, the published sample size.
    /// </summary>
    public ToyEvaluation Evaluate(int samples = ModeCoverage.PublishedSampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        float[] generated;
        using (var evaluationStream = new Torch.Generator(ViewSeed + 1))
        using (NewDisposeScope())
        using (no_grad())
            generated = generator.forward(SampleLatent(samples, evaluationStream)).ToFloatArray();
        return evaluator.Evaluate(generated, Targets is null ? null : DiscriminatorOnGrid(), Targets, loss.OutputIsLogit);
    }

    /// <summary>D at the grid's bin centres: sigmoid of the logit for the BCE losses, the raw output otherwise.</summary>
    private double[] DiscriminatorOnGrid()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var output = discriminator.forward(gridCentres);
        return (loss.OutputIsLogit ? output.sigmoid() : output).ToDoubleArray();
    }

    // ---- helpers ----

    private Tensor RealBatch() =>
        tensor(Distribution.Sample(Options.BatchSize, realRandom), [Options.BatchSize, Distribution.Dimensions]);

    private Tensor SampleLatent(long count, Torch.Generator stream) => Options.LatentDistribution == "uniform"
        ? rand([count, Options.LatentSize], generator: stream) * 2.0 - 1.0
        : randn([count, Options.LatentSize], generator: stream);

    private Tensor? ManifoldGrid()
    {
        if (Options.LatentSize > 2) return null;
        var reach = Options.LatentDistribution == "uniform" ? 1.0 : 3.0;
        var line = Enumerable.Range(0, ManifoldSide).Select(i => (float)(-reach + 2 * reach * i / (ManifoldSide - 1))).ToArray();
        if (Options.LatentSize == 1) return tensor(line, [ManifoldSide, 1]);
        var z = new float[ManifoldSide * ManifoldSide * 2];
        for (var row = 0; row < ManifoldSide; row++)
        for (var column = 0; column < ManifoldSide; column++)
            (z[2 * (row * ManifoldSide + column)], z[2 * (row * ManifoldSide + column) + 1]) = (line[column], line[row]);
        return tensor(z, [ManifoldSide * ManifoldSide, 2]);
    }

    public void Dispose()
    {
        generatorOptimizer.Dispose();
        discriminatorOptimizer.Dispose();
        generator.Dispose();
        discriminator.Dispose();
        labels.Dispose();
        viewLabels.Dispose();
        fixedNoise.Dispose();
        gridCentres.Dispose();
        manifoldNoise?.Dispose();
        random.Dispose();
    }
}

/// <summary>D's output on every bin centre of a grid (row after row in 2-D): a probability when <see cref="IsProbability"/>, else raw.</summary>
public sealed record ToyHeatmap(ToyGrid Grid, float[] Values, bool IsProbability);

/// <summary>
/// One frame of the toy view. Points are laid out point after point (x0, y0, x1, …; one value each in 1-D);
/// Gradients[i] is the push on Fake[i]; Manifold is G on the z grid (null for z of more than 2 dimensions).
/// </summary>
public sealed record ToyView(long Step, int Dimensions, IReadOnlyList<float> Real, float[] Fake, float[] Gradients, ToyHeatmap Decision, float[]? Manifold);
