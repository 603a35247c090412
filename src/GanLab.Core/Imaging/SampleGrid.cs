namespace GanLab.Core.Imaging;

/// <summary>Tiles a batch of grey images into one picture, the way the lessons show samples.</summary>
public static class SampleGrid
{
    private const int Gap = 2;

    /// <param name="images">rows·columns images of height·width values each, image after image.</param>
    /// <param name="fromTanh">true when values are in [−1, 1] (a tanh generator), false for [0, 1].</param>
    public static byte[] ToPng(ReadOnlySpan<float> images, int rows, int columns, int height, int width, bool fromTanh)
    {
        if (images.Length != rows * columns * height * width)
            throw new ArgumentException($"{images.Length} values do not make {rows}×{columns} images of {height}×{width}");
        var gridWidth = columns * (width + Gap) + Gap;
        var gridHeight = rows * (height + Gap) + Gap;
        var pixels = new byte[gridWidth * gridHeight];
        Array.Fill(pixels, (byte)64); // a dark grey frame sets each sample apart without hiding black strokes
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            var image = images.Slice((r * columns + c) * height * width, height * width);
            for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var v = fromTanh ? (image[y * width + x] + 1f) / 2f : image[y * width + x];
                var gray = float.IsFinite(v) ? Math.Clamp(v, 0f, 1f) * 255f : 0f;
                pixels[(Gap + r * (height + Gap) + y) * gridWidth + Gap + c * (width + Gap) + x] = (byte)MathF.Round(gray);
            }
        }
        return Png.EncodeGray(pixels, gridWidth, gridHeight);
    }
}
