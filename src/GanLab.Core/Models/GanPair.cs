using GanLab.Torch;
using static GanLab.Torch.torch.nn;

namespace GanLab.Core.Models;

/// <summary>
/// A Generator and a Discriminator that train together, with what the trainer must know about their images:
/// the format, the shape D takes one image in (flat for the fully connected models), and the pixel range of G's
/// output activation, which the real images are scaled to. A conditional pair (ClassCount > 0) takes a class
/// with every z and every image; an unconditional one ignores classes.
/// </summary>
public sealed class GanPair : IDisposable
{
    private readonly Func<Tensor, Tensor?, Tensor> generate;
    private readonly Func<Tensor, Tensor?, Tensor> discriminate;

    public GanPair(Module<Tensor, Tensor> generator, Module<Tensor, Tensor> discriminator, ImageFormat image, long[] imageShape, PixelRange range)
        : this(generator, discriminator, image, imageShape, range, 0,
               (z, _) => generator.forward(z), (x, _) => discriminator.forward(x))
    {
    }

    public GanPair(ConditionalNetwork generator, ConditionalNetwork discriminator, ImageFormat image, long[] imageShape, PixelRange range)
        : this(generator, discriminator, image, imageShape, range, generator.ClassCount,
               (z, y) => generator.forward(z, y ?? throw MissingClasses()), (x, y) => discriminator.forward(x, y ?? throw MissingClasses()))
    {
        if (discriminator.ClassCount != generator.ClassCount)
            throw new ArgumentException($"G knows {generator.ClassCount} classes but D {discriminator.ClassCount}");
    }

    private GanPair(Module generator, Module discriminator, ImageFormat image, long[] imageShape, PixelRange range, int classCount,
        Func<Tensor, Tensor?, Tensor> generate, Func<Tensor, Tensor?, Tensor> discriminate)
    {
        if (imageShape.Aggregate(1L, (a, b) => a * b) != image.Pixels)
            throw new ArgumentException($"an image shape of [{string.Join(", ", imageShape)}] does not hold {image} images");
        (Generator, Discriminator, Image, ImageShape, Range, ClassCount) = (generator, discriminator, image, imageShape, range, classCount);
        (this.generate, this.discriminate) = (generate, discriminate);
    }

    public Module Generator { get; }
    public Module Discriminator { get; }
    public ImageFormat Image { get; }

    /// <summary>One image as D takes it and G makes it: [C, H, W], or [C·H·W] for the fully connected models.</summary>
    public long[] ImageShape { get; }

    public PixelRange Range { get; }

    /// <summary>How many classes a conditional pair draws and judges; 0 for an unconditional one.</summary>
    public int ClassCount { get; }

    public bool IsConditional => ClassCount > 0;

    /// <summary>G(z) or, conditional, G(z, y): z [batch, latent], classes [batch] int64 → images [batch, ..ImageShape].</summary>
    public Tensor Generate(Tensor z, Tensor? classes) => generate(z, classes);

    /// <summary>D(x) or, conditional, D(x, y): images [batch, ..ImageShape] → raw outputs [batch, 1] (logits for the BCE losses).</summary>
    public Tensor Discriminate(Tensor images, Tensor? classes) => discriminate(images, classes);

    private static ArgumentException MissingClasses() =>
        new("a conditional GAN needs a class for every z and every image; none were given");

    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
    }
}
