using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
// The GAN has a Generator; libtorch calls its random stream a Generator too.
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// The DCGAN of seed 001 (the TensorFlow DCGAN tutorial) for 28×28 grey images, in PyTorch's layout
/// (channels first). Its parameter counts equal the seed's Keras summaries: G 2,330,944 of which
/// 25,472 are BatchNorm's running statistics, D 212,865.
/// Keras' padding="same" is written as explicit padding: 2 for a 5×5 kernel, plus output_padding 1
/// where a transposed convolution doubles the size. BatchNorm keeps PyTorch's momentum (0.1), so
/// the running statistics used for eval-mode samples settle within a few dozen steps; Keras' 0.99
/// (PyTorch 0.01) would leave early samples drawn with stale statistics.
/// </summary>
public static class Dcgan
{
    public const int Side = 28;

    public sealed class Generator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Generator(int latentSize, double leakySlope, RandomStream? init = null)
        {
            LatentSize = latentSize;
            net = register_module("net", new Sequential(
                ("project", new Linear(latentSize, 7 * 7 * 256, bias: false, generator: init)),
                ("bn0", new BatchNorm1d(7 * 7 * 256)), ("act0", new LeakyReLU(leakySlope)),
                ("reshape", new Unflatten(1, [256, 7, 7])),
                ("up1", new ConvTranspose2d(256, 128, 5, stride: 1, padding: 2, bias: false, generator: init)),
                ("bn1", new BatchNorm2d(128)), ("act1", new LeakyReLU(leakySlope)),
                ("up2", new ConvTranspose2d(128, 64, 5, stride: 2, padding: 2, output_padding: 1, bias: false, generator: init)),
                ("bn2", new BatchNorm2d(64)), ("act2", new LeakyReLU(leakySlope)),
                ("up3", new ConvTranspose2d(64, 1, 5, stride: 2, padding: 2, output_padding: 1, bias: false, generator: init)),
                ("out", new Tanh())));
        }

        public int LatentSize { get; }

        public Sequential Layers => net;

        /// <summary>z [batch, latent] → images [batch, 1, 28, 28] in [−1, 1].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Discriminator(double leakySlope, double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            net = register_module("net", new Sequential(
                ("conv1", new Conv2d(1, 64, 5, stride: 2, padding: 2, generator: init)), ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("conv2", new Conv2d(64, 128, 5, stride: 2, padding: 2, generator: init)), ("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                ("flatten", new Flatten()),
                ("fc", new Linear(7 * 7 * 128, 1, generator: init))));
        }

        public Sequential Layers => net;

        /// <summary>images [batch, 1, 28, 28] → logits [batch, 1].</summary>
        public override Tensor forward(Tensor images) => net.forward(images);
    }
}
