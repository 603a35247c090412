using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 5: seed 000's question "what if the real and fake labels are swapped?". The consistent swap (D's and G's
/// targets both exchanged) against the swap in D's objective only, and seeds 000/001's accuracy reports: D's accuracy on
/// real and on fake images, each judged by the labels D was trained with, as the Keras tutorial measures it (100 real,
/// 100 fake, inference mode), and how far it swings from one check to the next.
/// </summary>
public sealed class SwappingTheLabelsClaims : LessonClaims
{
    public override string Lesson => "05-swapping-the-labels";
    public override string Describes => "normal, swapped and D-only swapped labels on the MLP GAN: FID, D's accuracies, gradients, G's loss";

    /// <summary>Steps of each run, as lesson 4's budget.</summary>
    public const int FullSteps = FirstGanOnMnistClaims.FullSteps;

    /// <summary>Images of each kind per accuracy check: the Keras tutorial's summarize_performance uses 100.</summary>
    public const int CheckImages = 100;

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var catalog = new DatasetCatalog(paths);
        var digits = catalog.Get("mnist");
        using var judge = new MnistJudge(paths, catalog, scale.Samples(2000));
        var steps = scale.Steps(FullSteps);
        var seeds = scale.Seeds(3);
        var checkImages = Math.Min(CheckImages, judge.Samples / 2);
        var checkEvery = Math.Clamp(steps / 20, 1, 50);
        var budget = $"mlp-gan on mnist, real label 1 and fake label 0 (seed 000's), batch 64, {steps:N0} steps, seeds 1–{seeds}";

        foreach (var labels in new[] { "normal", "swapped", "swapped-d-only" })
        {
            var fid = new List<double>();
            var score = new List<double>();
            var accReal = new List<double>();
            var accFake = new List<double>();
            var checksReal = new List<double>();
            var checksFake = new List<double>();
            var gradD = new List<double>();
            var gradG = new List<double>();
            var lossG = new List<double>();
            var dOfX = new List<double>();
            var dOfGz = new List<double>();
            for (var seed = 1; seed <= seeds; seed++)
            {
                var options = GanTrainingOptions.For("mlp-gan") with { Seed = seed, Device = "cpu", RealLabel = 1.0, Labels = labels };
                using var trainer = new GanTrainer(options, digits);
                var check = 0;
                var run = MnistRuns.Train(trainer, steps, t =>
                {
                    // The Keras tutorial's check, every checkEvery steps in the second half: 100 held-out digits, 100 fresh fakes.
                    if (t.Step <= steps / 2 || t.Step % checkEvery != 0) return;
                    check++;
                    var (r, f) = Accuracy(t, judge, judge.TestDraw.Skip(check * checkImages % (judge.Samples - checkImages)).Take(checkImages).ToArray(),
                        checkImages, (ulong)(1000 + check));
                    checksReal.Add(r);
                    checksFake.Add(f);
                });
                var (fi, sc) = judge.Quality(trainer.SampleImages(judge.Samples, 1));
                fid.Add(fi);
                score.Add(sc);
                var (ar, af) = Accuracy(trainer, judge, judge.TestDraw, judge.Samples, 7);
                accReal.Add(ar);
                accFake.Add(af);
                gradD.Add(run.Average(p => p.GradientNormD));
                gradG.Add(run.Average(p => p.GradientNormG));
                lossG.Add(MnistRuns.Tail(run, p => p.LossG));
                dOfX.Add(MnistRuns.Tail(run, p => p.DOfX));
                dOfGz.Add(MnistRuns.Tail(run, p => p.DOfGzBeforeD));
            }
            var how = $"{budget}, labels {labels}";
            record.Record($"{labels}-fid", fid.Average(), "F1", $"{how}: mean over seeds of FID (our MNIST classifier, {judge.Samples:N0} samples against as many held-out digits)");
            record.Record($"{labels}-score", score.Average(), "F2", $"{how}: mean over seeds of the classifier score");
            record.Record($"{labels}-acc-real", accReal.Average(), "0%",
                $"{how}: share of {judge.Samples:N0} held-out digits D labels as it was trained to label real ones (D in inference mode, threshold ½), after the last step, seeds averaged");
            record.Record($"{labels}-acc-fake", accFake.Average(), "0%",
                $"{how}: share of {judge.Samples:N0} fresh fakes D labels as it was trained to label fakes (inference mode, threshold ½), after the last step, seeds averaged");
            record.Record($"{labels}-grad-d", gradD.Average(), "F2", $"{how}: mean L2 norm of D's gradient over every step, seeds averaged");
            record.Record($"{labels}-grad-g", gradG.Average(), "F2", $"{how}: mean L2 norm of G's gradient over every step, seeds averaged");
            record.Record($"{labels}-loss-g", lossG.Average(), "F3", $"{how}: mean Loss_G over the last tenth of the steps, seeds averaged");
            record.Record($"{labels}-d-of-x", dOfX.Average(), "F2", $"{how}: mean D(x) (sigmoid of D's output) over the last tenth of the steps, seeds averaged");
            record.Record($"{labels}-d-of-gz", dOfGz.Average(), "F2", $"{how}: mean D(G(z)) before D's update over the last tenth of the steps, seeds averaged");
            if (checksReal.Count > 0)
            {
                var checkHow = $"{how}: the Keras tutorial's check ({checkImages} held-out digits and {checkImages} fresh fakes, inference mode) " +
                               $"every {checkEvery} steps of the second half, {checksReal.Count} checks over all seeds";
                record.Record($"{labels}-check-real-lowest", checksReal.Min(), "0%", $"{checkHow}: the lowest accuracy on real digits");
                record.Record($"{labels}-check-real-highest", checksReal.Max(), "0%", $"{checkHow}: the highest accuracy on real digits");
                record.Record($"{labels}-check-fake-lowest", checksFake.Min(), "0%", $"{checkHow}: the lowest accuracy on fakes");
                record.Record($"{labels}-check-fake-highest", checksFake.Max(), "0%", $"{checkHow}: the highest accuracy on fakes");
                record.Record($"{labels}-checks", checksReal.Count, "N0", $"{checkHow}: how many checks");
            }
        }
        record.Record("real-fid", judge.RealFloor(), "F1", $"FID of {judge.Samples:N0} real training digits against the {judge.Samples:N0} held-out ones");
        record.Record("steps", steps, "N0", "training steps of each run (batch 64)");
        record.Record("seeds", seeds, "N0", "seeds each label mode was trained with");
        record.Record("check-every", checkEvery, "N0", "steps between two of the Keras tutorial's accuracy checks in the second half of each run");
        record.Record("check-images", checkImages, "N0", "held-out digits and fresh fakes in each accuracy check (the Keras tutorial's 100)");
        record.Record("fid-samples", judge.Samples, "N0", "generated images per FID and per final accuracy, against as many held-out real digits");
    }

    /// <summary>
    /// D's accuracy by the labels it was trained with: in "normal" a real image is right when D(x) &gt; ½, in the swapped
    /// modes when D(x) &lt; ½ (its target for real images was 0); fakes the other way round. Inference mode, as Keras'
    /// evaluate; the run's own random stream is not touched.
    /// </summary>
    private static (double Real, double Fake) Accuracy(GanTrainer trainer, MnistJudge judge, int[] realIndices, int fakes, ulong seed)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = (nn.Module<Tensor, Tensor>)trainer.Generator;
        var discriminator = (nn.Module<Tensor, Tensor>)trainer.Discriminator;
        generator.eval();
        discriminator.eval();
        try
        {
            long[] shape = [.. trainer.RealImages.shape.Skip(1)];
            var real = trainer.PixelRange.FromUnit(tensor(judge.Pixels(realIndices), [realIndices.Length, .. shape]));
            using var noise = new GanLab.Torch.Generator(seed);
            var fake = generator.forward(randn([fakes, trainer.Options.LatentSize], generator: noise));
            var saysRealOfReal = discriminator.forward(real).sigmoid().gt(0.5).to(ScalarType.Float32).mean().item();
            var saysRealOfFake = discriminator.forward(fake).sigmoid().gt(0.5).to(ScalarType.Float32).mean().item();
            var swapped = trainer.Options.Labels is "swapped" or "swapped-d-only";
            return swapped ? (1 - saysRealOfReal, saysRealOfFake) : (saysRealOfReal, 1 - saysRealOfFake);
        }
        finally
        {
            generator.train();
            discriminator.train();
        }
    }
}
