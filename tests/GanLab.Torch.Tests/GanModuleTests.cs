using System.Text.Json;
using static GanLab.Torch.torch;
using static GanLab.Torch.Tests.GanOpsAgainstPyTorchTests;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>The modules built on the GAN ops: spectral norm, batch norm's running statistics, init, conv layers, embeddings, shapes.</summary>
public class GanModuleTests
{
    private static JsonElement Section(string name, string key, string value) =>
        Fixtures.GetProperty(name).EnumerateArray().Single(c => c.GetProperty(key).ToString() == value);

    // ---- spectral normalization ----

    private static nn.Module<Tensor, Tensor> SpectralFixtureLayer(string name) => name switch
    {
        "linear" => new nn.Linear(5, 3),
        "conv2d" => new nn.Conv2d(2, 4, 3, stride: 2, padding: 1),
        "conv_transpose2d" => new nn.ConvTranspose2d(4, 2, 4, stride: 2, padding: 1),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [InlineData("linear")]
    [InlineData("conv2d")]
    [InlineData("conv_transpose2d")]
    public void Spectral_norm_matches_PyTorch_from_the_same_u(string name)
    {
        var fixture = Section("spectral_norm", "name", name);
        using var scope = NewDisposeScope();
        using var layer = SpectralFixtureLayer(name).to(ScalarType.Float64);
        var weighted = (nn.IWeightedLayer)layer;
        using var sn = nn.utils.spectral_norm(layer);
        weighted.weight.copy_(FromJson(fixture.GetProperty("weight")));
        var bias = layer.named_parameters().Single(p => p.Name == "bias").Parameter;
        var biasValues = Values(fixture.GetProperty("bias"));
        bias.copy_(tensor(biasValues, [biasValues.LongLength]));
        sn.weight_u.copy_(tensor(Values(fixture.GetProperty("u0")), sn.weight_u.shape));
        var x = FromJson(fixture.GetProperty("input"), requiresGrad: true);

        var output = sn.forward(x);

        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("output").GetProperty("values")), output.ToDoubleArray(), $"{name} forward");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("u")), sn.weight_u.ToDoubleArray(), $"{name} u after one iteration");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("v")), sn.weight_v.ToDoubleArray(), $"{name} v after one iteration");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("normalized_weight")), sn.normalized_weight().ToDoubleArray(), $"{name} W/σ");
        (output * tensor(Values(fixture.GetProperty("upstream")), output.shape)).sum().backward();
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("grad_weight")), weighted.weight.grad!.ToDoubleArray(), $"{name} gradient of weight_orig");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("grad_input")), x.grad!.ToDoubleArray(), $"{name} gradient of input");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("grad_bias")), bias.grad!.ToDoubleArray(), $"{name} gradient of bias");
    }

    [Theory]
    [InlineData("conv2d")]
    [InlineData("conv_transpose2d")]
    [InlineData("linear")]
    public void After_enough_training_steps_the_normalised_weight_has_spectral_norm_one(string name)
    {
        using var scope = NewDisposeScope();
        using var random = new Generator(5);
        using var sn = nn.utils.spectral_norm(name switch
        {
            "conv2d" => new nn.Conv2d(3, 8, 4, generator: random),
            "conv_transpose2d" => new nn.ConvTranspose2d(8, 3, 4, generator: random),
            _ => new nn.Linear(20, 6, generator: random),
        }, generator: random).to(ScalarType.Float64);
        var input = name == "linear" ? randn([2, 20], ScalarType.Float64) : randn([2, name == "conv2d" ? 3 : 8, 6, 6], ScalarType.Float64);
        for (var i = 0; i < 60; i++) sn.forward(input);

        // σ(W/σ̂) by a long power iteration done independently, in managed code on W·Wᵀ.
        var w = sn.normalized_weight();
        var matrix = (sn.Dim == 0 ? w : w.transpose(0, 1)).reshape(w.shape[sn.Dim], -1);
        Assert.Equal(1.0, LargestSingularValue(matrix.ToDoubleArray(), (int)matrix.shape[0]), 3);

        // In eval mode u and v stay as they are.
        sn.eval();
        var u = sn.weight_u.ToDoubleArray();
        sn.forward(input);
        Assert.Equal(u, sn.weight_u.ToDoubleArray());
    }

    private static double LargestSingularValue(double[] a, int rows)
    {
        var cols = a.Length / rows;
        var x = Enumerable.Repeat(1.0, rows).ToArray();
        double lambda = 0;
        for (var iteration = 0; iteration < 2000; iteration++)
        {
            var aTx = new double[cols];
            for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) aTx[c] += a[r * cols + c] * x[r];
            var y = new double[rows];
            for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) y[r] += a[r * cols + c] * aTx[c];
            lambda = Math.Sqrt(y.Sum(v => v * v));
            x = y.Select(v => v / lambda).ToArray();
        }
        return Math.Sqrt(lambda);
    }

    [Fact]
    public void Spectral_norm_keeps_u_and_v_as_buffers_and_refuses_a_layer_without_a_weight()
    {
        using var sn = nn.utils.spectral_norm(new nn.Conv2d(3, 8, 4));
        Assert.Equal(["weight_u", "weight_v"], sn.named_buffers().Select(b => b.Name));
        Assert.Equal(["module.weight", "module.bias"], sn.named_parameters().Select(p => p.Name));
        Assert.Equal([8L], sn.weight_u.shape);
        Assert.Equal([48L], sn.weight_v.shape);
        Assert.Equal(1.0, sn.weight_u.norm().item(), 5);
        using var transposed = nn.utils.spectral_norm(new nn.ConvTranspose2d(8, 3, 4));
        Assert.Equal([3L], transposed.weight_u.shape); // PyTorch normalises ConvTranspose along dim 1, its output channels
        Assert.Throws<ArgumentException>(() => nn.utils.spectral_norm(new nn.ReLU()));
    }

    // ---- batch normalization ----

    [Theory]
    [InlineData(0.2)]
    [InlineData(null)]
    public void BatchNorm2d_running_statistics_follow_PyTorch(double? momentum)
    {
        var fixture = Fixtures.GetProperty("batch_norm_runs").EnumerateArray()
            .Single(r => r.GetProperty("momentum").ValueKind == JsonValueKind.Null ? momentum is null : r.GetProperty("momentum").GetDouble() == momentum);
        using var scope = NewDisposeScope();
        using var bn = new nn.BatchNorm2d(3, eps: 1e-3, momentum: momentum).to(ScalarType.Float64);
        foreach (var batch in fixture.GetProperty("batches").EnumerateArray()) bn.forward(FromJson(batch));
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("running_mean")), bn.running_mean!.ToDoubleArray(), "running_mean");
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("running_var")), bn.running_var!.ToDoubleArray(), "running_var");
        Assert.Equal(fixture.GetProperty("num_batches_tracked").GetInt64(), bn.num_batches_tracked!.ToInt64Array()[0]);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked.dtype);
        bn.eval();
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("eval_output")), bn.forward(FromJson(fixture.GetProperty("eval_input"))).ToDoubleArray(), "eval output");
    }

    [Fact]
    public void BatchNorm_registers_its_parameters_and_buffers_and_checks_the_input_rank()
    {
        using var bn = new nn.BatchNorm2d(4);
        Assert.Equal(["weight", "bias"], bn.named_parameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], bn.named_buffers().Select(b => b.Name));
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bn.weight!.ToFloatArray());
        using var plain = new nn.BatchNorm1d(4, affine: false, track_running_stats: false);
        Assert.Empty(plain.named_parameters());
        Assert.Empty(plain.named_buffers());
        using var x = randn([2, 4]);
        Assert.Contains("expected 4D input (got 2D input)", Assert.Throws<ArgumentException>(() => bn.forward(x)).Message);
        plain.eval();
        using var y = plain.forward(x); // without running statistics eval mode normalises with the batch's, as PyTorch does
        Assert.Equal(0.0, y.mean().item(), 5);
    }

    [Fact]
    public void BatchNorm1d_in_eval_mode_leaves_the_running_statistics_alone()
    {
        using var scope = NewDisposeScope();
        using var bn = new nn.BatchNorm1d(3, momentum: 0.2);
        bn.forward(randn([8, 3]) * 3.0 + 1.0);
        var mean = bn.running_mean!.ToFloatArray();
        Assert.All(mean, m => Assert.NotEqual(0f, m));
        bn.eval();
        bn.forward(randn([8, 3]));
        Assert.Equal(mean, bn.running_mean.ToFloatArray());
        Assert.Equal(1, bn.num_batches_tracked!.ToInt64Array()[0]);
    }

    // ---- init ----

    [Fact]
    public void Fans_and_gains_are_computed_as_torch_nn_init_does()
    {
        foreach (var fan in Fixtures.GetProperty("fans").EnumerateArray())
        {
            using var w = empty(Shape(fan.GetProperty("shape")));
            var (fanIn, fanOut) = nn.init.calculate_fan_in_and_fan_out(w);
            Assert.Equal(fan.GetProperty("fan_in").GetInt64(), fanIn);
            Assert.Equal(fan.GetProperty("fan_out").GetInt64(), fanOut);
        }
        foreach (var gain in Fixtures.GetProperty("gains").EnumerateArray())
        {
            var param = gain.GetProperty("param");
            Assert.Equal(gain.GetProperty("gain").GetDouble(),
                nn.init.calculate_gain(gain.GetProperty("nonlinearity").GetString()!, param.ValueKind == JsonValueKind.Null ? null : param.GetDouble()), 12);
        }
    }

    [Fact]
    public void Xavier_and_kaiming_fill_their_bounds_and_follow_the_generator()
    {
        using var w = empty([64, 32, 4, 4]);
        var (fanIn, fanOut) = (32 * 16, 64 * 16);
        AssertFills(nn.init.xavier_uniform_(w, gain: 2), 2 * Math.Sqrt(6.0 / (fanIn + fanOut)));
        AssertFills(nn.init.kaiming_uniform_(w), Math.Sqrt(2) * Math.Sqrt(3.0 / fanIn));
        AssertFills(nn.init.kaiming_uniform_(w, a: 0.2, mode: "fan_out"), Math.Sqrt(2 / 1.04) * Math.Sqrt(3.0 / fanOut));
        AssertFills(nn.init.kaiming_uniform_(w, nonlinearity: "relu"), Math.Sqrt(2) * Math.Sqrt(3.0 / fanIn));

        using var a = new Generator(9);
        using var b = new Generator(9);
        using var v = empty([50, 20]);
        var first = nn.init.xavier_uniform_(v, generator: a).ToFloatArray();
        Assert.Equal(first, nn.init.xavier_uniform_(v, generator: b).ToFloatArray());
        Assert.Throws<ArgumentException>(() => nn.init.kaiming_uniform_(v, mode: "fan_avg"));
        using var vector = empty([5]);
        Assert.Throws<ArgumentException>(() => nn.init.xavier_uniform_(vector));
    }

    private static void AssertFills(Tensor t, double bound)
    {
        var values = t.ToFloatArray();
        Assert.All(values, x => Assert.InRange(x, -bound, bound));
        Assert.True(values.Max() > 0.95 * bound && values.Min() < -0.95 * bound, $"values should fill ±{bound}");
    }

    [Fact]
    public void Conv_layers_initialise_within_PyTorchs_bounds_with_the_right_shapes()
    {
        using var conv = new nn.Conv2d(3, 64, 4, stride: 2, padding: 1);
        Assert.Equal([64L, 3, 4, 4], conv.weight.shape);
        AssertFills(conv.weight, 1 / Math.Sqrt(3 * 16));
        Assert.All(conv.bias!.ToFloatArray(), x => Assert.InRange(x, -1 / Math.Sqrt(48), 1 / Math.Sqrt(48)));

        // PyTorch takes ConvTranspose's fan_in from weight dimension 1 (out_channels/groups), not from in_channels.
        using var convT = new nn.ConvTranspose2d(128, 64, 4);
        Assert.Equal([128L, 64, 4, 4], convT.weight.shape);
        AssertFills(convT.weight, 1 / Math.Sqrt(64 * 16));
        Assert.All(convT.bias!.ToFloatArray(), x => Assert.InRange(x, -1 / Math.Sqrt(1024), 1 / Math.Sqrt(1024)));

        using var grouped = new nn.ConvTranspose2d(8, 6, 3, groups: 2, bias: false);
        Assert.Equal([8L, 3, 3, 3], grouped.weight.shape);
        Assert.Null(grouped.bias);
        Assert.Throws<ArgumentException>(() => new nn.Conv2d(3, 8, 3, groups: 2));
    }

    [Fact]
    public void Seed_001s_DCGAN_discriminator_has_Keras_parameter_count_and_shapes()
    {
        // Conv 5×5 64 s2, Conv 5×5 128 s2, Dropout, Dense: 212,865 parameters in the seed's Keras summary.
        using var d = new nn.Sequential(new nn.Conv2d(1, 64, 5, stride: 2, padding: 2), new nn.LeakyReLU(0.2),
            new nn.Conv2d(64, 128, 5, stride: 2, padding: 2), new nn.LeakyReLU(0.2), new nn.Dropout(0.3), new nn.Flatten(), new nn.Linear(7 * 7 * 128, 1));
        Assert.Equal(212_865, d.parameter_count());
        using var scope = NewDisposeScope();
        Assert.Equal([2L, 1], d.forward(randn([2, 1, 28, 28])).shape);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(7)]
    public void Same_padding_keeps_height_and_width(long kernel)
    {
        using var scope = NewDisposeScope();
        using var conv = new nn.Conv2d(2, 3, kernel, 1, "same");
        Assert.Equal([1L, 3, 9, 9], conv.forward(randn([1, 2, 9, 9])).shape);
        using var valid = new nn.Conv2d(2, 3, kernel, 1, "valid");
        Assert.Equal([1L, 3, 10 - kernel, 10 - kernel], valid.forward(randn([1, 2, 9, 9])).shape);
        Assert.Throws<ArgumentException>(() => new nn.Conv2d(2, 3, kernel, 2, "same"));
    }

    [Fact]
    public void ConvTranspose2d_doubles_the_size_as_the_DCGAN_generator_needs()
    {
        using var scope = NewDisposeScope();
        using var up = new nn.ConvTranspose2d(128, 64, 4, stride: 2, padding: 1);
        Assert.Equal([2L, 64, 14, 14], up.forward(randn([2, 128, 7, 7])).shape);
        using var up5 = new nn.ConvTranspose2d(64, 1, 5, stride: 2, padding: 2, output_padding: 1);
        Assert.Equal([2L, 1, 28, 28], up5.forward(randn([2, 64, 14, 14])).shape);
    }

    // ---- WGAN-GP with modules ----

    [Fact]
    public void The_gradient_penalty_backpropagates_into_the_critics_weights_as_in_PyTorch()
    {
        var fixture = PyTorchFixtures.Case(Fixtures, "gradient_penalty");
        var inputs = fixture.GetProperty("inputs").EnumerateArray().ToArray();
        var grads = fixture.GetProperty("grads").EnumerateArray().ToArray();
        using var scope = NewDisposeScope();
        var conv = new nn.Conv2d(1, 3, 3, stride: 2, padding: 1);
        var linear = new nn.Linear(27, 1);
        using var critic = new nn.Sequential(conv, new nn.LeakyReLU(0.2), new nn.Flatten(), linear).to(ScalarType.Float64);
        conv.weight.copy_(FromJson(inputs[1]));
        conv.bias!.copy_(FromJson(inputs[2]));
        linear.weight.copy_(FromJson(inputs[3]));
        linear.bias!.copy_(FromJson(inputs[4]));
        var xHat = FromJson(inputs[0], requiresGrad: true);

        var penalty = GradientPenalty(xHat, critic.forward);
        Assert.Null(xHat.grad); // autograd.grad returns gradients; it does not accumulate them

        var upstream = Values(fixture.GetProperty("upstream"))[0];
        OpsAgainstPyTorchTests.AssertClose(Values(fixture.GetProperty("output").GetProperty("values")), [penalty.item()], "penalty");
        (penalty * upstream).backward();
        OpsAgainstPyTorchTests.AssertClose(Values(grads[1]), conv.weight.grad!.ToDoubleArray(), "critic conv weight gradient");
        OpsAgainstPyTorchTests.AssertClose(Values(grads[2]), conv.bias.grad!.ToDoubleArray(), "critic conv bias gradient");
        OpsAgainstPyTorchTests.AssertClose(Values(grads[3]), linear.weight.grad!.ToDoubleArray(), "critic linear weight gradient");
        Assert.Null(linear.bias.grad); // the penalty does not depend on the last bias
    }

    [Fact]
    public void Autograd_grad_without_create_graph_gives_plain_gradients()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { 1, 2, 3 }, [3], requires_grad: true);
        var y = (x * x).sum();
        var g = autograd.grad([y], [x])[0];
        Assert.Equal(new double[] { 2, 4, 6 }, g.ToDoubleArray());
        Assert.False(g.requires_grad);
        Assert.Throws<TorchException>(() => autograd.grad([y], [x])); // the graph was freed, as in PyTorch
    }

    // ---- in place, embeddings, shapes ----

    [Fact]
    public void Clamp_in_place_clips_a_parameter_without_recording_it()
    {
        using var layer = new nn.Linear(10, 10);
        var same = layer.weight.clamp_(-0.01, 0.01);
        Assert.Same(layer.weight, same);
        Assert.All(layer.weight.ToFloatArray(), w => Assert.InRange(w, -0.01f, 0.01f));
        Assert.True(layer.weight.requires_grad);
    }

    [Fact]
    public void One_hot_gives_float_rows_for_class_labels()
    {
        using var scope = NewDisposeScope();
        var labels = tensor(new long[] { 2, 0, 1 }, [3]);
        var rows = F.one_hot(labels, 4);
        Assert.Equal([3L, 4], rows.shape);
        Assert.Equal(ScalarType.Float32, rows.dtype);
        Assert.Equal(new float[] { 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0 }, rows.ToFloatArray());
        Assert.Equal([3L, 3], F.one_hot(labels).shape);
        Assert.Throws<TorchException>(() => F.one_hot(tensor(new long[] { 5 }, [1]), 4));
    }

    [Fact]
    public void Embedding_starts_standard_normal_and_looks_up_rows()
    {
        using var scope = NewDisposeScope();
        using var random = new Generator(2);
        using var embedding = new nn.Embedding(10, 1000, random);
        var values = embedding.weight.ToFloatArray();
        Assert.InRange(values.Average(), -0.02, 0.02);
        Assert.InRange(Math.Sqrt(values.Select(v => v * (double)v).Average()), 0.98, 1.02);
        var rows = embedding.forward(tensor(new long[] { 3, 3, 7 }, [3]));
        Assert.Equal([3L, 1000], rows.shape);
        Assert.Equal(embedding.weight.narrow(0, 7, 1).ToFloatArray(), rows.narrow(0, 2, 1).ToFloatArray());
    }

    [Fact]
    public void Flatten_Unflatten_Upsample_and_ELU_modules_shape_as_PyTorchs()
    {
        using var scope = NewDisposeScope();
        var x = randn([2, 3 * 7 * 7]);
        var maps = new nn.Unflatten(1, [3, 7, 7]).forward(x);
        Assert.Equal([2L, 3, 7, 7], maps.shape);
        Assert.Equal([2L, 3, 14, 14], new nn.Upsample(2).forward(maps).shape);
        Assert.Equal(x.ToFloatArray(), new nn.Flatten().forward(maps).ToFloatArray());
        Assert.Equal([2L, 3, 49], new nn.Flatten(2).forward(maps).shape);
        Assert.Equal(F.elu(x, 0.5).ToFloatArray(), new nn.ELU(0.5).forward(x).ToFloatArray());
        Assert.Equal([6L, 7, 7], new nn.Unflatten(0, [6, 7, 7]).forward(randn([294])).shape);
        Assert.Throws<TorchException>(() => F.upsample_nearest(randn([3, 4])));
    }

    [Fact]
    public void Module_to_float64_converts_parameters_and_float_buffers_only()
    {
        using var bn = new nn.BatchNorm2d(3).to(ScalarType.Float64);
        Assert.All(bn.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        Assert.Equal(ScalarType.Float64, bn.running_mean!.dtype);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked!.dtype);
        Assert.True(bn.weight!.requires_grad);
    }
}
