using GanLab.Core.Models;

namespace GanLab.Core.Imaging;

/// <summary>Tiles a batch of images (grey or colour) into one picture, the way the lessons show samples.</summary>
public static class SampleGrid
{
    private const int Gap = 2;

    /// <param name="images">rows·columns images, image after image, each channels first (C planes of height·width values).</param>
    /// <param name="range">the pixel range of the generator that made them, mapped back to black..white.</param>
    public static byte[] ToPng(ReadOnlySpan<float> images, int rows, int columns, ImageFormat image, PixelRange range)
    {
        var (channels, height, width) = (image.Channels, image.Height, image.Width);
        if (channels is not (1 or 3)) throw new ArgumentException($"a sample grid draws grey or RGB images, not {channels} channels");
        if (images.Length != rows * columns * image.Pixels)
            throw new ArgumentException($"{images.Length} values do not make {rows}×{columns} images of {image}");
        var gridWidth = columns * (width + Gap) + Gap;
        var gridHeight = rows * (height + Gap) + Gap;
        // Interleaved samples (grey, or R G B) as PNG stores them.
        var pixels = new byte[gridWidth * gridHeight * channels];
        Array.Fill(pixels, (byte)64); // a dark grey frame sets each sample apart without hiding black strokes
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            var tile = images.Slice((r * columns + c) * image.Pixels, image.Pixels);
            for (var ch = 0; ch < channels; ch++)
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = range.ToUnit(tile[(ch * height + y) * width + x]);
                var level = float.IsFinite(v) ? Math.Clamp(v, 0f, 1f) * 255f : 0f;
                var at = (Gap + r * (height + Gap) + y) * gridWidth + Gap + c * (width + Gap) + x;
                pixels[at * channels + ch] = (byte)MathF.Round(level);
            }
        }
        return channels == 1 ? Png.EncodeGray(pixels, gridWidth, gridHeight) : Png.EncodeRgb(pixels, gridWidth, gridHeight);
    }
}
