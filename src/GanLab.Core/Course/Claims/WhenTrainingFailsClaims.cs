using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 8: how a GAN fails, on the toys where failure can be counted. The ring of 8 with the lesson's small MLPs
/// (G z(2) → 32 → 32 → 2, D 2 → 32 → 32 → 1, batch 256) does not collapse with the defaults, unlike VEEGAN's published
/// "GAN: 1 mode" (another setup); a learning rate of 0.03 (seed 003's failed one) collapses it and makes it hop between
/// modes; a saturating loss with five D steps lets D overpower G; the grid of 25 defeats the defaults, and three
/// tricks are each tried on it.
/// </summary>
public sealed class WhenTrainingFailsClaims : LessonClaims
{
    public override string Lesson => "08-when-training-fails";
    public override string Describes => "modes covered on ring-8 and grid-25 by toy GANs that work and that fail, D overpowering G; seed 003's learning rate on MNIST with the class histogram";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var steps = scale.Steps(5000);
        var samples = scale.Samples(ModeCoverage.PublishedSampleCount);
        var seeds = scale.Seeds(3);
        var every = Math.Max(1, steps / 20);
        var ring = new ToyGanOptions { Distribution = "ring-8" };
        record.Record("steps", steps, "N0", "G steps (each after one D step, k = 1) of every toy run of this lesson unless it says otherwise");
        record.Record("samples", samples, "N0", "G's points counted per evaluation (the published sample size)");
        record.Record("seeds", seeds, "N0", "seeds per setting where a range is given (seeds 1 to this)");

        // 1. The defaults on the ring: every mode, every seed.
        ToyRunResult? defaultSeed1 = null;
        var defaults = Seeds(ring, seeds, steps, samples, every, r => defaultSeed1 ??= r);
        RecordRange(record, "ring-default", defaults, $"{ToyClaimRuns.Describe(ring)}, seeds 1–{seeds}, {steps} steps, {samples} points");

        // 2. Seed 003's failed learning rate on the same ring: collapse, and the dominant mode moves as it trains.
        var fast = ring with { LearningRate = 0.03 };
        ToyRunResult? fastSeed1 = null;
        var fastRuns = Seeds(fast, seeds, steps, samples, every, r => fastSeed1 ??= r);
        RecordRange(record, "ring-fast", fastRuns, $"{ToyClaimRuns.Describe(fast)}, seeds 1–{seeds}, {steps} steps, {samples} points");
        // Followed as it trains (seed 1, every `every` steps): how far the high-quality share swings, and where G's points sit.
        record.Record("ring-every", every, "N0", "steps between the evaluations of the runs that are followed as they train");
        record.Record("ring-fast-checks", fastSeed1!.Checkpoints.Count, "N0", $"evaluations of seed 1's run (every {every} steps)");
        var fastShares = fastSeed1.Checkpoints.Select(c => c.Evaluation.Modes!.HighQualityShare).ToList();
        var fastModes = fastSeed1.Checkpoints.Select(c => c.Evaluation.Modes!.ModesCovered).ToList();
        record.Record("ring-fast-run-hq-min", fastShares.Min(), "P0", $"lowest high-quality share among the evaluations every {every} steps, lr 0.03, seed 1");
        record.Record("ring-fast-run-hq-max", fastShares.Max(), "P0", $"highest high-quality share among the evaluations every {every} steps, lr 0.03, seed 1");
        record.Record("ring-fast-run-modes-min", fastModes.Min(), "N0", $"fewest modes covered among the evaluations every {every} steps, lr 0.03, seed 1");
        record.Record("ring-fast-run-modes-max", fastModes.Max(), "N0", $"most modes covered among the evaluations every {every} steps, lr 0.03, seed 1");
        record.Record("ring-fast-visited", Visited(fastSeed1), "N0",
            $"different modes that held the most high-quality points at some evaluation (every {every} steps) while G covered at most 2 modes, lr 0.03, seed 1");
        record.Record("ring-fast-worst-drop", WorstDrop(fastShares), "P0", $"largest fall of the high-quality share between two evaluations {every} steps apart, lr 0.03, seed 1");
        var defaultShares = defaultSeed1!.Checkpoints.Select(c => c.Evaluation.Modes!.HighQualityShare).ToList();
        record.Record("ring-default-worst-drop", WorstDrop(defaultShares), "P0", $"the same for lr 0.001, seed 1");
        record.Record("ring-fast-d-of-x", fastSeed1.DOfX, "F2", "mean D(x) over the last 100 steps, lr 0.03, seed 1");
        record.Record("ring-fast-d-of-gz", fastSeed1.DOfGz, "F2", "mean D(G(z)) before D's update over the last 100 steps, lr 0.03, seed 1");

        // 3. D overpowers G: the saturating (minimax) G loss with five D steps per G step, against the defaults.
        var strongD = ring with { Loss = "minimax", DiscriminatorSteps = 5, Seed = 1 };
        var strong = ToyClaimRuns.Run(strongD, steps, samples);
        var how = $"over the last 100 of {steps} steps, seed 1";
        foreach (var (name, run) in new[] { ("default", defaultSeed1!), ("strong-d", strong) })
        {
            record.Record($"{name}-loss-d", run.LossD, "F2", $"mean Loss_D {how}, {ToyClaimRuns.Describe(name == "default" ? ring : strongD)}");
            record.Record($"{name}-d-of-x", run.DOfX, "F2", $"mean D(x) {how}");
            record.Record($"{name}-d-of-gz", run.DOfGz, "F2", $"mean D(G(z)) before D's update {how}");
            record.Record($"{name}-grad-g", run.GradientNormG, "F3", $"mean norm of Loss_G's gradient over G's weights {how}");
            record.Record($"{name}-modes", run.Modes.ModesCovered, "N0", $"modes covered after {steps} steps, seed 1, {samples} points");
            record.Record($"{name}-hq", run.Modes.HighQualityShare, "P0", $"share of {samples} points within 3σ of a mode after {steps} steps, seed 1");
        }

        // 4. The grid of 25 and three tricks, each tried alone (seed 1).
        var grid = new ToyGanOptions { Distribution = "grid-25", Seed = 1 };
        foreach (var (name, options) in new[]
                 {
                     ("grid-default", grid),
                     ("grid-slow", grid with { LearningRate = 1e-4 }),
                     ("grid-smooth", grid with { RealLabel = 0.9 }),
                     ("grid-wide", grid with { HiddenSize = 64 }),
                 })
        {
            var run = ToyClaimRuns.Run(options, steps, samples);
            record.Record($"{name}-modes", run.Modes.ModesCovered, "N0", $"modes of 25 covered, {ToyClaimRuns.Describe(options)}, seed 1, {steps} steps, {samples} points");
            record.Record($"{name}-hq", run.Modes.HighQualityShare, "P1", $"share of {samples} points within 3σ of a mode, same run");
            record.Record($"{name}-js", run.Final.JensenShannon, "F2", $"JS(p_data ‖ p_g) in nats on the 64 × 64 grid, same run");
        }

        // 5. The same learning rates on MNIST, where modes are digit classes.
        MeasureMnist(record, scale, paths);
    }

    /// <summary>
    /// Seed 003's learning rate on MNIST with lesson 4's MLP GAN: the recipe (Adam, lr 0.001) against lr 0.03, same seeds
    /// and steps, judged by FID, the classifier score and the class histogram (mode collapse on images).
    /// </summary>
    private static void MeasureMnist(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var catalog = new DatasetCatalog(paths);
        using var judge = new MnistJudge(paths, catalog, scale.Samples(2000));
        var steps = scale.Steps(FirstGanOnMnistClaims.FullSteps);
        var seeds = scale.Seeds(2);
        record.Record("mnist-steps", steps, "N0", "training steps of each MNIST run (batch 64)");
        record.Record("mnist-seeds", seeds, "N0", "seeds of each MNIST setting");
        record.Record("mnist-samples", judge.Samples, "N0", "generated digits classified per run");
        foreach (var (name, learningRate) in new[] { ("mnist-recipe", 1e-3), ("mnist-fast", 0.03) })
        {
            var fid = new List<double>();
            var score = new List<double>();
            var present = new List<int>();
            var underHalf = new List<int>();
            var largest = new List<double>();
            var dOfX = new List<double>();
            var dOfGz = new List<double>();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var options = GanTrainingOptions.For("mlp-gan") with { LearningRate = learningRate, Seed = seed, Device = "cpu" };
                using var trainer = new GanTrainer(options, judge.Digits);
                var run = MnistRuns.Train(trainer, steps);
                var pixels = trainer.SampleImages(judge.Samples, 1);
                var (f, s) = judge.Quality(pixels);
                var classes = judge.Classes(pixels);
                fid.Add(f);
                score.Add(s);
                present.Add(classes.ClassesPresent);
                underHalf.Add(classes.ClassesUnderHalfShare);
                largest.Add(classes.LargestShare);
                dOfX.Add(MnistRuns.Tail(run, p => p.DOfX));
                dOfGz.Add(MnistRuns.Tail(run, p => p.DOfGzBeforeD));
            }
            var how = $"mlp-gan on mnist, Adam lr {learningRate}, batch 64, {steps:N0} steps, seeds 1–{seeds}";
            record.Record($"{name}-fid", fid.Average(), "F0", $"{how}: mean FID (our MNIST classifier, {judge.Samples:N0} samples against as many held-out digits)");
            record.Record($"{name}-score", score.Average(), "F2", $"{how}: mean classifier score (10 = ten sharp, balanced classes)");
            record.Record($"{name}-classes-fewest", present.Min(), "N0", $"{how}: fewest digit classes any seed's {judge.Samples:N0} samples fell into");
            record.Record($"{name}-under-half-most", underHalf.Max(), "N0", $"{how}: most classes with under half their fair share (a tenth) of the samples, any seed");
            record.Record($"{name}-largest-share", largest.Max(), "P0", $"{how}: the most crowded class's share of the samples, worst seed");
            record.Record($"{name}-d-of-x", dOfX.Average(), "F2", $"{how}: mean D(x) over the last tenth of the steps, seeds averaged");
            record.Record($"{name}-d-of-gz", dOfGz.Average(), "F2", $"{how}: mean D(G(z)) before D's update over the last tenth of the steps, seeds averaged");
        }
    }

    private static List<ToyRunResult> Seeds(ToyGanOptions options, int seeds, int steps, int samples, int every, Action<ToyRunResult> first)
    {
        var runs = new List<ToyRunResult>();
        for (var seed = 1; seed <= seeds; seed++)
        {
            var run = ToyClaimRuns.Run(options with { Seed = seed }, steps, samples, every);
            if (seed == 1) first(run);
            runs.Add(run);
        }
        return runs;
    }

    private static void RecordRange(ClaimRecorder record, string name, List<ToyRunResult> runs, string how)
    {
        record.Record($"{name}-modes-lowest", runs.Min(r => r.Modes.ModesCovered), "N0", $"fewest modes of 8 covered by one seed: {how}");
        record.Record($"{name}-modes-highest", runs.Max(r => r.Modes.ModesCovered), "N0", $"most modes of 8 covered by one seed: {how}");
        record.Record($"{name}-hq-lowest", runs.Min(r => r.Modes.HighQualityShare), "P0", $"lowest share of points within 3σ of a mode: {how}");
        record.Record($"{name}-hq-highest", runs.Max(r => r.Modes.HighQualityShare), "P0", $"highest share of points within 3σ of a mode: {how}");
        var first = runs[0];
        var early = first.Checkpoints.FirstOrDefault();
        if (early.Evaluation?.Modes is { } m)
            record.Record($"{name}-modes-early", m.ModesCovered, "N0", $"modes covered by seed 1 after {early.Step} steps: {how}");
        else
            record.Record($"{name}-modes-early", first.Modes.ModesCovered, "N0", $"modes covered by seed 1 (no earlier evaluation): {how}");
        record.Record($"{name}-modes-early-step", early.Step, "N0", "the step of that early evaluation");
    }

    /// <summary>Distinct modes that held most high-quality points at an evaluation where G covered at most two: where a collapsed G sat.</summary>
    private static int Visited(ToyRunResult run) => run.Checkpoints
        .Where(c => c.Evaluation.Modes!.ModesCovered is > 0 and <= 2)
        .Select(c => ToyClaimRuns.DominantMode(c.Evaluation.Modes!))
        .Where(d => d is not null).Distinct().Count();

    private static double WorstDrop(IReadOnlyList<double> shares) =>
        Math.Max(0, shares.Zip(shares.Skip(1)).Select(pair => pair.First - pair.Second).DefaultIfEmpty(0).Max());
}
