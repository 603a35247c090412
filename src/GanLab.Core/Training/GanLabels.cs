using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Training;

/// <summary>
/// Makes each step's targets from the label mode of the options (see GanTrainingOptions.Labels for what each mode does).
/// Owns the constant label tensors; the random ones it draws live in the caller's dispose scope.
/// </summary>
public sealed class GanLabels : IDisposable
{
    private readonly GanTrainingOptions options;
    private readonly Device device;
    private readonly GanLab.Torch.Generator random;
    private readonly Tensor realLabels;   // RealLabel (0.9 with seed 002's smoothing)
    private readonly Tensor fakeLabels;   // FakeLabel (0)
    private readonly Tensor ones;         // 1: with normal labels G wants D to call its images real

    public GanLabels(GanTrainingOptions options, Device device, GanLab.Torch.Generator random)
    {
        (this.options, this.device, this.random) = (options, device, random);
        long batch = options.BatchSize;
        realLabels = full([batch, 1], options.RealLabel, device: device);
        fakeLabels = full([batch, 1], options.FakeLabel, device: device);
        ones = torch.ones([batch, 1], device: device);
    }

    /// <summary>Targets for one D step; "noisy" and "flip" draw fresh ones every call.</summary>
    public GanTargets ForDiscriminator()
    {
        var generatorTargets = ForGenerator();
        long batch = options.BatchSize;
        switch (options.Labels)
        {
            case "noisy":
                var real = rand([batch, 1], device: device, generator: random) * 0.5 + 0.7;
                var fake = rand([batch, 1], device: device, generator: random) * 0.3;
                return generatorTargets with { Real = real, Fake = fake };
            case "flip":
                // Each target independently: flipped = label·(1 − m) + other label·m, m = 1 with FlipProbability.
                var flipReal = rand([batch, 1], device: device, generator: random).lt(options.FlipProbability).to(ScalarType.Float32);
                var flipFake = rand([batch, 1], device: device, generator: random).lt(options.FlipProbability).to(ScalarType.Float32);
                return generatorTargets with
                {
                    Real = realLabels * (1.0 - flipReal) + fakeLabels * flipReal,
                    Fake = fakeLabels * (1.0 - flipFake) + realLabels * flipFake,
                };
            case "swapped":
            case "swapped-d-only":
                return generatorTargets with { Real = fakeLabels, Fake = realLabels };
            default:
                return generatorTargets;
        }
    }

    /// <summary>
    /// What G aims at (and, for minimax, what it pushes away from). Only "swapped" changes G's side:
    /// with the names exchanged G aims at the fake label and pushes away from the real one.
    /// </summary>
    public GanTargets ForGenerator() => options.Labels == "swapped"
        ? new GanTargets(fakeLabels, realLabels, GeneratorAim: fakeLabels, GeneratorAvoid: realLabels)
        : new GanTargets(realLabels, fakeLabels, GeneratorAim: ones, GeneratorAvoid: fakeLabels);

    public void Dispose()
    {
        realLabels.Dispose();
        fakeLabels.Dispose();
        ones.Dispose();
    }
}
