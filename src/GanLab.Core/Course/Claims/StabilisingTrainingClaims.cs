using GanLab.Core.Toys;
using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 10: what the stabilising changes do. Modes of the ring of 8 covered with each loss (WGAN-GP needs several
/// critic steps and Adam's β2 0.9, as its paper trains it); two of them on the grid of 25; JS between two shifted
/// Gaussians saturating at log 2 while the Wasserstein distance keeps growing (seed 004's argument, measured); spectral
/// normalization's power iteration bringing a layer's largest singular value to 1.
/// </summary>
public sealed class StabilisingTrainingClaims : LessonClaims
{
    public override string Lesson => "10-stabilising-training";
    public override string Describes => "modes covered by loss on ring-8 and grid-25, JS and KL of shifted Gaussians, spectral normalization's σ";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var steps = scale.Steps(5000);
        var samples = scale.Samples(ModeCoverage.PublishedSampleCount);
        // Three seeds even in smoke mode, where each run is a few steps: the lesson's table names seed 3.
        const int seeds = 3;
        record.Record("steps", steps, "N0", "G steps of every toy run of this lesson (a critic with k = 5 takes five D steps before each)");
        record.Record("samples", samples, "N0", "G's points counted per evaluation (the published sample size)");

        // 1. Modes of the ring covered, by loss. Seeds 1..3 where the result depends on the seed.
        var ring = new ToyGanOptions { Distribution = "ring-8" };
        var settings = new (string Name, ToyGanOptions Options, int Seeds)[]
        {
            ("non-saturating", ring, 1),
            ("minimax", ring with { Loss = "minimax" }, 1),
            ("least-squares", ring with { Loss = "least-squares" }, 1),
            ("hinge", ring with { Loss = "hinge" }, 1),
            ("wasserstein", ring with { Loss = "wasserstein", Optimizer = "rmsprop", LearningRate = 5e-5, DiscriminatorSteps = 5 }, 1),
            ("wgan-gp-k1", ring with { Loss = "wgan-gp" }, seeds),
            ("wgan-gp-k5", ring with { Loss = "wgan-gp", DiscriminatorSteps = 5 }, 1),
            ("wgan-gp-k5-beta2", ring with { Loss = "wgan-gp", DiscriminatorSteps = 5, Beta2 = 0.9 }, seeds),
        };
        foreach (var (name, options, count) in settings)
        {
            var runs = Enumerable.Range(1, count).Select(seed => ToyClaimRuns.Run(options with { Seed = seed }, steps, samples)).ToList();
            var how = $"{ToyClaimRuns.Describe(options)}, {steps} steps, {samples} points";
            for (var i = 0; i < runs.Count; i++)
                record.Record($"ring-{name}-seed-{i + 1}", runs[i].Modes.ModesCovered, "N0", $"modes of 8 covered, seed {i + 1}: {how}");
            record.Record($"ring-{name}-hq", runs[0].Modes.HighQualityShare, "P0", $"share of points within 3σ of a mode, seed 1: {how}");
            record.Record($"ring-{name}-lipschitz", runs[0].LipschitzBound, "G3",
                $"product of the largest singular values of D's three weight matrices after training, seed 1: {how}");
        }

        using (var untrained = new ToyGanTrainer(ring with { Seed = 1 }))
            record.Record("ring-untrained-lipschitz", ToyClaimRuns.LipschitzBound(untrained.Discriminator), "G3",
                "product of the largest singular values of D's three weight matrices before training, seed 1");

        // 2. The grid of 25 with the best of those against the default.
        var grid = new ToyGanOptions { Distribution = "grid-25", Seed = 1 };
        foreach (var (name, options) in new[]
                 {
                     ("non-saturating", grid),
                     ("least-squares", grid with { Loss = "least-squares" }),
                     ("wgan-gp-k5-beta2", grid with { Loss = "wgan-gp", DiscriminatorSteps = 5, Beta2 = 0.9 }),
                 })
        {
            var run = ToyClaimRuns.Run(options, steps, samples);
            var how = $"{ToyClaimRuns.Describe(options)}, seed 1, {steps} steps, {samples} points";
            record.Record($"grid-{name}-modes", run.Modes.ModesCovered, "N0", $"modes of 25 covered: {how}");
            record.Record($"grid-{name}-hq", run.Modes.HighQualityShare, "P1", $"share of points within 3σ of a mode: {how}");
        }

        // 3. JS saturates, KL explodes, W1 keeps growing: two Gaussians of σ 0.25 shifted by d, on a fine grid.
        foreach (var (name, shift) in new[] { ("0-5", 0.5), ("1", 1.0), ("2", 2.0), ("4", 4.0) })
        {
            var (p, q) = ShiftedGaussians(shift);
            record.Record($"js-shift-{name}", Divergences.JensenShannon(p, q), "F3",
                $"JS(p ‖ q) in nats, p = N(0, 0.25²), q = N({shift}, 0.25²), on 4,000 bins of [−2, 6]");
            record.Record($"kl-shift-{name}", Divergences.KullbackLeibler(p, q), "F1", "KL(p ‖ q) in nats on the same bins");
        }
        {
            var (p2, q2) = ShiftedGaussians(2.0);
            var (p2b, q2b) = ShiftedGaussians(2.1);
            var (p0, q0) = ShiftedGaussians(0.5);
            var (p0b, q0b) = ShiftedGaussians(0.6);
            record.Record("js-slope-0-5", (Divergences.JensenShannon(p0b, q0b) - Divergences.JensenShannon(p0, q0)) / 0.1, "F3",
                "change of JS per unit of shift between d = 0.5 and 0.6 (W1 changes by 1 per unit everywhere)");
            record.Record("js-slope-2", (Divergences.JensenShannon(p2b, q2b) - Divergences.JensenShannon(p2, q2)) / 0.1, "F5",
                "change of JS per unit of shift between d = 2 and 2.1");
        }

        // 4. Spectral normalization: seed 004's SN-CGAN's first D layer (794 → 512 on MNIST), σ before and after.
        using (NewDisposeScope())
        using (var init = new Generator(1))
        {
            var layer = new Linear(28 * 28 + 10, 512, generator: init);
            record.Record("sn-sigma-raw", ToyClaimRuns.LargestSingularValue(layer.weight), "F2",
                "largest singular value of a freshly initialised Linear(794, 512) (seed 004's cgan D, first layer), 200 power iterations");
            var normalised = new SpectralNorm(layer, generator: init);
            normalised.train();
            var x = randn([64, 28 * 28 + 10], generator: init);
            // One power iteration per training forward pass, as in training; smoke mode shortens 1, 5, 20 to 1, 2, 3.
            var checks = scale.Full ? new[] { 1, 5, 20 } : new[] { 1, 2, 3 };
            var names = new[] { "1", "5", "20" };
            for (var step = 1; step <= checks[^1]; step++)
            {
                using (no_grad()) normalised.forward(x);
                var index = Array.IndexOf(checks, step);
                if (index >= 0)
                    record.Record($"sn-sigma-after-{names[index]}", ToyClaimRuns.LargestSingularValue(normalised.normalized_weight()), "F3",
                        $"largest singular value of weight/σ̂ after {step} training forward passes (one power iteration each)");
            }
        }
    }

    /// <summary>Bin masses of N(0, 0.25²) and N(shift, 0.25²) on 4,000 bins of [−2, 6].</summary>
    private static (double[] P, double[] Q) ShiftedGaussians(double shift)
    {
        const int bins = 4000;
        const double low = -2, high = 6, sigma = 0.25;
        var width = (high - low) / bins;
        double[] Mass(double mean)
        {
            var m = Enumerable.Range(0, bins).Select(i => Math.Exp(-Math.Pow((low + (i + 0.5) * width - mean) / sigma, 2) / 2)).ToArray();
            var total = m.Sum();
            return m.Select(v => v / total).ToArray();
        }
        return (Mass(0), Mass(shift));
    }
}
