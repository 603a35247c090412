using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>
/// Gradients of the conv-GAN layers from backward against central finite differences, in float64, with respect to
/// both the weight and the input (the input gradient is what flows back into G, and what the gradient penalty uses).
/// </summary>
public class ConvGradientCheckTests
{
    private sealed record Case(long[] InputShape, long[] WeightShape, Func<Tensor, Tensor, Tensor> Loss);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["conv2d_stride2"] = new([2, 2, 5, 5], [3, 2, 3, 3], (x, w) => F.leaky_relu(F.conv2d(x, w, stride: 2, padding: 1), 0.2).pow(2).sum()),
        ["conv2d_same_even_kernel"] = new([1, 2, 5, 5], [2, 2, 4, 4], (x, w) => F.conv2d(x, w, null, 1, "same").tanh().sum()),
        ["conv_transpose2d_stride2"] = new([2, 3, 3, 3], [3, 2, 4, 4], (x, w) => F.conv_transpose2d(x, w, stride: 2, padding: 1).sigmoid().sum()),
        ["conv_transpose2d_output_padding_groups"] = new([1, 4, 3, 3], [4, 1, 3, 3],
            (x, w) => F.conv_transpose2d(x, w, stride: 2, padding: 1, output_padding: 1, groups: 2).pow(2).mean()),
        // Weight as BN's per-channel scale: the loss must not be invariant to it, so it is weighted by a fixed pattern.
        ["batch_norm_train"] = new([4, 3, 2, 2], [3], (x, w) => (F.batch_norm(x, null, null, w, null, training: true) * Pattern(x)).sum()),
        ["conv_bn_leaky"] = new([3, 2, 4, 4], [3, 2, 3, 3],
            (x, w) => (F.leaky_relu(F.batch_norm(F.conv2d(x, w, padding: 1), null, null, training: true), 0.2) * Pattern(x, 3)).sum()),
    };

    private static Tensor Pattern(Tensor like, long channels = -1)
    {
        var shape = like.shape;
        if (channels > 0) shape[1] = channels;
        var n = shape.Aggregate(1L, (a, b) => a * b);
        return tensor(Enumerable.Range(0, (int)n).Select(i => Math.Sin(i + 1.0)).ToArray(), shape);
    }

    public static TheoryData<string> Names() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(Names))]
    public void Backward_matches_finite_differences(string name)
    {
        var c = Cases[name];
        using var scope = NewDisposeScope();
        using var random = new Generator(13);
        var x = randn(c.InputShape, ScalarType.Float64, requires_grad: true, generator: random);
        var w = randn(c.WeightShape, ScalarType.Float64, requires_grad: true, generator: random);
        c.Loss(x, w).backward();
        Check(name, "weight", w.grad!.ToDoubleArray(), w.ToDoubleArray(), v => c.Loss(x, tensor(v, c.WeightShape)).item());
        Check(name, "input", x.grad!.ToDoubleArray(), x.ToDoubleArray(), v => c.Loss(tensor(v, c.InputShape), w).item());
    }

    private static void Check(string name, string what, double[] analytic, double[] values, Func<double[], double> loss)
    {
        const double h = 1e-6;
        for (var i = 0; i < values.Length; i++)
        {
            var plus = (double[])values.Clone();
            var minus = (double[])values.Clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric;
            using (NewDisposeScope()) numeric = (loss(plus) - loss(minus)) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-5 * Math.Max(1, Math.Abs(numeric)),
                $"{name}: d/d{what}[{i}] is {analytic[i]} by backward but {numeric} by finite differences");
        }
    }
}
