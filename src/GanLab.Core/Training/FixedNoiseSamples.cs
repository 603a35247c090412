using GanLab.Core.Imaging;
using GanLab.Core.Models;

namespace GanLab.Core.Training;

/// <summary>
/// G's images for the fixed noise at one step: Rows × Columns images, row after row, each channels first, in the
/// model's pixel range. For a conditional GAN, RowClasses holds the class every image of each row was drawn for.
/// </summary>
public sealed record FixedNoiseSamples(long Step, float[] Pixels, int Rows, int Columns, ImageFormat Image, PixelRange Range, IReadOnlyList<int>? RowClasses)
{
    /// <summary>The pixels of the image at this row and column.</summary>
    public ReadOnlySpan<float> At(int row, int column) => Pixels.AsSpan((row * Columns + column) * Image.Pixels, Image.Pixels);

    public byte[] ToPng() => SampleGrid.ToPng(Pixels, Rows, Columns, Image, Range);
}
