using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>
/// Seed 004's conditional GANs: "cgan" (fully connected) and "cdcgan" (convolutional), each also with spectral
/// normalization in D ("sn-cgan", "sn-cdcgan", the seed's best model). G takes z ‖ one-hot(y): with the seed's
/// z of 128 and 10 classes, 138 numbers. The convolutional D takes the image with 10 label planes as extra channels:
/// 3 + 10 = 13 for CIFAR-10, 1 + 10 = 11 for MNIST. Both sizes work: the side (28 or 32) and channel count come from
/// the data, since CIFAR-10's files are often absent and the grey datasets always there.
/// As in the seed: pixels in [−1, 1] with tanh; LeakyReLU in both networks; batch norm in G with Keras' momentum 0.8
/// and epsilon 1e-5 (PyTorch's momentum 0.2: see BatchNorm); dropout in D. The spectral-norm D also has batch norm
/// after its second layer, as the seed's SN-CGAN ("batch normalization for both generator and discriminator"), which
/// is why it cannot be a WGAN-GP critic. The seed gives no layer sizes; these follow the Keras conditional-GAN
/// example that prints the seed's "138 13" (64 and 128 filters of 3×3 at stride 2 in D, 4×4 transposed
/// convolutions of stride 2 in G).
/// </summary>
public static class ConditionalGan
{
    public const int SeedLatentSize = 128;

    /// <summary>Seed 004's Keras BatchNormalization(momentum=0.8) in PyTorch's convention.</summary>
    private const double BatchNormMomentum = 0.2;

    /// <summary>A weighted layer, wrapped in spectral normalization when asked: weight / σ(weight) keeps each layer 1-Lipschitz.</summary>
    private static Module<Tensor, Tensor> Weighted(Module<Tensor, Tensor> layer, bool spectral, RandomStream? init) =>
        spectral ? new SpectralNorm(layer, generator: init) : layer;

    /// <summary>z ‖ one-hot(y) → 256 → 512 → 1024 → C·H·W pixels (flat), tanh.</summary>
    public sealed class MlpGenerator : ConditionalNetwork
    {
        private readonly Sequential net;

        public MlpGenerator(ImageFormat image, int latentSize, double leakySlope, int classCount, RandomStream? init = null) : base(classCount)
        {
            net = register_module("net", new Sequential(
                ("fc1", new Linear(latentSize + classCount, 256, generator: init)), ("act1", new LeakyReLU(leakySlope)),
                ("fc2", new Linear(256, 512, bias: false, generator: init)), ("bn2", new BatchNorm1d(512, momentum: BatchNormMomentum)), ("act2", new LeakyReLU(leakySlope)),
                ("fc3", new Linear(512, 1024, bias: false, generator: init)), ("bn3", new BatchNorm1d(1024, momentum: BatchNormMomentum)), ("act3", new LeakyReLU(leakySlope)),
                ("fc4", new Linear(1024, image.Pixels, generator: init)), ("out", new Tanh())));
        }

        public override Sequential Layers => net;
        public override Tensor Join(Tensor z, Tensor classes) => WithOneHot(z, classes, ClassCount);
    }

    /// <summary>flat image ‖ one-hot(y) → 512 → 256 → 1 logit.</summary>
    public sealed class MlpDiscriminator : ConditionalNetwork
    {
        private readonly Sequential net;

        public MlpDiscriminator(ImageFormat image, double leakySlope, double dropout, bool spectral, int classCount,
            RandomStream? init = null, RandomStream? masks = null) : base(classCount)
        {
            var layers = new List<(string, Module<Tensor, Tensor>)>
            {
                ("fc1", Weighted(new Linear(image.Pixels + classCount, 512, generator: init), spectral, init)), ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("fc2", Weighted(new Linear(512, 256, generator: init), spectral, init)),
            };
            if (spectral) layers.Add(("bn2", new BatchNorm1d(256, momentum: BatchNormMomentum)));
            layers.AddRange([("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                             ("fc3", Weighted(new Linear(256, 1, generator: init), spectral, init))]);
            net = register_module("net", new Sequential(layers.ToArray()));
        }

        public override Sequential Layers => net;
        public override Tensor Join(Tensor images, Tensor classes) => WithOneHot(images, classes, ClassCount);
    }

    /// <summary>z ‖ one-hot(y) → 128×(side/4)² → two 4×4 stride-2 transposed convolutions (128, 64) → 3×3 convolution to C channels, tanh.</summary>
    public sealed class ConvGenerator : ConditionalNetwork
    {
        private readonly Sequential net;

        public ConvGenerator(ImageFormat image, int latentSize, double leakySlope, int classCount, RandomStream? init = null) : base(classCount)
        {
            var start = StartSide(image);
            net = register_module("net", new Sequential(
                ("project", new Linear(latentSize + classCount, 128 * start * start, bias: false, generator: init)),
                ("bn0", new BatchNorm1d(128 * start * start, momentum: BatchNormMomentum)), ("act0", new LeakyReLU(leakySlope)),
                ("reshape", new Unflatten(1, [128, start, start])),
                ("up1", new ConvTranspose2d(128, 128, 4, stride: 2, padding: 1, bias: false, generator: init)),
                ("bn1", new BatchNorm2d(128, momentum: BatchNormMomentum)), ("act1", new LeakyReLU(leakySlope)),
                ("up2", new ConvTranspose2d(128, 64, 4, stride: 2, padding: 1, bias: false, generator: init)),
                ("bn2", new BatchNorm2d(64, momentum: BatchNormMomentum)), ("act2", new LeakyReLU(leakySlope)),
                ("conv", new Conv2d(64, image.Channels, 3, padding: 1, generator: init)), ("out", new Tanh())));
        }

        public override Sequential Layers => net;
        public override Tensor Join(Tensor z, Tensor classes) => WithOneHot(z, classes, ClassCount);
    }

    /// <summary>image ‖ label planes → 3×3 stride-2 convolutions of 64 and 128 filters → one logit.</summary>
    public sealed class ConvDiscriminator : ConditionalNetwork
    {
        private readonly Sequential net;

        public ConvDiscriminator(ImageFormat image, double leakySlope, double dropout, bool spectral, int classCount,
            RandomStream? init = null, RandomStream? masks = null) : base(classCount)
        {
            var start = StartSide(image);
            var layers = new List<(string, Module<Tensor, Tensor>)>
            {
                ("conv1", Weighted(new Conv2d(image.Channels + classCount, 64, 3, stride: 2, padding: 1, generator: init), spectral, init)),
                ("act1", new LeakyReLU(leakySlope)), ("drop1", new Dropout(dropout, masks)),
                ("conv2", Weighted(new Conv2d(64, 128, 3, stride: 2, padding: 1, generator: init), spectral, init)),
            };
            if (spectral) layers.Add(("bn2", new BatchNorm2d(128, momentum: BatchNormMomentum)));
            layers.AddRange([("act2", new LeakyReLU(leakySlope)), ("drop2", new Dropout(dropout, masks)),
                             ("flatten", new Flatten()),
                             ("fc", Weighted(new Linear(128 * start * start, 1, generator: init), spectral, init))]);
            net = register_module("net", new Sequential(layers.ToArray()));
        }

        public override Sequential Layers => net;
        public override Tensor Join(Tensor images, Tensor classes) => WithLabelMaps(images, classes, ClassCount);
    }

    /// <summary>Two stride-2 steps lead from side/4 to the side, so square images with a side divisible by 4 (28, 32).</summary>
    private static int StartSide(ImageFormat image) =>
        image.Height == image.Width && image.Height % 4 == 0 ? image.Height / 4
        : throw new ArgumentException($"the convolutional conditional GAN needs square images with a side divisible by 4, not {image}");
}
