using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
// The GAN has a Generator; libtorch calls its random stream a Generator too.
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// Seed 002's fully connected GAN for 28×28 digits. Hidden layers use LeakyReLU(0.2), so D passes
/// gradient back to G even where a ReLU would be flat, and dropout, against D memorising the data.
/// Weights are drawn on the CPU from <c>init</c>; dropout masks come from <c>masks</c>, a stream on the
/// training device (a random stream serves one device only).
/// G ends in tanh, so real images are scaled to [−1, 1] to match. D outputs a logit: the sigmoid
/// lives inside the BCE-with-logits loss, which is numerically safer than sigmoid then log.
/// </summary>
public static class MlpGan
{
    public const int ImagePixels = 28 * 28;

    public sealed class Generator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Generator(int latentSize, double leakySlope, double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            LatentSize = latentSize;
            net = register_module("net", new Sequential(
                ("fc1", new Linear(latentSize, 256, generator: init)), ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("fc2", new Linear(256, 512, generator: init)), ("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                ("fc3", new Linear(512, ImagePixels, generator: init)), ("out", new Tanh())));
        }

        public int LatentSize { get; }

        public Sequential Layers => net;

        /// <summary>z [batch, latent] → images [batch, 784] in [−1, 1].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Discriminator(double leakySlope, double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            net = register_module("net", new Sequential(
                ("fc1", new Linear(ImagePixels, 512, generator: init)), ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("fc2", new Linear(512, 256, generator: init)), ("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                ("fc3", new Linear(256, 1, generator: init))));
        }

        public Sequential Layers => net;

        /// <summary>images [batch, 784] → logits [batch, 1]; D(x) is their sigmoid.</summary>
        public override Tensor forward(Tensor images) => net.forward(images);
    }
}
