using System.Text.Json;
using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>
/// F.affine_grid and F.grid_sample, with which the trainer rotates training images, against PyTorch
/// (Fixtures/vision.json, written by make_vision_fixtures.py): forward values and gradients in float64.
/// </summary>
public class VisionAgainstPyTorchTests
{
    private static readonly JsonElement Fixtures = PyTorchFixtures.Load("vision.json");

    public static TheoryData<string> CaseNames() => PyTorchFixtures.CaseNames(Fixtures);

    /// <summary>The op of a case, from its name's prefix and the settings the script wrote beside it.</summary>
    private static Tensor Op(string name, JsonElement settings, Tensor[] x)
    {
        var align = settings.GetProperty("align_corners").GetBoolean();
        var mode = settings.TryGetProperty("mode", out var m) ? Enum.Parse<nn.GridSampleMode>(m.GetString()!, ignoreCase: true) : default;
        var padding = settings.TryGetProperty("padding_mode", out var p) ? Enum.Parse<nn.GridSamplePaddingMode>(p.GetString()!, ignoreCase: true) : default;
        long[] Size() => PyTorchFixtures.Shape(settings.GetProperty("size"));
        return name switch
        {
            _ when name.StartsWith("affine_grid_") => F.affine_grid(x[0], Size(), align),
            _ when name.StartsWith("grid_sample_") => F.grid_sample(x[0], x[1], mode, padding, align),
            "rotate_bilinear_border" => F.grid_sample(x[0], F.affine_grid(x[1], Size(), align), mode, padding, align),
            _ => throw new Xunit.Sdk.XunitException($"no op for fixture case '{name}'"),
        };
    }

    [Fact]
    public void The_fixture_file_covers_every_mode_and_padding()
    {
        var names = PyTorchFixtures.Names(Fixtures).ToList();
        foreach (var mode in Enum.GetNames<nn.GridSampleMode>())
            Assert.Contains(names, n => n.StartsWith($"grid_sample_{mode.ToLowerInvariant()}_"));
        foreach (var padding in Enum.GetNames<nn.GridSamplePaddingMode>())
            Assert.Contains(names, n => n.Contains($"_{padding.ToLowerInvariant()}_"));
        Assert.Contains("affine_grid_align_true", names);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_and_gradients_match_PyTorch(string name)
    {
        var fixture = PyTorchFixtures.Case(Fixtures, name);
        using var scope = NewDisposeScope();
        var inputs = fixture.GetProperty("inputs").EnumerateArray().Select(i => GanOpsAgainstPyTorchTests.FromJson(i, requiresGrad: true)).ToArray();

        var output = Op(name, fixture.GetProperty("settings"), inputs);

        var expected = fixture.GetProperty("output");
        Assert.Equal(PyTorchFixtures.Shape(expected.GetProperty("shape")), output.shape);
        OpsAgainstPyTorchTests.AssertClose(PyTorchFixtures.Values(expected.GetProperty("values")), output.ToDoubleArray(), $"{name} forward");

        var upstream = tensor(PyTorchFixtures.Values(fixture.GetProperty("upstream")), output.shape);
        (output * upstream).sum().backward();
        var grads = fixture.GetProperty("grads").EnumerateArray().ToArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            var grad = inputs[i].grad ?? throw new Xunit.Sdk.XunitException($"{name}: input {i} got no gradient");
            OpsAgainstPyTorchTests.AssertClose(PyTorchFixtures.Values(grads[i]), grad.ToDoubleArray(), $"{name} gradient of input {i}");
        }
    }

    [Fact]
    public void A_theta_of_the_wrong_shape_is_refused_with_the_shape_wanted()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => F.affine_grid(zeros([2, 3, 3]), [2, 1, 4, 4]));
        Assert.Contains("[2, 2, 3]", error.Message);
    }
}
