using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// Seed 003's TensorFlow GAN for 28×28 digits, with ELU activations and fully connected layers on both sides:
/// D: conv 5×5 32 stride 2, conv 5×5 64 stride 2, fc 1024, fc 128, fc 1 (ELU after all but the last);
/// G: fc 1024, fc 7·7·64, deconv 5×5 32 stride 2 (ELU after each), deconv 5×5 1 stride 2, sigmoid.
/// The seed draws z of 128 numbers. Its first run (learning rate 0.03) failed; 1e-4 with dropout keeping 0.75 worked,
/// "added to each layer in each network (except the last generator layer)": here after every hidden layer
/// (dropout 0.25), not on D's single output, where it would zero D's verdict at random.
/// G's sigmoid makes images in [0, 1]; D outputs a logit, as the seed's sigmoid_cross_entropy_with_logits expects.
/// TensorFlow's "SAME" padding at stride 2 is padding 2 here, plus output_padding 1 where a deconvolution doubles the side.
/// </summary>
public static class TensorFlowGan
{
    public const int SeedLatentSize = 128;

    public sealed class Generator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Generator(int latentSize, double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            net = register_module("net", new Sequential(
                ("fc1", new Linear(latentSize, 1024, generator: init)), ("act1", new ELU()), ("drop1", new Dropout(dropout, masks)),
                ("fc2", new Linear(1024, 7 * 7 * 64, generator: init)), ("act2", new ELU()), ("drop2", new Dropout(dropout, masks)),
                ("reshape", new Unflatten(1, [64, 7, 7])),
                ("deconv1", new ConvTranspose2d(64, 32, 5, stride: 2, padding: 2, output_padding: 1, generator: init)), ("act3", new ELU()), ("drop3", new Dropout(dropout, masks)),
                ("deconv2", new ConvTranspose2d(32, 1, 5, stride: 2, padding: 2, output_padding: 1, generator: init)), ("out", new Sigmoid())));
        }

        public Sequential Layers => net;

        /// <summary>z [batch, latent] → images [batch, 1, 28, 28] in [0, 1].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        public Discriminator(double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            net = register_module("net", new Sequential(
                ("conv1", new Conv2d(1, 32, 5, stride: 2, padding: 2, generator: init)), ("act1", new ELU()), ("drop1", new Dropout(dropout, masks)),
                ("conv2", new Conv2d(32, 64, 5, stride: 2, padding: 2, generator: init)), ("act2", new ELU()), ("drop2", new Dropout(dropout, masks)),
                ("flatten", new Flatten()),
                ("fc1", new Linear(7 * 7 * 64, 1024, generator: init)), ("act3", new ELU()), ("drop3", new Dropout(dropout, masks)),
                ("fc2", new Linear(1024, 128, generator: init)), ("act4", new ELU()), ("drop4", new Dropout(dropout, masks)),
                ("fc3", new Linear(128, 1, generator: init))));
        }

        public Sequential Layers => net;

        /// <summary>images [batch, 1, 28, 28] → logits [batch, 1].</summary>
        public override Tensor forward(Tensor images) => net.forward(images);
    }
}
