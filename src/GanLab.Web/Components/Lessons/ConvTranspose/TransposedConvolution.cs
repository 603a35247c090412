namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The arithmetic of a 2-D transposed convolution with one channel, written out the way the lesson
/// explains it: each input cell scales the whole kernel, the scaled kernel is added into a canvas at
/// (row·stride, column·stride), and the output is the canvas with <c>padding</c> cells cropped from
/// every side (output padding adds rows and columns at the bottom and right). Plain C# because it is
/// arithmetic for display; tests check it against libtorch's conv_transpose2d.
/// </summary>
public sealed class TransposedConvolution
{
    public TransposedConvolution(double[][] input, double[][] kernel, int stride, int padding, int outputPadding)
    {
        if (input.Length == 0 || input[0].Length == 0 || kernel.Length == 0 || kernel[0].Length == 0)
            throw new ArgumentException("the input and the kernel need at least one cell.");
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "the stride must be at least 1.");
        if (padding < 0 || outputPadding < 0) throw new ArgumentOutOfRangeException(nameof(padding), "padding and output padding cannot be negative.");
        Input = input;
        Kernel = kernel;
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
    }

    public double[][] Input { get; }
    public double[][] Kernel { get; }
    public int Stride { get; }
    public int Padding { get; }
    public int OutputPadding { get; }

    public int InputRows => Input.Length;
    public int InputColumns => Input[0].Length;
    public int KernelRows => Kernel.Length;
    public int KernelColumns => Kernel[0].Length;

    /// <summary>The output size formula of PyTorch's ConvTranspose2d (dilation 1): (i − 1)·s − 2p + k + op.</summary>
    public static int OutputSize(int input, int kernel, int stride, int padding, int outputPadding) =>
        (input - 1) * stride - 2 * padding + kernel + outputPadding;

    public int OutputRows => OutputSize(InputRows, KernelRows, Stride, Padding, OutputPadding);
    public int OutputColumns => OutputSize(InputColumns, KernelColumns, Stride, Padding, OutputPadding);

    /// <summary>Whether padding leaves anything: with too much of it the formula gives zero or less.</summary>
    public bool HasOutput => OutputRows > 0 && OutputColumns > 0;

    /// <summary>
    /// Rows of the canvas every scaled kernel is added into: (i − 1)·s + k reached by the kernels,
    /// plus any output-padding rows beyond them (zeros, as no kernel reaches there).
    /// </summary>
    public int CanvasRows => Math.Max((InputRows - 1) * Stride + KernelRows, Padding + OutputRows);
    public int CanvasColumns => Math.Max((InputColumns - 1) * Stride + KernelColumns, Padding + OutputColumns);

    /// <summary>Whether a canvas cell lies inside the output, that is not cropped by padding.</summary>
    public bool IsInOutput(int canvasRow, int canvasColumn) =>
        canvasRow >= Padding && canvasRow < Padding + OutputRows
        && canvasColumn >= Padding && canvasColumn < Padding + OutputColumns;

    /// <summary>Input cell (row, column) times the kernel, with the canvas cell its top-left lands on.</summary>
    public Contribution ContributionOf(int row, int column) => new(
        row, column, Input[row][column], row * Stride, column * Stride,
        Kernel.Select(kernelRow => kernelRow.Select(weight => Input[row][column] * weight).ToArray()).ToArray());

    /// <summary>One contribution per input cell, row by row.</summary>
    public IEnumerable<Contribution> Contributions()
    {
        for (var row = 0; row < InputRows; row++)
            for (var column = 0; column < InputColumns; column++)
                yield return ContributionOf(row, column);
    }

    /// <summary>The sum of every scaled kernel, before padding crops it.</summary>
    public double[][] Canvas()
    {
        var canvas = Enumerable.Range(0, CanvasRows).Select(_ => new double[CanvasColumns]).ToArray();
        foreach (var contribution in Contributions())
            for (var r = 0; r < KernelRows; r++)
                for (var c = 0; c < KernelColumns; c++)
                    canvas[contribution.CanvasRow + r][contribution.CanvasColumn + c] += contribution.Scaled[r][c];
        return canvas;
    }

    /// <summary>The output: the canvas from row and column <see cref="Padding"/> on, OutputRows × OutputColumns.</summary>
    public double[][] Output()
    {
        if (!HasOutput) return [];
        var canvas = Canvas();
        return Enumerable.Range(Padding, OutputRows)
            .Select(row => canvas[row].AsSpan(Padding, OutputColumns).ToArray())
            .ToArray();
    }
}

/// <summary>What one input cell adds to the canvas: its value times the kernel, placed at (CanvasRow, CanvasColumn).</summary>
public sealed record Contribution(int Row, int Column, double Value, int CanvasRow, int CanvasColumn, double[][] Scaled)
{
    /// <summary>Whether canvas cell (row, column) is under this contribution's kernel.</summary>
    public bool Covers(int row, int column) =>
        row >= CanvasRow && row < CanvasRow + Scaled.Length && column >= CanvasColumn && column < CanvasColumn + Scaled[0].Length;
}
