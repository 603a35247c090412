using System.ComponentModel.DataAnnotations;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```conv-transpose block: where the explorer starts. Students can change every
/// one of them on the page; Reset returns to these.
/// </summary>
public sealed class ConvTransposeSettings
{
    /// <summary>Largest input or kernel side: a 5×5 input with stride 4 already gives a 20-cell-wide canvas, about a phone's width.</summary>
    public const int MaxSide = 5;

    /// <summary>
    /// The input feature map, one list per row, up to 5×5 numbers. The default is the 2×2 input of seed
    /// 001's slide, which upsamples to 3×3 with a 2×2 kernel and stride 1.
    /// </summary>
    public double[][] Input { get; set; } = [[0, 1], [2, 3]];

    /// <summary>The kernel: the layer's weights, one list per row, up to 5×5 numbers.</summary>
    public double[][] Kernel { get; set; } = [[0, 1], [2, 3]];

    /// <summary>How many output cells apart neighbouring input cells place their kernels; 2 doubles the size, as in a DCGAN Generator.</summary>
    [Range(1, 4)]
    public int Stride { get; set; } = 1;

    /// <summary>Cells cropped from every side of the result; PyTorch's padding argument of ConvTranspose2d.</summary>
    [Range(0, 4)]
    public int Padding { get; set; }

    /// <summary>Extra rows and columns added at the bottom and right, to reach an exact size; must be smaller than the stride.</summary>
    [Range(0, 3)]
    public int OutputPadding { get; set; }

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = LessonSettingsRanges.Check(this).ToList();
        problems.AddRange(CheckMatrix("input", Input));
        problems.AddRange(CheckMatrix("kernel", Kernel));
        // PyTorch refuses output padding that reaches a whole stride: it would add a row no kernel can reach.
        if (OutputPadding >= Stride)
            problems.Add($"output padding {OutputPadding} must be smaller than the stride ({Stride}), as in PyTorch.");
        if (problems.Count == 0)
        {
            var rows = TransposedConvolution.OutputSize(Input.Length, Kernel.Length, Stride, Padding, OutputPadding);
            var columns = TransposedConvolution.OutputSize(Input[0].Length, Kernel[0].Length, Stride, Padding, OutputPadding);
            if (rows < 1 || columns < 1)
                problems.Add($"padding {Padding} crops the whole result: the output would be {rows}×{columns}.");
        }
        return problems;
    }

    private static IEnumerable<string> CheckMatrix(string name, double[][] matrix)
    {
        if (matrix.Length is < 1 or > MaxSide || matrix[0].Length is < 1 or > MaxSide)
            yield return $"{name} is {matrix.Length}×{(matrix.Length > 0 ? matrix[0].Length : 0)}; it must have 1 to {MaxSide} rows and columns.";
    }
}
