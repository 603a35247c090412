using GanLab.Core.Toys;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>What one measured toy run left: the final evaluation, the last steps' averages, and evaluations on the way.</summary>
internal sealed record ToyRunResult(
    ToyEvaluation Final,
    double LossD,
    double DOfX,
    double DOfGz,
    double GradientNormG,
    IReadOnlyList<(long Step, ToyEvaluation Evaluation)> Checkpoints,
    double LipschitzBound)
{
    public ModeCoverage Modes => Final.Modes ?? throw new InvalidOperationException("the distribution has no modes to count");
}

/// <summary>Toy runs as the lessons on failing and stabilising training measure them: fixed seeds, a G-step budget.</summary>
internal static class ToyClaimRuns
{
    /// <param name="steps">"both" steps (k D updates and one G update each)</param>
    /// <param name="samples">G's points evaluated (2,500 at full size, the published sample size)</param>
    /// <param name="every">evaluate every this many steps as well (0: only at the end)</param>
    /// <param name="window">the last steps whose losses, D outputs and G's gradient norm are averaged</param>
    public static ToyRunResult Run(ToyGanOptions options, int steps, int samples, int every = 0, int window = 100)
    {
        using var trainer = new ToyGanTrainer(options);
        var tail = new List<TrainingProgress>();
        var checkpoints = new List<(long, ToyEvaluation)>();
        for (var i = 1; i <= steps; i++)
        {
            var p = trainer.TrainStep();
            if (p.Diverged) throw new InvalidOperationException($"{Describe(options)} diverged at step {p.Step}");
            if (i > steps - window) tail.Add(p);
            if (every > 0 && i % every == 0) checkpoints.Add((i, trainer.Evaluate(samples)));
        }
        return new ToyRunResult(trainer.Evaluate(samples), tail.Average(p => p.LossD), tail.Average(p => p.DOfX),
            tail.Average(p => p.DOfGzBeforeD), tail.Average(p => p.GradientNormG), checkpoints, LipschitzBound(trainer.Discriminator));
    }

    /// <summary>
    /// The product of the largest singular values of D's weight matrices: a bound on how much D's output can change per
    /// unit of input (LeakyReLU's slope is at most 1), what spectral normalization holds at 1 and weight clipping holds small.
    /// </summary>
    public static double LipschitzBound(GanLab.Torch.torch.nn.Module<GanLab.Torch.Tensor, GanLab.Torch.Tensor> discriminator) =>
        discriminator.parameters().Where(p => p.shape.Length == 2).Aggregate(1.0, (bound, w) => bound * LargestSingularValue(w));

    /// <summary>σ_max of a weight seen as a matrix [rows, rest], by 200 power iterations in double precision.</summary>
    public static double LargestSingularValue(GanLab.Torch.Tensor weight)
    {
        var rows = (int)weight.shape[0];
        var values = weight.detach().ToFloatArray();
        var columns = values.Length / rows;
        var v = Enumerable.Range(0, columns).Select(i => 1.0 + 0.001 * i).ToArray();
        var u = new double[rows];
        double sigma = 0;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            for (var r = 0; r < rows; r++)
            {
                double s = 0;
                for (var c = 0; c < columns; c++) s += values[r * columns + c] * v[c];
                u[r] = s;
            }
            var length = Math.Sqrt(u.Sum(a => a * a));
            for (var r = 0; r < rows; r++) u[r] /= length;
            Array.Clear(v);
            for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++) v[c] += values[r * columns + c] * u[r];
            sigma = Math.Sqrt(v.Sum(a => a * a));
            for (var c = 0; c < columns; c++) v[c] /= sigma;
        }
        return sigma;
    }

    /// <summary>The settings that differ from the toy defaults, for the "how" of a measurement.</summary>
    public static string Describe(ToyGanOptions o) =>
        $"{o.Distribution}, {o.Loss}, {o.Optimizer} lr {o.LearningRate:G3} β2 {o.Beta2:G3}, k {o.DiscriminatorSteps}, real label {o.RealLabel:G3}, " +
        $"G z({o.LatentSize}) → {string.Join(" → ", Enumerable.Repeat(o.HiddenSize, o.HiddenLayers))} → 2, batch {o.BatchSize}";

    /// <summary>The mode holding the most high-quality points; null when no point is near any mode.</summary>
    public static int? DominantMode(ModeCoverage modes)
    {
        var most = modes.HighQualityPerMode.Max();
        return most == 0 ? null : modes.HighQualityPerMode.ToList().IndexOf(most);
    }
}
