using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// A DCGAN for 32×32 colour images (CIFAR-10, seed 004), built by the DCGAN paper's guidelines that seeds 001 and 004
/// list: strided convolutions instead of pooling, batch norm in both networks (not on G's output nor D's input layer),
/// ReLU in G and tanh at its output (seed 004's final DCGAN), LeakyReLU in D, no fully connected hidden layers.
/// G: z → 256×4×4 → 128×8×8 → 64×16×16 → C×32×32; D mirrors it. Each 4×4 stride-2 (transposed) convolution with
/// padding 1 halves or doubles the side exactly. Seed 004 scaled pixels to [−1, 1] ("significant improvement").
/// D has batch norm, so it is no critic for WGAN-GP (see <see cref="GanZoo"/>): the penalty is per image and batch
/// norm makes each image's output depend on the rest of its batch.
/// </summary>
public static class Dcgan32
{
    public const int Side = 32;
    private const int StartSide = Side / 8;

    public sealed class Generator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Generator(int latentSize, int channels, RandomStream? init = null)
        {
            // Layers followed by batch norm need no bias: BN's own shift replaces it.
            net = register_module("net", new Sequential(
                ("project", new Linear(latentSize, 256 * StartSide * StartSide, bias: false, generator: init)),
                ("bn0", new BatchNorm1d(256 * StartSide * StartSide)), ("act0", new ReLU()),
                ("reshape", new Unflatten(1, [256, StartSide, StartSide])),
                ("up1", new ConvTranspose2d(256, 128, 4, stride: 2, padding: 1, bias: false, generator: init)), ("bn1", new BatchNorm2d(128)), ("act1", new ReLU()),
                ("up2", new ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false, generator: init)), ("bn2", new BatchNorm2d(64)), ("act2", new ReLU()),
                ("up3", new ConvTranspose2d(64, channels, 4, stride: 2, padding: 1, generator: init)), ("out", new Tanh())));
        }

        public Sequential Layers => net;

        /// <summary>z [batch, latent] → images [batch, C, 32, 32] in [−1, 1].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Discriminator(int channels, double leakySlope, RandomStream? init = null)
        {
            net = register_module("net", new Sequential(
                ("conv1", new Conv2d(channels, 64, 4, stride: 2, padding: 1, generator: init)), ("act1", new LeakyReLU(leakySlope)),
                ("conv2", new Conv2d(64, 128, 4, stride: 2, padding: 1, bias: false, generator: init)), ("bn2", new BatchNorm2d(128)), ("act2", new LeakyReLU(leakySlope)),
                ("conv3", new Conv2d(128, 256, 4, stride: 2, padding: 1, bias: false, generator: init)), ("bn3", new BatchNorm2d(256)), ("act3", new LeakyReLU(leakySlope)),
                ("flatten", new Flatten()),
                ("fc", new Linear(256 * StartSide * StartSide, 1, generator: init))));
        }

        public Sequential Layers => net;

        /// <summary>images [batch, C, 32, 32] → logits [batch, 1].</summary>
        public override Tensor forward(Tensor images) => net.forward(images);
    }
}
