using System.Text.Json;
using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>
/// The convolutional, conditional and Wasserstein GANs' ops against PyTorch (Fixtures/gan_ops.json, written by
/// make_gan_fixtures.py): forward values and gradients in float64.
/// </summary>
public class GanOpsAgainstPyTorchTests
{
    private static readonly double[] RunningMean = [0.1, -0.2, 0.3, 0.0];
    private static readonly double[] RunningVar = [0.5, 2.0, 1.0, 0.25];
    private static readonly long[] EmbeddingIndices = [0, 2, 1, 2, 3, 0];

    private static readonly Dictionary<string, Func<Tensor[], Tensor>> Ops = new()
    {
        ["conv2d_3x3_pad1"] = x => F.conv2d(x[0], x[1], x[2], stride: 1, padding: 1),
        ["conv2d_4x4_stride2_no_bias"] = x => F.conv2d(x[0], x[1], null, stride: 2, padding: 1),
        ["conv2d_5x5_same"] = x => F.conv2d(x[0], x[1], x[2], 1, "same"),
        ["conv2d_4x4_same"] = x => F.conv2d(x[0], x[1], x[2], 1, "same"),
        ["conv2d_7x7_pad3"] = x => F.conv2d(x[0], x[1], x[2], padding: 3),
        ["conv2d_5x5_valid"] = x => F.conv2d(x[0], x[1], null, 1, "valid"),
        ["conv2d_dilation2_groups2"] = x => F.conv2d(x[0], x[1], x[2], stride: 1, padding: 2, dilation: 2, groups: 2),
        ["conv_transpose2d_4x4_s2_p1"] = x => F.conv_transpose2d(x[0], x[1], x[2], stride: 2, padding: 1),
        ["conv_transpose2d_5x5_s2_p2_op1_no_bias"] = x => F.conv_transpose2d(x[0], x[1], null, stride: 2, padding: 2, output_padding: 1),
        ["conv_transpose2d_3x3_groups2_dilation2"] = x => F.conv_transpose2d(x[0], x[1], x[2], stride: 1, padding: 1, groups: 2, dilation: 2),
        ["conv_transpose2d_7x7"] = x => F.conv_transpose2d(x[0], x[1], x[2]),
        ["batch_norm_1d_train"] = x => F.batch_norm(x[0], null, null, x[1], x[2], training: true, eps: 1e-5),
        ["batch_norm_2d_train"] = x => F.batch_norm(x[0], null, null, x[1], x[2], training: true, eps: 1e-3),
        ["batch_norm_2d_train_no_affine"] = x => F.batch_norm(x[0], null, null, training: true),
        ["batch_norm_1d_eval"] = x => F.batch_norm(x[0], Const(RunningMean[..4]), Const(RunningVar[..4]), x[1], x[2], training: false),
        ["batch_norm_2d_eval"] = x => F.batch_norm(x[0], Const(RunningMean[..2]), Const(RunningVar[..2]), x[1], x[2], training: false),
        ["elu"] = x => F.elu(x[0], 0.7),
        ["embedding"] = x => F.embedding(tensor(EmbeddingIndices, [3, 2]), x[0]),
        ["permute"] = x => x[0].permute(2, 0, 1),
        ["expand"] = x => x[0].expand(3, 4),
        ["stack"] = x => stack([x[0], x[1]], dim: 1),
        ["upsample_nearest"] = x => F.upsample_nearest(x[0], 2),
        ["norm"] = x => x[0].norm(),
        ["norm_dim"] = x => x[0].norm(2, [1]),
        ["norm_dims_keepdim"] = x => x[0].norm(2, [1, 2], keepdim: true),
        ["gradient_penalty"] = x => GradientPenalty(x[0], h => F.linear(F.leaky_relu(F.conv2d(h, x[1], x[2], stride: 2, padding: 1), 0.2).flatten(1), x[3], x[4])),
    };

    /// <summary>WGAN-GP's penalty, written as the lesson writes it: E[(‖∇D(x̂)‖₂ − 1)²].</summary>
    internal static Tensor GradientPenalty(Tensor xHat, Func<Tensor, Tensor> critic)
    {
        var score = critic(xHat);
        var gradient = autograd.grad([score], [xHat], [ones(score.shape, score.dtype)], create_graph: true)[0];
        return (gradient.flatten(1).norm(2, [1]) - 1).pow(2).mean();
    }

    private static Tensor Const(double[] values) => tensor(values, [values.LongLength]);

    internal static readonly JsonElement Fixtures = PyTorchFixtures.Load("gan_ops.json");

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
        var inputs = fixture.GetProperty("inputs").EnumerateArray().Select(i => FromJson(i, requiresGrad: true)).ToArray();

        var output = Ops[name](inputs);

        var expected = fixture.GetProperty("output");
        Assert.Equal(Shape(expected.GetProperty("shape")), output.shape);
        OpsAgainstPyTorchTests.AssertClose(Values(expected.GetProperty("values")), output.ToDoubleArray(), $"{name} forward");

        var upstream = tensor(Values(fixture.GetProperty("upstream")), output.shape);
        (output * upstream).sum().backward();
        var grads = fixture.GetProperty("grads").EnumerateArray().ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            // PyTorch leaves .grad None where the output does not depend on an input (the critic's last bias, for the penalty).
            if (grads[i].ValueKind == JsonValueKind.Null)
            {
                Assert.Null(inputs[i].grad);
                continue;
            }
            var grad = inputs[i].grad ?? throw new Xunit.Sdk.XunitException($"{name}: input {i} got no gradient");
            OpsAgainstPyTorchTests.AssertClose(Values(grads[i]), grad.ToDoubleArray(), $"{name} gradient of input {i}");
        }
    }

    internal static Tensor FromJson(JsonElement e, bool requiresGrad = false) =>
        tensor(Values(e.GetProperty("values")), Shape(e.GetProperty("shape")), requires_grad: requiresGrad);

    internal static double[] Values(JsonElement e) => PyTorchFixtures.Values(e);
    internal static long[] Shape(JsonElement e) => PyTorchFixtures.Shape(e);
}
