using GanLab.Core.Toys;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 2: on 1-D toys, a D trained against a fixed G approaches D* = p_data / (p_data + p_g) (Proposition 1);
/// both players trained on one Gaussian reach V(D*, G) near −log 4 with D about ½; and k (Algorithm 1's D steps per
/// G step) keeps D nearer D* on two bumps, which is not the same as a better G. All runs use the toys' defaults
/// (G and D 2×32, batch 256, Adam 1e-3, β1 0.5), seed 42, evaluated on 2,500 of G's points.
/// </summary>
public sealed class MinimaxGameClaims : LessonClaims
{
    public override string Lesson => "02-the-minimax-game";
    public override string Describes => "D against D* with G fixed, V(D, G) and JSD on gaussian-1d, k = 1 against k = 5 on two-gaussians-1d";

    public const int Seed = 42;

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        FixedGenerator(record, scale);
        OneGaussian(record, scale);
        TwoBumps(record, scale);
    }

    /// <summary>Proposition 1 live: G untrained and never updated, D alone trained; the gap |D − D*| shrinks.</summary>
    private static void FixedGenerator(ClaimRecorder record, ClaimScale scale)
    {
        var steps = scale.Steps(2000);
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "gaussian-1d", LatentSize = 1, Seed = Seed });
        var start = trainer.Evaluate();
        for (var i = 0; i < steps; i++) trainer.TrainStep(ToyStep.Discriminator);
        var end = trainer.Evaluate();
        var how = $"gaussian-1d, seed {Seed}, G untrained and fixed, {steps} D-only updates (batch 256, Adam 1e-3); Σ ½(p_data + p_g)|D − D*| on the grid, p_g from 2,500 of G's points";
        record.Record("fixed-g-steps", steps, "N0", "D-only updates against the untrained, fixed G");
        record.Record("fixed-g-gap-start", start.OptimalDiscriminatorGap!.Value, "F3", $"{how}: before any D update");
        record.Record("fixed-g-gap-end", end.OptimalDiscriminatorGap!.Value, "F3", $"{how}: after the updates");
        record.Record("fixed-g-value", end.Value!.Value, "F3", $"{how}: V(D, G) = Σ p_data log D + p_g log(1 − D) with the trained D");
        record.Record("fixed-g-value-optimum", end.ValueAtOptimum, "F3", $"{how}: V(D*, G) = −log 4 + 2·JSD");
    }

    /// <summary>Both players on one Gaussian: V(D*, G) close to −log 4, JSD close to its sampling floor, D about ½.</summary>
    private static void OneGaussian(ClaimRecorder record, ClaimScale scale)
    {
        var steps = scale.Steps(3000);
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "gaussian-1d", LatentSize = 1, Seed = Seed });
        for (var i = 0; i < steps; i++) trainer.TrainStep();
        var e = trainer.Evaluate();
        var how = $"gaussian-1d, seed {Seed}, non-saturating, k = 1, z of 1, after {steps} steps, on 2,500 of G's points";
        record.Record("gaussian-steps", steps, "N0", "steps (one D and one G update each) of the one-Gaussian run");
        record.Record("gaussian-value", e.Value!.Value, "F4", $"{how}: V(D, G) with the trained D");
        record.Record("gaussian-value-optimum", e.ValueAtOptimum, "F4", $"{how}: V(D*, G) = −log 4 + 2·JSD");
        record.Record("gaussian-js", e.JensenShannon, "F4", $"{how}: JSD(p_data ‖ p_g) in nats on the grid");
        record.Record("gaussian-js-floor", e.JensenShannonFloor, "F4", "JSD of 2,500 real samples against p_data on the same grid: the floor at this sample size");
        record.Record("gaussian-d-mean", MeanD(e), "F3", $"{how}: Σ ½(p_data + p_g)·D, the average of D where the points are");
        record.Record("gaussian-gap", e.OptimalDiscriminatorGap!.Value, "F3", $"{how}: Σ ½(p_data + p_g)|D − D*|");
    }

    /// <summary>Two bumps with a 1-D z: k = 1 against k = 5, the same seed and number of G updates.</summary>
    private static void TwoBumps(ClaimRecorder record, ClaimScale scale)
    {
        var steps = scale.Steps(4000);
        record.Record("two-bumps-steps", steps, "N0", "G updates of each two-gaussians-1d run (k D updates before each)");
        foreach (var k in new[] { 1, 5 })
        {
            using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "two-gaussians-1d", LatentSize = 1, Seed = Seed, DiscriminatorSteps = k });
            for (var i = 0; i < steps; i++) trainer.TrainStep();
            var e = trainer.Evaluate();
            var how = $"two-gaussians-1d (±2, σ 0.4), seed {Seed}, non-saturating, k = {k}, z of 1, after {steps} G updates, on 2,500 of G's points";
            record.Record($"two-bumps-k{k}-gap", e.OptimalDiscriminatorGap!.Value, "F3", $"{how}: Σ ½(p_data + p_g)|D − D*|");
            record.Record($"two-bumps-k{k}-js", e.JensenShannon, "F3", $"{how}: JSD(p_data ‖ p_g) in nats");
            record.Record($"two-bumps-k{k}-left", LeftShare(e), "P0", $"{how}: share of G's points below 0 (the data has half)");
            record.Record($"two-bumps-k{k}-value", e.Value!.Value, "F3", $"{how}: V(D, G) with the trained D");
            record.Record($"two-bumps-k{k}-value-optimum", e.ValueAtOptimum, "F3", $"{how}: V(D*, G) = −log 4 + 2·JSD");
        }
    }

    private static double MeanD(ToyEvaluation e)
    {
        var mean = 0.0;
        for (var i = 0; i < e.DataMass.Count; i++) mean += (e.DataMass[i] + e.ModelMass[i]) / 2 * e.Discriminator![i];
        return mean;
    }

    private static double LeftShare(ToyEvaluation e)
    {
        var left = 0.0;
        for (var i = 0; i < e.ModelMass.Count; i++)
            if (e.Grid.Centres[i] < 0) left += e.ModelMass[i];
        return left;
    }
}
