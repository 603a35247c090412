using GanLab.Core.Data;

namespace GanLab.Core.Models;

/// <summary>The images a model makes and judges: channels × height × width, channels first as libtorch keeps them.</summary>
public sealed record ImageFormat(int Channels, int Height, int Width)
{
    /// <summary>MNIST, Fashion-MNIST: 28×28 grey.</summary>
    public static ImageFormat Grey28 { get; } = new(1, 28, 28);

    /// <summary>CIFAR-10: 32×32 colour.</summary>
    public static ImageFormat Colour32 { get; } = new(3, 32, 32);

    public int Pixels => Channels * Height * Width;

    public static ImageFormat Of(ImageDataset dataset) => new(dataset.Channels, dataset.Height, dataset.Width);

    /// <summary>Reads "1x28x28" or "3×32×32".</summary>
    public static ImageFormat Parse(string text)
    {
        var parts = text.Split('x', '×');
        if (parts.Length == 3 && parts.All(p => int.TryParse(p, out var n) && n > 0))
            return new ImageFormat(int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]));
        throw new FormatException($"image format '{text}' is not channels×height×width, e.g. 1x28x28 or 3x32x32");
    }

    public override string ToString() => $"{Channels}×{Height}×{Width}";
}
