using GanLab.Torch;
using GanLab.Web.Components.Lessons;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The explorer's arithmetic is plain C# for display; libtorch's conv_transpose2d (what the
/// Generators of the course run) is the oracle it must agree with.
/// </summary>
public class TransposedConvolutionTests
{
    [Fact]
    public void Seed_001s_two_by_two_input_becomes_three_by_three()
    {
        var convolution = new TransposedConvolution([[0, 1], [2, 3]], [[0, 1], [2, 3]], stride: 1, padding: 0, outputPadding: 0);

        Assert.Equal((3, 3), (convolution.OutputRows, convolution.OutputColumns));
        Assert.Equal([[0, 0, 1], [0, 4, 6], [4, 12, 9]], convolution.Output());
        // Each input cell's scaled kernel, placed one cell further along per input cell.
        var last = convolution.ContributionOf(1, 1);
        Assert.Equal((1, 1), (last.CanvasRow, last.CanvasColumn));
        Assert.Equal([[0, 3], [6, 9]], last.Scaled);
    }

    [Theory]
    [InlineData(2, 2, 2, 2, 1, 0, 0)] // seed 001's slide
    [InlineData(2, 3, 4, 4, 2, 1, 0)] // the DCGAN Generator's k4 s2 p1, on a rectangular input
    [InlineData(3, 3, 3, 3, 2, 1, 1)] // TensorFlow's 'same' doubling, as PyTorch writes it
    [InlineData(4, 2, 3, 2, 3, 0, 2)]
    [InlineData(1, 1, 5, 5, 1, 0, 0)]
    [InlineData(5, 5, 2, 3, 4, 2, 3)]
    [InlineData(3, 4, 2, 2, 2, 2, 1)] // padding as large as the kernel: cropping reaches into the sums
    [InlineData(5, 1, 1, 5, 1, 0, 0)]
    public void Agrees_with_libtorch_conv_transpose2d(int inputRows, int inputColumns, int kernelRows, int kernelColumns, int stride, int padding, int outputPadding)
    {
        var random = new Random(inputRows * 1000 + kernelRows * 100 + stride * 10 + padding);
        var input = RandomMatrix(random, inputRows, inputColumns);
        var kernel = RandomMatrix(random, kernelRows, kernelColumns);
        var convolution = new TransposedConvolution(input, kernel, stride, padding, outputPadding);

        using var x = torch.tensor(input.SelectMany(row => row).ToArray(), [1, 1, inputRows, inputColumns]);
        using var w = torch.tensor(kernel.SelectMany(row => row).ToArray(), [1, 1, kernelRows, kernelColumns]);
        using var y = F.conv_transpose2d(x, w, stride: stride, padding: padding, output_padding: outputPadding);

        Assert.Equal([1L, 1, convolution.OutputRows, convolution.OutputColumns], y.shape);
        var expected = y.ToDoubleArray();
        var actual = convolution.Output().SelectMany(row => row).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12, $"cell {i}: libtorch {expected[i]}, explorer {actual[i]}");
    }

    [Fact]
    public void Padding_that_crops_everything_leaves_no_output()
    {
        var convolution = new TransposedConvolution([[1]], [[1, 1], [1, 1]], stride: 1, padding: 1, outputPadding: 0);

        Assert.False(convolution.HasOutput);
        Assert.Equal(0, convolution.OutputRows);
        Assert.Empty(convolution.Output());
    }

    [Fact]
    public void Output_padding_adds_cells_no_kernel_reaches_at_the_bottom_and_right()
    {
        var convolution = new TransposedConvolution([[1, 1], [1, 1]], [[1]], stride: 2, padding: 0, outputPadding: 1);

        Assert.Equal((4, 4), (convolution.CanvasRows, convolution.CanvasColumns));
        Assert.Equal([[1, 0, 1, 0], [0, 0, 0, 0], [1, 0, 1, 0], [0, 0, 0, 0]], convolution.Output());
    }

    private static double[][] RandomMatrix(Random random, int rows, int columns) =>
        Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => Math.Round(random.NextDouble() * 8 - 4, 2)).ToArray()).ToArray();
}
