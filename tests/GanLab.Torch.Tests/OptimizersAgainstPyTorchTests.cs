using System.Text.Json;
using static GanLab.Torch.torch;

namespace GanLab.Torch.Tests;

/// <summary>
/// SGD, RMSprop and Adam follow PyTorch's trajectories step by step (Fixtures/optim.json, written by
/// make_optim_fixtures.py): a least-squares problem in float64, so the tolerance can be tight.
/// </summary>
public class OptimizersAgainstPyTorchTests
{
    // The same settings as make_optim_fixtures.py, case by case.
    private static readonly Dictionary<string, Func<Tensor[], optim.Optimizer>> Settings = new()
    {
        ["sgd_plain"] = p => new optim.SGD(p, lr: 0.1),
        ["sgd_momentum"] = p => new optim.SGD(p, lr: 0.05, momentum: 0.9),
        ["sgd_momentum_dampening_weight_decay"] = p => new optim.SGD(p, lr: 0.05, momentum: 0.5, dampening: 0.1, weight_decay: 0.01),
        ["sgd_nesterov_weight_decay"] = p => new optim.SGD(p, lr: 0.05, momentum: 0.9, weight_decay: 0.01, nesterov: true),
        ["sgd_momentum_lr_change"] = p => new optim.SGD(p, lr: 0.05, momentum: 0.9),
        ["rmsprop_default"] = p => new optim.RMSprop(p, lr: 0.01),
        ["rmsprop_wgan"] = p => new optim.RMSprop(p, lr: 5e-3, alpha: 0.9),
        ["rmsprop_momentum_centered_weight_decay"] = p => new optim.RMSprop(p, lr: 0.01, alpha: 0.95, eps: 1e-6, weight_decay: 0.01, momentum: 0.5, centered: true),
        ["rmsprop_centered"] = p => new optim.RMSprop(p, lr: 0.01, centered: true),
        ["adam_gan"] = p => new optim.Adam(p, lr: 2e-2, beta1: 0.5, beta2: 0.999),
        ["adam_weight_decay"] = p => new optim.Adam(p, lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-6, weight_decay: 0.1),
        ["adam_lr_change"] = p => new optim.Adam(p, lr: 2e-2, beta1: 0.5, beta2: 0.999),
    };

    private static readonly JsonElement Fixtures = PyTorchFixtures.Load("optim.json");

    public static TheoryData<string> CaseNames() => PyTorchFixtures.CaseNames(Fixtures);

    [Fact]
    public void Every_fixture_case_has_a_setting_and_every_setting_a_case()
    {
        var names = PyTorchFixtures.Names(Fixtures);
        Assert.Equal(names.Order(), Settings.Keys.Order());
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Optimizer_follows_PyTorchs_trajectory(string name)
    {
        var fixture = PyTorchFixtures.Case(Fixtures, name);
        var lrChange = fixture.GetProperty("lr_change");
        using var problem = new LeastSquares();
        using var optimizer = Settings[name]([problem.Weight, problem.Bias]);
        var step = 0;
        foreach (var expected in fixture.GetProperty("trajectory").EnumerateArray())
        {
            if (lrChange.ValueKind != JsonValueKind.Null && step == lrChange.GetProperty("at_step").GetInt32())
            {
                optimizer.lr = lrChange.GetProperty("lr").GetDouble();
                Assert.Equal(lrChange.GetProperty("lr").GetDouble(), optimizer.lr);
            }
            problem.Step(optimizer);
            OpsAgainstPyTorchTests.AssertClose(Values(expected), problem.Flat(), $"{name} step {step}");
            step++;
        }

        // The state read out of libtorch (what checkpoints save) is PyTorch's, field by field.
        using var scope = NewDisposeScope();
        using var state = optimizer.state_dict();
        var expectedState = fixture.GetProperty("state").EnumerateArray().ToArray();
        for (var i = 0; i < expectedState.Length; i++)
        {
            var ours = state.state.TryGetValue(i, out var fields) ? fields : new Dictionary<string, Tensor>();
            var theirs = expectedState[i].EnumerateObject().ToDictionary(f => f.Name, f => Values(f.Value));
            Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
            foreach (var (field, values) in theirs)
                OpsAgainstPyTorchTests.AssertClose(values, ours[field].to(ScalarType.Float64).ToDoubleArray(), $"{name} state of parameter {i}: {field}");
        }
    }

    [Fact]
    public void Nesterov_without_momentum_is_refused_as_PyTorch_does()
    {
        using var w = zeros([2], requires_grad: true);
        var error = Assert.Throws<ArgumentException>(() => new optim.SGD([w], lr: 0.1, nesterov: true));
        Assert.Contains("Nesterov", error.Message);
    }

    [Fact]
    public void A_negative_learning_rate_is_refused_and_the_old_one_kept()
    {
        using var w = zeros([2], requires_grad: true);
        using var optimizer = new optim.RMSprop([w], lr: 0.01);
        Assert.Throws<TorchException>(() => optimizer.lr = -1);
        Assert.Equal(0.01, optimizer.lr);
    }

    /// <summary>The fixture's problem: mean((x Wᵀ + b − y)²) over a fixed batch, with W and b from the fixture.</summary>
    internal sealed class LeastSquares : IDisposable
    {
        private readonly Tensor x = FromFixture("x");
        private readonly Tensor y = FromFixture("y");
        public Tensor Weight { get; } = FromFixture("weight").requires_grad_();
        public Tensor Bias { get; } = FromFixture("bias").requires_grad_();

        public void Step(optim.Optimizer optimizer)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (x.matmul(Weight.t()) + Bias - y).pow(2).mean().backward();
            optimizer.step();
        }

        public double[] Flat() => [.. Weight.ToDoubleArray(), .. Bias.ToDoubleArray()];

        private static Tensor FromFixture(string name)
        {
            var e = Fixtures.GetProperty(name);
            return tensor(Values(e.GetProperty("values")), e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray());
        }

        public void Dispose()
        {
            x.Dispose();
            y.Dispose();
            Weight.Dispose();
            Bias.Dispose();
        }
    }

    private static double[] Values(JsonElement e) => PyTorchFixtures.Values(e);
}
