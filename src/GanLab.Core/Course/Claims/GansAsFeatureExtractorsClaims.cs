using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Training;

namespace GanLab.Core.Course.Claims;

/// <summary>
/// Lesson 13: what a Discriminator's features know about classes it was never told. A linear classifier (softmax with
/// an L2 penalty, <see cref="LinearProbe"/>) is trained on frozen features of the training split and tested on the
/// held-out split: raw pixels, the penultimate layer of an untrained MLP-GAN Discriminator, and the same D after
/// GAN training (training split only, so the test images stay unseen); with all labels and with ten per class.
/// </summary>
public sealed class GansAsFeatureExtractorsClaims : LessonClaims
{
    /// <summary>The GAN's budget: the MLP GAN's recipe, batch 64 (a few minutes per dataset on the loaded 2-core CPU).</summary>
    public const int GanSteps = 1_500;

    /// <summary>The longer budget: the same run continued to this many steps and probed again.</summary>
    public const int LongerGanSteps = 4_500;

    /// <summary>Labelled training images in the few-labels probe: ten of each class.</summary>
    public const int FewLabels = 100;

    public override string Lesson => "13-gans-as-feature-extractors";
    public override string Describes => "linear-probe accuracy of pixels, an untrained and a GAN-trained MLP Discriminator, MNIST and Fashion-MNIST";

    public override void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths)
    {
        var catalog = new DatasetCatalog(paths);
        var steps = scale.Steps(GanSteps);
        var full = new LinearProbeOptions { Epochs = scale.Full ? 30 : 1 };
        // One batch per epoch with 100 images: more epochs, so the few-labels classifier converges too.
        var few = new LinearProbeOptions { Epochs = scale.Full ? 300 : 2, TrainImages = scale.Full ? FewLabels : 20 };
        record.Record("probe-few-labels", few.TrainImages!.Value, "N0", "labelled training images in the few-labels probe (the first of each class in turn)");
        record.Record("probe-gan-steps", steps, "N0", "MLP GAN training steps (one D and one G update each, batch 64) before its D is probed again");
        record.Record("probe-gan-longer-steps", scale.Steps(LongerGanSteps), "N0", "MLP GAN training steps of the same run before its D is probed a third time");

        foreach (var (dataset, key) in new[] { ("mnist", "mnist"), ("fashion-mnist", "fashion") })
        {
            var data = catalog.Get(dataset);
            var split = DatasetSplit.For(data);
            if (!scale.Full) split = new DatasetSplit(split.Train[..scale.Samples(256)], split.Test[..scale.Samples(256)]);
            var where = $"{dataset}, {split.Train.Length:N0} training / {split.Test.Length:N0} held-out images";
            record.Record($"{key}-probe-train-images", split.Train.Length, "N0", $"{dataset}: training images of the probe (the GAN trains on the same split)");
            record.Record($"{key}-probe-test-images", split.Test.Length, "N0", $"{dataset}: held-out images the probe is tested on");

            void Probe(string what, Func<GanLab.Torch.Tensor, GanLab.Torch.Tensor> features, string how)
            {
                var all = LinearProbe.Run(what, features, data, split, full);
                record.Record($"{key}-{what}-probe", all.TestAccuracy, "P1",
                    $"{how}; {all.FeatureSize} features; linear softmax classifier (Adam 1e-2, L2 1e-4, {full.Epochs} epochs) on all {all.TrainImages:N0} labels of {where}; held-out accuracy");
                var some = LinearProbe.Run(what, features, data, split, few);
                record.Record($"{key}-{what}-probe-few", some.TestAccuracy, "P1",
                    $"{how}; the same classifier ({few.Epochs} epochs) on {some.TrainImages} labelled images, ten per class; accuracy on the {some.TestImages:N0} held-out images");
                if (what != "pixels") record.Record($"{key}-{what}-features", all.FeatureSize, "N0", $"{how}: feature count");
            }

            Probe("pixels", LinearProbe.Pixels, "the pixels themselves");
            var options = GanClaimRuns.Recipe("mlp-gan", dataset) with { MaxSteps = scale.Steps(LongerGanSteps) };
            using var trainer = new GanTrainer(options, data);
            Probe("untrained", LinearProbe.DiscriminatorFeatures(trainer.Discriminator, trainer.PixelRange),
                "penultimate layer (256 LeakyReLU units) of the MLP GAN's Discriminator as initialised with seed 42, never trained");
            trainer.Discriminator.train();
            var (seconds, last) = GanClaimRuns.Train(trainer, steps);
            record.Record($"{key}-probe-gan-seconds", seconds, "N0", $"{dataset}: wall seconds of the {steps:N0} MLP GAN steps on this CPU");
            if (last is not null)
                record.Record($"{key}-probe-gan-d-of-x", last.DOfX, "F2", $"{dataset}: mean D(x) on the last real batch of the {steps:N0}-step run");
            Probe("trained", LinearProbe.DiscriminatorFeatures(trainer.Discriminator, trainer.PixelRange),
                $"the same Discriminator's penultimate layer after {steps:N0} MLP GAN steps (seed 42, mlp-gan recipe) on the training split");
            trainer.Discriminator.train();
            var longer = scale.Steps(LongerGanSteps);
            GanClaimRuns.Train(trainer, longer - steps);
            Probe("longer", LinearProbe.DiscriminatorFeatures(trainer.Discriminator, trainer.PixelRange),
                $"the same Discriminator's penultimate layer after the run continued to {longer:N0} steps");
        }
    }
}
