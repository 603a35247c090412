using System.Text.Json;
using static GanLab.Torch.Tests.PyTorchFixtures;
using GanLab.Torch;
using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>
/// Forward values and gradients of each op against PyTorch (Fixtures/ops.json, written by make_fixtures.py).
/// Everything runs in float64, so the tolerance can be tight.
/// </summary>
public class OpsAgainstPyTorchTests
{
    private const double Tolerance = 1e-9;

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["add"] = x => x[0] + x[1],
        ["sub"] = x => x[0] - x[1],
        ["mul"] = x => x[0] * x[1],
        ["div"] = x => x[0] / x[1],
        ["add_scalar"] = x => x[0] + 1.5,
        ["mul_scalar"] = x => x[0] * -2.0,
        ["rsub_scalar"] = x => 1.0 - x[0],
        ["matmul"] = x => x[0].matmul(x[1]),
        ["linear"] = x => F.linear(x[0], x[1], x[2]),
        ["linear_no_bias"] = x => F.linear(x[0], x[1]),
        ["relu"] = x => F.relu(x[0]),
        ["leaky_relu"] = x => F.leaky_relu(x[0], 0.2),
        ["tanh"] = x => F.tanh(x[0]),
        ["sigmoid"] = x => F.sigmoid(x[0]),
        ["exp"] = x => x[0].exp(),
        ["log"] = x => x[0].log(),
        ["sqrt"] = x => x[0].sqrt(),
        ["sin"] = x => x[0].sin(),
        ["cos"] = x => x[0].cos(),
        ["pow"] = x => x[0].pow(3.0),
        ["clamp"] = x => x[0].clamp(-0.5, 0.5),
        ["sum"] = x => x[0].sum(),
        ["mean"] = x => x[0].mean(),
        ["sum_dim"] = x => x[0].sum([1]),
        ["mean_dim_keep"] = x => x[0].mean([0], keepdim: true),
        ["reshape"] = x => x[0].reshape(4, 3),
        ["transpose"] = x => x[0].t(),
        ["bce_with_logits"] = x => F.binary_cross_entropy_with_logits(x[0], x[1]),
        ["bce_with_logits_sum"] = x => F.binary_cross_entropy_with_logits(x[0], x[1], nn.Reduction.Sum),
        ["bce"] = x => F.binary_cross_entropy(x[0], x[1]),
        ["mse"] = x => F.mse_loss(x[0], x[1]),
    };

    private static readonly JsonElement Fixtures = PyTorchFixtures.Load("ops.json");

    public static TheoryData<string> CaseNames() => PyTorchFixtures.CaseNames(Fixtures);

    [Fact]
    public void Every_fixture_case_has_an_op_and_every_op_a_case()
    {
        var names = PyTorchFixtures.Names(Fixtures).ToHashSet();
        Assert.Equal(names.OrderBy(n => n), Ops.Keys.OrderBy(n => n));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_and_gradients_match_PyTorch(string name)
    {
        var fixture = PyTorchFixtures.Case(Fixtures, name);
        using var scope = NewDisposeScope();
        var grads = fixture.GetProperty("grads").EnumerateArray().ToArray();
        var inputs = fixture.GetProperty("inputs").EnumerateArray()
            .Select((input, i) => tensor(Values(input.GetProperty("values")), Shape(input.GetProperty("shape")),
                requires_grad: grads[i].ValueKind != JsonValueKind.Null))
            .ToArray();

        var output = Ops[name](inputs);

        var expected = fixture.GetProperty("output");
        Assert.Equal(Shape(expected.GetProperty("shape")), output.shape);
        AssertClose(Values(expected.GetProperty("values")), output.ToDoubleArray(), $"{name} forward");

        var upstream = tensor(Values(fixture.GetProperty("upstream")), output.shape);
        (output * upstream).sum().backward();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) continue;
            var grad = inputs[i].grad ?? throw new Xunit.Sdk.XunitException($"{name}: input {i} got no gradient");
            AssertClose(Values(grads[i]), grad.ToDoubleArray(), $"{name} gradient of input {i}");
        }
    }

    [Fact]
    public void Adam_follows_PyTorchs_trajectory()
    {
        var adam = Fixtures.GetProperty("adam");
        using var w = tensor(Values(adam.GetProperty("initial")), [3], requires_grad: true);
        using var target = tensor(Values(adam.GetProperty("target")), [3]);
        using var optimizer = new optim.Adam([w], adam.GetProperty("lr").GetDouble(), adam.GetProperty("beta1").GetDouble(),
            adam.GetProperty("beta2").GetDouble(), adam.GetProperty("eps").GetDouble(), adam.GetProperty("weight_decay").GetDouble());
        foreach (var expected in adam.GetProperty("trajectory").EnumerateArray())
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (w - target).pow(2).sum().backward();
            optimizer.step();
            AssertClose(Values(expected), w.ToDoubleArray(), "Adam step");
        }
    }

    internal static void AssertClose(double[] expected, double[] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            if (Math.Abs(expected[i] - actual[i]) > tolerance * Math.Max(1, Math.Abs(expected[i])))
                throw new Xunit.Sdk.XunitException($"{what}: element {i} is {actual[i]}, PyTorch gives {expected[i]}");
    }
}
