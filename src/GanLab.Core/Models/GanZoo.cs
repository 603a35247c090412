using GanLab.Torch;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>The settings of a run that shape a model: z's size, LeakyReLU's slope, dropout, and the random streams.</summary>
/// <param name="Init">draws the initial weights (a CPU stream)</param>
/// <param name="Masks">draws dropout masks (a stream on the training device)</param>
public sealed record ModelSettings(int LatentSize, double LeakySlope, double Dropout, RandomStream? Init = null, RandomStream? Masks = null);

/// <summary>
/// One architecture of the zoo and what a run must know before building it.
/// </summary>
/// <param name="Seed">where it comes from, as the lessons cite it</param>
/// <param name="Formats">the images it can make; the first is its seed's</param>
/// <param name="SeedLatentSize">z's size in the seed (summaries use it; a run uses its options' latent size)</param>
/// <param name="CriticHasBatchNorm">
/// whether D uses batch norm, which rules out WGAN-GP: the gradient penalty is taken per image, and batch norm makes
/// each image's output depend on its batch (Gulrajani et al. 2017, section 4). A test checks this against the layers.
/// </param>
public sealed record ZooModel(string Name, string Seed, string Description, IReadOnlyList<ImageFormat> Formats, int SeedLatentSize,
    bool Conditional, bool CriticHasBatchNorm, Func<ImageFormat, ModelSettings, GanPair> Build)
{
    /// <summary>
    /// The settings its seed trains it with where they differ from GanTrainingOptions' defaults (seed 002's MLP GAN);
    /// GanTrainingOptions.For(name) starts from them, and a setting the user gives still wins. Null: the defaults suit it.
    /// </summary>
    public RecommendedOptions? Recommended { get; init; }
}

/// <summary>
/// A model's own training recipe, one value per setting it needs changed (null keeps the default). Kept beside the
/// model rather than as a table in the CLI or the web app, so every front end starts a model the same way.
/// </summary>
public sealed record RecommendedOptions(string Why, double? LearningRate = null, double? RealLabel = null, int? BatchSize = null, double? Dropout = null);

/// <summary>
/// The architectures a run can name in its options, by the names the lessons use. Every D outputs a raw score
/// (no sigmoid inside): the BCE losses apply the sigmoid, and the same D serves as a critic for the Wasserstein
/// and hinge losses, whose scores must not be squashed into (0, 1).
/// </summary>
public static class GanZoo
{
    /// <summary>Every dataset of the catalog has 10 classes (digits, garments, CIFAR-10's objects).</summary>
    public const int ClassCount = 10;

    private static readonly ImageFormat[] Grey28Only = [ImageFormat.Grey28];
    private static readonly ImageFormat[] Colour32Only = [ImageFormat.Colour32];
    private static readonly ImageFormat[] Colour32OrGrey28 = [ImageFormat.Colour32, ImageFormat.Grey28];

    /// <summary>
    /// The Keras tutorial's recipe (seed 000): Adam 2e-4, labels 1 and 0, batch 128 real + 128 fake, dropout 0.4.
    /// The 0.9 real label matters most: in benchmarks/keras_gan_reference.py (Keras' weights, 128 + 128, seed 1) it
    /// sent G's sigmoid back to black for good after step 200 (mean pixel 0.000, D(G(z)) 0.03 at step 400), where
    /// label 1 recovered from the early black phase (mean pixel 0.13, D(G(z)) 0.49).
    /// </summary>
    private static readonly RecommendedOptions KerasRecipe = new(
        "the Keras tutorial's recipe: with seed 002's 0.9 real label G's sigmoid saturates black", LearningRate: 2e-4, RealLabel: 1.0, BatchSize: 128, Dropout: 0.4);

    public static IReadOnlyList<ZooModel> Models { get; } =
    [
        new("mlp-gan", "seed 002", "fully connected GAN (LeakyReLU, dropout, tanh)", Grey28Only, 100, false, false,
            (image, s) => new GanPair(
                new MlpGan.Generator(s.LatentSize, s.LeakySlope, s.Dropout, s.Init, s.Masks),
                new MlpGan.Discriminator(s.LeakySlope, s.Dropout, s.Init, s.Masks), image, [MlpGan.ImagePixels], PixelRange.MinusOneToOne)),
        new("dcgan", "seed 001", "DCGAN of the TensorFlow tutorial (G 2,330,944 parameters, D 212,865)", Grey28Only, 100, false, false,
            (image, s) => new GanPair(
                new Dcgan.Generator(s.LatentSize, s.LeakySlope, s.Init),
                new Dcgan.Discriminator(s.LeakySlope, s.Dropout, s.Init, s.Masks), image, [1, Dcgan.Side, Dcgan.Side], PixelRange.MinusOneToOne)),
        new("keras-gan", "seed 001", "Keras GAN (D 40,705 parameters, G 1,164,289; sigmoid images in [0, 1])", Grey28Only, 100, false, false,
            (image, s) => KerasPair(KerasGan.Seed001, image, s)) { Recommended = KerasRecipe },
        new("keras-gan-000", "seed 000", "Keras GAN with 64 then 128 filters in D and G from 128×14×14 (sigmoid images in [0, 1])", Grey28Only, 100, false, false,
            (image, s) => KerasPair(KerasGan.Seed000, image, s)) { Recommended = KerasRecipe },
        new("tf-gan", "seed 003", "TensorFlow GAN: ELU, fully connected layers, z = 128, dropout keep 0.75 (sigmoid images in [0, 1])", Grey28Only,
            TensorFlowGan.SeedLatentSize, false, false,
            (image, s) => new GanPair(
                new TensorFlowGan.Generator(s.LatentSize, s.Dropout, s.Init, s.Masks),
                new TensorFlowGan.Discriminator(s.Dropout, s.Init, s.Masks), image, [1, 28, 28], PixelRange.ZeroToOne)),
        new("dcgan-32", "seed 004", "DCGAN for 32×32 colour images (CIFAR-10), batch norm in G and D", Colour32Only, ConditionalGan.SeedLatentSize, false, true,
            (image, s) => new GanPair(
                new Dcgan32.Generator(s.LatentSize, image.Channels, s.Init),
                new Dcgan32.Discriminator(image.Channels, s.LeakySlope, s.Init), image, [image.Channels, image.Height, image.Width], PixelRange.MinusOneToOne)),
        new("cgan", "seed 004", "conditional GAN, fully connected: G(z, y), D(x, y)", Colour32OrGrey28, ConditionalGan.SeedLatentSize, true, false,
            (image, s) => ConditionalMlpPair(spectral: false, image, s)),
        new("sn-cgan", "seed 004", "conditional GAN, fully connected, spectral norm and batch norm in D", Colour32OrGrey28, ConditionalGan.SeedLatentSize, true, true,
            (image, s) => ConditionalMlpPair(spectral: true, image, s)),
        new("cdcgan", "seed 004", "conditional DCGAN: G(z ‖ one-hot y), D(image ‖ label planes)", Colour32OrGrey28, ConditionalGan.SeedLatentSize, true, false,
            (image, s) => ConditionalConvPair(spectral: false, image, s)),
        new("sn-cdcgan", "seed 004", "conditional DCGAN with spectral norm and batch norm in D (the seed's SN-CGAN)", Colour32OrGrey28,
            ConditionalGan.SeedLatentSize, true, true,
            (image, s) => ConditionalConvPair(spectral: true, image, s)),
    ];

    public static IReadOnlyList<string> Names { get; } = Models.Select(m => m.Name).ToList();

    public static ZooModel Get(string name) => Models.FirstOrDefault(m => m.Name == name)
        ?? throw new ArgumentException($"model '{name}' is unknown; allowed: {string.Join(", ", Names)}");

    /// <summary>Builds a model for images of this format, or says which formats it takes and which models take this one.</summary>
    public static GanPair Create(string name, ImageFormat image, ModelSettings settings)
    {
        var model = Get(name);
        if (!model.Formats.Contains(image))
        {
            var others = Models.Where(m => m.Formats.Contains(image)).Select(m => m.Name).ToList();
            throw new ArgumentException(
                $"model '{name}' makes {string.Join(" or ", model.Formats)} images, not {image}; " +
                (others.Count > 0 ? $"models for {image} images: {string.Join(", ", others)}" : $"no model makes {image} images"));
        }
        return model.Build(image, settings);
    }

    private static GanPair KerasPair(KerasGan.Shape shape, ImageFormat image, ModelSettings s) => new(
        new KerasGan.Generator(shape, s.LatentSize, s.LeakySlope, s.Init),
        new KerasGan.Discriminator(shape, s.LeakySlope, s.Dropout, s.Init, s.Masks), image, [1, KerasGan.Side, KerasGan.Side], PixelRange.ZeroToOne);

    private static GanPair ConditionalMlpPair(bool spectral, ImageFormat image, ModelSettings s) => new(
        new ConditionalGan.MlpGenerator(image, s.LatentSize, s.LeakySlope, ClassCount, s.Init),
        new ConditionalGan.MlpDiscriminator(image, s.LeakySlope, s.Dropout, spectral, ClassCount, s.Init, s.Masks),
        image, [image.Pixels], PixelRange.MinusOneToOne);

    private static GanPair ConditionalConvPair(bool spectral, ImageFormat image, ModelSettings s) => new(
        new ConditionalGan.ConvGenerator(image, s.LatentSize, s.LeakySlope, ClassCount, s.Init),
        new ConditionalGan.ConvDiscriminator(image, s.LeakySlope, s.Dropout, spectral, ClassCount, s.Init, s.Masks),
        image, [image.Channels, image.Height, image.Width], PixelRange.MinusOneToOne);
}
