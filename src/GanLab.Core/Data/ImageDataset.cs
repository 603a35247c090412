namespace GanLab.Core.Data;

/// <summary>
/// Images held in memory as one block of floats in [0, 1], row-major, image after image,
/// with their class labels (kept for conditional models and metrics).
/// </summary>
public sealed class ImageDataset
{
    public ImageDataset(string name, int channels, int height, int width, float[] pixels, byte[] labels)
    {
        var size = channels * height * width;
        if (pixels.Length != labels.Length * size)
            throw new InvalidDataException($"{name}: {pixels.Length} pixel values do not make {labels.Length} images of {channels}×{height}×{width}");
        (Name, Channels, Height, Width, Pixels, Labels) = (name, channels, height, width, pixels, labels);
    }

    public string Name { get; }
    public int Channels { get; }
    public int Height { get; }
    public int Width { get; }
    public float[] Pixels { get; }
    public byte[] Labels { get; }

    public int Count => Labels.Length;
    public int ImageSize => Channels * Height * Width;

    /// <summary>
    /// A rows×columns grid of real training images as a PNG, drawn the way the Generator's samples are, so the
    /// two can stand side by side. The images are picked by <paramref name="seed"/>: the same grid every time.
    /// </summary>
    public byte[] SampleGridPng(int rows, int columns, int seed)
    {
        var picked = new float[rows * columns * ImageSize];
        var random = new Random(seed);
        for (var i = 0; i < rows * columns; i++)
            Pixels.AsSpan(random.Next(Count) * ImageSize, ImageSize).CopyTo(picked.AsSpan(i * ImageSize));
        return Imaging.SampleGrid.ToPng(picked, rows, columns, new Models.ImageFormat(Channels, Height, Width), Models.PixelRange.ZeroToOne);
    }
}
