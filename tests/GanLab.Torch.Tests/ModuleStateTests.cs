using static GanLab.Torch.torch;

namespace GanLab.Torch.Tests;

/// <summary>state_dict, load_state_dict and parameter counts of modules; optimizer state_dict round trips.</summary>
public class ModuleStateTests
{
    /// <summary>A layer with a buffer, standing in for BatchNorm's running statistics.</summary>
    internal sealed class Normalizer : nn.Module<Tensor, Tensor>
    {
        public Normalizer(long features)
        {
            weight = register_parameter("weight", ones([features]));
            running_mean = register_buffer("running_mean", zeros([features]));
            num_batches_tracked = register_buffer("num_batches_tracked", tensor(new long[] { 0 }, []));
        }

        public Tensor weight { get; }
        public Tensor running_mean { get; }
        public Tensor num_batches_tracked { get; }

        public override Tensor forward(Tensor input)
        {
            using var centred = input - running_mean;
            return centred * weight;
        }
    }

    internal static nn.Sequential Model(long hidden = 3, Generator? generator = null) =>
        new(("body", new nn.Linear(4, hidden, generator: generator)), ("norm", new Normalizer(hidden)), ("head", new nn.Linear(hidden, 1, generator: generator)));

    [Fact]
    public void State_dict_lists_parameters_then_buffers_per_module_in_registration_order()
    {
        using var model = Model();
        Assert.Equal(["body.weight", "body.bias", "norm.weight", "norm.running_mean", "norm.num_batches_tracked", "head.weight", "head.bias"],
            model.state_dict().Keys);
        Assert.Same(model.named_parameters().First().Parameter, model.state_dict()["body.weight"]);
    }

    [Fact]
    public void Counts_separate_trainable_frozen_parameters_and_buffers()
    {
        using var model = Model();
        var body = 4 * 3 + 3;
        var norm = 3;
        var head = 3 + 1;
        Assert.Equal(body + norm + head, model.parameter_count());
        Assert.Equal(body + norm + head, model.parameter_count(trainable: true));
        Assert.Equal(0, model.parameter_count(trainable: false));
        Assert.Equal(3 + 1, model.buffer_count());

        ((nn.Module)model.Layers[0]).requires_grad_(false);
        Assert.Equal(norm + head, model.parameter_count(trainable: true));
        Assert.Equal(body, model.parameter_count(trainable: false));
        Assert.Equal(body + norm + head, model.parameter_count());
    }

    [Fact]
    public void Load_state_dict_copies_values_into_the_existing_tensors()
    {
        using var source = Model(generator: new Generator(1));
        using var target = Model(generator: new Generator(2));
        var weightBefore = target.state_dict()["body.weight"];
        using (no_grad()) source.state_dict()["norm.running_mean"].fill_(0.25);

        target.load_state_dict(source.state_dict());

        Assert.Same(weightBefore, target.state_dict()["body.weight"]);
        foreach (var (name, tensor) in source.state_dict())
            Assert.Equal(tensor.ToDoubleArray(), target.state_dict()[name].ToDoubleArray());
        Assert.True(target.state_dict()["body.weight"].requires_grad, "loading must not detach parameters from autograd");
    }

    [Fact]
    public void A_mismatched_state_dict_names_every_problem_and_changes_nothing()
    {
        using var wide = Model(hidden: 5, generator: new Generator(1));
        using var model = Model(hidden: 3, generator: new Generator(2));
        var before = Snapshot(model);
        var state = new Dictionary<string, Tensor>(wide.state_dict());
        state.Remove("head.bias");
        using var extra = zeros([1]);
        state["head.scale"] = extra;

        var error = Assert.Throws<ArgumentException>(() => model.load_state_dict(state));

        Assert.Contains("size mismatch for 'body.weight': the saved tensor has shape [5, 4], this model's has [3, 4]", error.Message);
        Assert.Contains("missing key 'head.bias'", error.Message);
        Assert.Contains("unexpected key 'head.scale'", error.Message);
        Assert.Equal(before, Snapshot(model));
    }

    internal static Dictionary<string, double[]> Snapshot(nn.Module module) =>
        module.state_dict().ToDictionary(s => s.Key, s => s.Value.ToDoubleArray());

    public static TheoryData<string> OptimizerKinds() => ["sgd", "rmsprop", "adam"];

    internal static optim.Optimizer MakeOptimizer(string kind, IEnumerable<Tensor> parameters) => kind switch
    {
        "sgd" => new optim.SGD(parameters, lr: 0.05, momentum: 0.9, nesterov: true),
        "rmsprop" => new optim.RMSprop(parameters, lr: 0.01, momentum: 0.5, centered: true),
        "adam" => new optim.Adam(parameters, lr: 0.02, beta1: 0.5),
        _ => throw new ArgumentException(kind),
    };

    /// <summary>A fixed regression batch: the same data every call, so two runs can be compared bit for bit.</summary>
    internal static void TrainSteps(nn.Sequential model, optim.Optimizer optimizer, int steps, Device? device = null)
    {
        using var random = new Generator(7);
        using var xCpu = randn([8, 4], generator: random);
        using var yCpu = randn([8, 1], generator: random);
        using var x = xCpu.to(device ?? Device.CPU);
        using var y = yCpu.to(device ?? Device.CPU);
        for (var i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            (model.forward(x) - y).pow(2).mean().backward();
            optimizer.step();
        }
    }

    [Theory]
    [MemberData(nameof(OptimizerKinds))]
    public void Optimizer_state_dict_round_trip_continues_exactly(string kind)
    {
        using var straight = Model(generator: new Generator(3));
        using var straightOptimizer = MakeOptimizer(kind, straight.parameters());
        TrainSteps(straight, straightOptimizer, 7);

        using var first = Model(generator: new Generator(3));
        using var firstOptimizer = MakeOptimizer(kind, first.parameters());
        TrainSteps(first, firstOptimizer, 4);
        using var resumed = Model(generator: new Generator(99));
        using var resumedOptimizer = MakeOptimizer(kind, resumed.parameters());
        resumed.load_state_dict(first.state_dict());
        using (var state = firstOptimizer.state_dict()) resumedOptimizer.load_state_dict(state);
        TrainSteps(resumed, resumedOptimizer, 3);

        Assert.Equal(Snapshot(straight), Snapshot(resumed));
    }

    [Fact]
    public void Optimizer_state_of_another_kind_or_shape_is_refused_and_changes_nothing()
    {
        using var model = Model(generator: new Generator(3));
        using var adam = MakeOptimizer("adam", model.parameters());
        TrainSteps(model, adam, 2);
        using var sgdModel = Model(generator: new Generator(3));
        using var sgd = MakeOptimizer("sgd", sgdModel.parameters());
        using var adamState = adam.state_dict();

        var wrongKind = Assert.Throws<ArgumentException>(() => sgd.load_state_dict(adamState));
        Assert.Contains("the state is Adam's but this optimizer is SGD", wrongKind.Message);

        using var wide = Model(hidden: 5);
        using var wideAdam = MakeOptimizer("adam", wide.parameters());
        TrainSteps(wide, wideAdam, 1);
        using var before = adam.state_dict();
        using var wideState = wideAdam.state_dict();
        var wrongShape = Assert.Throws<ArgumentException>(() => adam.load_state_dict(wideState));
        Assert.Contains("parameter 0: 'exp_avg' has shape [5, 4] but the parameter has shape [3, 4]", wrongShape.Message);
        using var after = adam.state_dict();
        Assert.Equal(before.state[0]["exp_avg"].ToDoubleArray(), after.state[0]["exp_avg"].ToDoubleArray());
        Assert.Equal(before.state[0]["step"].ToInt64Array(), after.state[0]["step"].ToInt64Array());
    }

    [Fact]
    public void A_fresh_optimizer_has_no_state_and_loading_an_empty_state_resets_one()
    {
        using var model = Model();
        using var optimizer = MakeOptimizer("adam", model.parameters());
        using (var empty = optimizer.state_dict()) Assert.Empty(empty.state);
        using var fresh = optimizer.state_dict();
        TrainSteps(model, optimizer, 1);
        using (var stepped = optimizer.state_dict()) Assert.Equal(model.parameters().Count(), stepped.state.Count);
        optimizer.lr = 0.5;
        optimizer.load_state_dict(fresh);
        using (var reset = optimizer.state_dict()) Assert.Empty(reset.state);
        Assert.Equal(0.02, optimizer.lr);
    }
}
