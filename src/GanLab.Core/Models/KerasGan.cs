using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// The Keras GAN of the MNIST tutorials behind seeds 000 and 001, in two named forms:
/// "keras-gan" is seed 001's published summary (D 40,705 parameters: two 3×3 stride-2 convolutions of 64 filters;
/// G 1,164,289: a dense layer to 7×7×128, two 4×4 stride-2 transposed convolutions of 128, a 7×7 convolution to one channel);
/// "keras-gan-000" is seed 000's description (D's second convolution has 128 filters; G starts from 128×14×14 and
/// needs one transposed convolution). Seed 000 does not give its transposed convolution's kernel: 4×4 as in seed 001.
/// G ends in sigmoid, so images are in [0, 1] (the seeds divide pixels by 255), and the trainer scales real data to match.
/// D ends in Keras' Dense(1, sigmoid); here it outputs the logit and the loss applies the sigmoid (BCE with logits):
/// the same function, numerically safer, and the same D serves as a WGAN critic, whose output must not be squashed.
/// Keras' padding "same" is explicit padding here: 1 for 3×3 at stride 2, 3 for 7×7, and 1 for a 4×4 transposed
/// convolution at stride 2, which doubles the side exactly. Weights start as Keras starts them (Glorot-uniform kernels,
/// zero biases), not from PyTorch's default: measured with benchmarks/keras_gan_reference.py (the same networks and
/// the tutorial's recipe in PyTorch, 400 steps of 128 + 128), PyTorch's default left G's sigmoid saturated black for
/// good (seed 1: mean pixel 0.000, D(G(z)) 0.001), while Keras' weights went black near step 50 and came back
/// (mean pixel 0.13, D(G(z)) ≈ 0.5 by step 300, seeds 1, 2 and 42). See ZooModel.Recommended for the rest of the recipe.
/// </summary>
public static class KerasGan
{
    public const int Side = 28;

    /// <summary>Seed 001's filters (64, 64) and G's start (7×7, two upsamplings).</summary>
    public static readonly Shape Seed001 = new(SecondFilters: 64, StartSide: 7);

    /// <summary>Seed 000's filters (64, 128) and G's start (14×14, one upsampling).</summary>
    public static readonly Shape Seed000 = new(SecondFilters: 128, StartSide: 14);

    /// <summary>What differs between the two seeds: D's second convolution's filters and the side G's dense layer starts from.</summary>
    public sealed record Shape(int SecondFilters, int StartSide);

    public sealed class Generator : Module<Tensor, Tensor>, ILayerChain
    {
        private const int Filters = 128;
        private readonly Sequential net;

        public Generator(Shape shape, int latentSize, double leakySlope, RandomStream? init = null)
        {
            var layers = new List<(string, Module<Tensor, Tensor>)>
            {
                ("dense", new Linear(latentSize, Filters * shape.StartSide * shape.StartSide, generator: init)), ("act0", new LeakyReLU(leakySlope)),
                ("reshape", new Unflatten(1, [Filters, shape.StartSide, shape.StartSide])),
            };
            var side = shape.StartSide;
            for (var i = 1; side < Side; i++, side *= 2)
            {
                layers.Add(($"up{i}", new ConvTranspose2d(Filters, Filters, 4, stride: 2, padding: 1, generator: init)));
                layers.Add(($"act{i}", new LeakyReLU(leakySlope)));
            }
            if (side != Side) throw new ArgumentException($"G cannot double {shape.StartSide}×{shape.StartSide} up to {Side}×{Side}");
            layers.Add(("conv", new Conv2d(Filters, 1, 7, padding: 3, generator: init)));
            layers.Add(("out", new Sigmoid()));
            net = register_module("net", new Sequential(layers.ToArray()));
            KerasInit(net, init);
        }

        public Sequential Layers => net;

        /// <summary>z [batch, latent] → images [batch, 1, 28, 28] in [0, 1].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>, ILayerChain
    {
        private readonly Sequential net;

        /// <param name="dropout">the seeds use 0.4</param>
        public Discriminator(Shape shape, double leakySlope, double dropout, RandomStream? init = null, RandomStream? masks = null)
        {
            net = register_module("net", new Sequential(
                ("conv1", new Conv2d(1, 64, 3, stride: 2, padding: 1, generator: init)), ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("conv2", new Conv2d(64, shape.SecondFilters, 3, stride: 2, padding: 1, generator: init)), ("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                ("flatten", new Flatten()),
                ("dense", new Linear(shape.SecondFilters * 7 * 7, 1, generator: init))));
            KerasInit(net, init);
        }

        public Sequential Layers => net;

        /// <summary>images [batch, 1, 28, 28] → logits [batch, 1]; Keras' sigmoid output is their sigmoid.</summary>
        public override Tensor forward(Tensor images) => net.forward(images);
    }

    /// <summary>
    /// Keras' defaults for Dense, Conv2D and Conv2DTranspose: kernel ~ glorot_uniform, bias = 0. PyTorch's
    /// fan_in/fan_out of each weight equal Keras' here (Conv2DTranspose's are swapped, and equal, 128 in and out).
    /// </summary>
    private static void KerasInit(Sequential net, RandomStream? init)
    {
        using var _ = no_grad();
        foreach (var (_, layer) in net.named_children())
        {
            var (weight, bias) = layer switch
            {
                Linear l => (l.weight, l.bias),
                Conv2d c => (c.weight, c.bias),
                ConvTranspose2d t => (t.weight, t.bias),
                _ => (null, null),
            };
            if (weight is null) continue;
            nn.init.xavier_uniform_(weight, generator: init);
            bias?.zero_();
        }
    }
}
