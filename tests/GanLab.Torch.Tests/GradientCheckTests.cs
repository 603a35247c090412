using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>Gradients from backward against central finite differences, in float64.</summary>
public class GradientCheckTests
{
    public static TheoryData<string> Functions() => new() { "linear+leaky_relu", "tanh", "sigmoid", "bce_with_logits", "mlp" };

    private static Tensor Evaluate(string name, Tensor x, Tensor w)
    {
        return name switch
        {
            "linear+leaky_relu" => F.leaky_relu(F.linear(x, w), 0.2).pow(2).sum(),
            "tanh" => F.tanh(x.matmul(w.t())).sum(),
            "sigmoid" => (F.sigmoid(x.matmul(w.t())) * 3.0).sum(),
            "bce_with_logits" => BceToHalf(x.matmul(w.t())),
            "mlp" => F.tanh(F.leaky_relu(F.linear(x, w), 0.2).matmul(w)).mean(),
            _ => throw new ArgumentException(name),
        };

        static Tensor BceToHalf(Tensor logits)
        {
            using var target = full(logits.shape, 0.9, ScalarType.Float64);
            return F.binary_cross_entropy_with_logits(logits, target);
        }
    }

    [Theory]
    [MemberData(nameof(Functions))]
    public void Backward_matches_finite_differences(string name)
    {
        using var scope = NewDisposeScope();
        using var random = new Generator(7);
        var x = randn([3, 4], ScalarType.Float64, generator: random);
        var w = randn([4, 4], ScalarType.Float64, requires_grad: true, generator: random);
        Evaluate(name, x, w).backward();
        var analytic = w.grad!.ToDoubleArray();

        var values = w.ToDoubleArray();
        const double h = 1e-6;
        for (var i = 0; i < values.Length; i++)
        {
            var plus = Perturbed(values, i, h);
            var minus = Perturbed(values, i, -h);
            using var wPlus = tensor(plus, [4, 4]);
            using var wMinus = tensor(minus, [4, 4]);
            var numeric = (Evaluate(name, x, wPlus).item() - Evaluate(name, x, wMinus).item()) / (2 * h);
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"{name}: d/dw[{i}] is {analytic[i]} by backward but {numeric} by finite differences");
        }
    }

    private static double[] Perturbed(double[] values, int index, double delta)
    {
        var copy = (double[])values.Clone();
        copy[index] += delta;
        return copy;
    }
}
