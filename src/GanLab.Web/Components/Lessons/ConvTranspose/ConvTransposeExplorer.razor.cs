using System.Globalization;
using GanLab.Web.Lessons.Components;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```conv-transpose in a lesson: a transposed convolution worked out cell by cell. The block's
/// settings are the starting point; the student edits sizes, values, stride and padding on the page,
/// and every change recomputes the contributions, their sum and the output.
/// </summary>
public sealed partial class ConvTransposeExplorer : ComponentBase, ILessonComponent<ConvTransposeSettings>
{
    [Parameter] public ConvTransposeSettings Settings { get; set; } = new();

    private double[][] _input = [[0]];
    private double[][] _kernel = [[0]];
    private int _stride = 1;
    private int _padding;
    private int _outputPadding;
    private (int Row, int Column)? _selected;
    private ConvTransposeSettings? _shown;

    /// <summary>The working state as a computation; rebuilt on every render, it is a few dozen multiplications.</summary>
    private TransposedConvolution Convolution { get; set; } = default!;

    private double[][] _canvas = [];

    /// <summary>The contribution outlined on the sum, chosen by focusing an input cell or clicking a contribution.</summary>
    private Contribution? Selected => _selected is { } cell ? Convolution.ContributionOf(cell.Row, cell.Column) : null;

    protected override void OnParametersSet()
    {
        // An edit of the lesson elsewhere on the page hands the same block new (equal) settings;
        // only settings the explorer has not shown yet replace what the student typed.
        if (_shown is not null && SameSettings(_shown, Settings)) return;
        Reset();
    }

    private void Reset()
    {
        _shown = Settings;
        _input = Copy(Settings.Input);
        _kernel = Copy(Settings.Kernel);
        _stride = Math.Clamp(Settings.Stride, 1, 4);
        _padding = Math.Clamp(Settings.Padding, 0, 4);
        _outputPadding = Math.Clamp(Settings.OutputPadding, 0, _stride - 1);
        _selected = null;
        Recompute();
    }

    private void Recompute()
    {
        Convolution = new TransposedConvolution(_input, _kernel, _stride, _padding, _outputPadding);
        _canvas = Convolution.Canvas();
        if (_selected is { } cell && (cell.Row >= _input.Length || cell.Column >= _input[0].Length)) _selected = null;
    }

    private void ResizeInput(int rows, int columns)
    {
        _input = Resized(_input, rows, columns);
        Recompute();
    }

    private void ResizeKernel(int rows, int columns)
    {
        _kernel = Resized(_kernel, rows, columns);
        Recompute();
    }

    private void SetStride(int stride)
    {
        _stride = Math.Clamp(stride, 1, 4);
        // Output padding must stay below the stride (PyTorch's rule), so a smaller stride pulls it down.
        _outputPadding = Math.Min(_outputPadding, _stride - 1);
        Recompute();
    }

    private void SetPadding(int padding)
    {
        _padding = Math.Clamp(padding, 0, 4);
        Recompute();
    }

    private void SetOutputPadding(int outputPadding)
    {
        _outputPadding = Math.Clamp(outputPadding, 0, _stride - 1);
        Recompute();
    }

    private void SetCell(double[][] matrix, int row, int column, object? value)
    {
        // A cleared or half-typed field counts as 0 rather than keeping a value the page no longer shows.
        matrix[row][column] = double.TryParse(value?.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : 0;
        Recompute();
    }

    private void Select(int row, int column) => _selected = (row, column);

    private bool IsSelected(int row, int column) => _selected == (row, column);

    private string CellClass(int row, int column, bool covered)
    {
        var classes = Convolution.IsInOutput(row, column) ? "" : "is-cropped";
        return covered ? classes + " is-covered" : classes;
    }

    private string FormulaLine(int input, int kernel, int output) => string.Create(CultureInfo.InvariantCulture,
        $"({input} − 1)·{_stride} − 2·{_padding} + {kernel} + {_outputPadding} = {output}");

    /// <summary>A number as short as it can be shown exactly enough for a grid cell: 0.5, 12, −3.25.</summary>
    public static string Show(double value)
    {
        var rounded = Math.Round(value, 3);
        if (rounded == 0) rounded = 0; // no "-0"
        return rounded.ToString("0.###", CultureInfo.InvariantCulture).Replace('-', '−');
    }

    /// <summary>A value as a number field takes it: invariant digits and an ASCII minus.</summary>
    private static string FieldValue(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static int ParseInt(object? value) =>
        int.TryParse(value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 1;

    /// <summary>The matrix with the given size, values kept where they overlap and new cells set to 1 so they show.</summary>
    private static double[][] Resized(double[][] matrix, int rows, int columns)
    {
        rows = Math.Clamp(rows, 1, ConvTransposeSettings.MaxSide);
        columns = Math.Clamp(columns, 1, ConvTransposeSettings.MaxSide);
        return Enumerable.Range(0, rows)
            .Select(r => Enumerable.Range(0, columns).Select(c => r < matrix.Length && c < matrix[r].Length ? matrix[r][c] : 1).ToArray())
            .ToArray();
    }

    private static double[][] Copy(double[][] matrix) => matrix.Select(row => row.ToArray()).ToArray();

    private static bool SameSettings(ConvTransposeSettings a, ConvTransposeSettings b) =>
        a.Stride == b.Stride && a.Padding == b.Padding && a.OutputPadding == b.OutputPadding
        && SameMatrix(a.Input, b.Input) && SameMatrix(a.Kernel, b.Kernel);

    private static bool SameMatrix(double[][] a, double[][] b) =>
        a.Length == b.Length && a.Zip(b).All(rows => rows.First.AsSpan().SequenceEqual(rows.Second));
}
