using System.Text;
using System.Text.Json.Nodes;
using static GanLab.Torch.torch;
using static GanLab.Torch.Tests.ModuleStateTests;

namespace GanLab.Torch.Tests;

/// <summary>
/// GanLab's checkpoint format: round trips, exact resumption, and damaged or mismatched files that must fail
/// with a clear message while leaving the model and optimizer exactly as they were.
/// </summary>
public sealed class CheckpointTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("ganlab-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string PathOf(string name) => Path.Combine(directory, name);

    private static JsonObject RunMetadata(long step) => new()
    {
        ["options"] = new JsonObject { ["seed"] = 42, ["learning_rate"] = 2e-4, ["dataset"] = "mnist" },
        ["step"] = step,
    };

    [Fact]
    public void Crc32_matches_the_standard_check_value() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public void Save_then_load_restores_every_tensor_the_learning_rate_and_the_metadata()
    {
        using var model = Model(generator: new Generator(1));
        using var optimizer = MakeOptimizer("adam", model.parameters());
        TrainSteps(model, optimizer, 3);
        using (no_grad()) model.state_dict()["norm.num_batches_tracked"].fill_(3);
        optimizer.lr = 1e-3;
        var path = PathOf("run.ganlab");
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["model"] = model },
            new Dictionary<string, optim.Optimizer> { ["optimizer"] = optimizer }, RunMetadata(3));

        using var loaded = Model(generator: new Generator(2));
        using var loadedOptimizer = MakeOptimizer("adam", loaded.parameters());
        var metadata = Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["model"] = loaded },
            new Dictionary<string, optim.Optimizer> { ["optimizer"] = loadedOptimizer });

        Assert.Equal(Snapshot(model), Snapshot(loaded));
        Assert.Equal(ScalarType.Int64, loaded.state_dict()["norm.num_batches_tracked"].dtype);
        Assert.Equal(1e-3, loadedOptimizer.lr);
        using (var expected = optimizer.state_dict())
        using (var actual = loadedOptimizer.state_dict())
        {
            Assert.Equal(expected.state.Keys, actual.state.Keys);
            foreach (var (index, fields) in expected.state)
            foreach (var (field, tensor) in fields)
                Assert.Equal(tensor.ToDoubleArray(), actual.state[index][field].ToDoubleArray());
        }
        Assert.True(JsonNode.DeepEquals(RunMetadata(3), metadata));
        Assert.True(JsonNode.DeepEquals(RunMetadata(3), Checkpoint.ReadMetadata(path)));
    }

    [Fact]
    public void Loose_tensors_come_back_by_key_with_their_dtype_shape_and_bytes()
    {
        using var model = Model(generator: new Generator(1));
        using var random = new Generator(4);
        using var state = random.get_state();
        using var order = randperm(10, generator: random);
        var path = PathOf("run.ganlab");
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["model"] = model }, metadata: RunMetadata(1),
            tensors: new Dictionary<string, Tensor> { ["random_state"] = state, ["epoch_order"] = order });

        var metadata = Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["model"] = model }, null, out var tensors);
        using var loadedState = tensors["random_state"];
        using var loadedOrder = tensors["epoch_order"];

        Assert.Equal(["epoch_order", "random_state"], tensors.Keys.Order());
        Assert.Equal(ScalarType.Byte, loadedState.dtype);
        Assert.Equal(state.shape, loadedState.shape);
        Assert.Equal(state.ToInt64Array(), loadedState.ToInt64Array());
        Assert.Equal(ScalarType.Int64, loadedOrder.dtype);
        Assert.Equal(order.ToInt64Array(), loadedOrder.ToInt64Array());
        Assert.True(JsonNode.DeepEquals(RunMetadata(1), metadata));
    }

    [Theory]
    [MemberData(nameof(OptimizerKinds), MemberType = typeof(ModuleStateTests))]
    public void Training_N_steps_saving_loading_and_training_M_more_equals_training_N_plus_M(string kind)
    {
        using var straight = Model(generator: new Generator(5));
        using var straightOptimizer = MakeOptimizer(kind, straight.parameters());
        TrainSteps(straight, straightOptimizer, 10);

        var path = PathOf($"{kind}.ganlab");
        using (var first = Model(generator: new Generator(5)))
        using (var firstOptimizer = MakeOptimizer(kind, first.parameters()))
        {
            TrainSteps(first, firstOptimizer, 6);
            Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["model"] = first },
                new Dictionary<string, optim.Optimizer> { ["optimizer"] = firstOptimizer }, RunMetadata(6));
        }
        using var resumed = Model(generator: new Generator(77));
        using var resumedOptimizer = MakeOptimizer(kind, resumed.parameters());
        var metadata = Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["model"] = resumed },
            new Dictionary<string, optim.Optimizer> { ["optimizer"] = resumedOptimizer });
        TrainSteps(resumed, resumedOptimizer, 10 - metadata!["step"]!.GetValue<int>());

        Assert.Equal(Snapshot(straight), Snapshot(resumed));
    }

    [Theory]
    [MemberData(nameof(DeviceTests.AvailableDevices), MemberType = typeof(DeviceTests))]
    public void A_run_on_any_device_resumes_exactly_and_stays_on_its_device(string deviceName)
    {
        var device = Device.Parse(deviceName);
        using var straight = Model(generator: new Generator(5));
        straight.to(device);
        using var straightOptimizer = MakeOptimizer("adam", straight.parameters());
        TrainSteps(straight, straightOptimizer, 7, device);

        var path = PathOf("device.ganlab");
        using (var first = Model(generator: new Generator(5)))
        {
            first.to(device);
            using var firstOptimizer = MakeOptimizer("adam", first.parameters());
            TrainSteps(first, firstOptimizer, 4, device);
            Checkpoint.Save(path, Modules(first), Optimizers(firstOptimizer));
        }
        using var resumed = Model(generator: new Generator(6));
        resumed.to(device);
        using var resumedOptimizer = MakeOptimizer("adam", resumed.parameters());
        Checkpoint.Load(path, Modules(resumed), Optimizers(resumedOptimizer));
        Assert.All(resumed.state_dict().Values, t => Assert.Equal(device.Type, t.device.Type));
        TrainSteps(resumed, resumedOptimizer, 3, device);

        Assert.Equal(Snapshot(straight), Snapshot(resumed));
    }

    /// <summary>A model and optimizer with a checkpoint on disk, and a second pair that any failed load must leave untouched.</summary>
    private sealed class Fixture : IDisposable
    {
        public readonly nn.Sequential Saved = Model(generator: new Generator(1));
        public readonly optim.Optimizer SavedOptimizer;
        public readonly nn.Sequential Target;
        public readonly optim.Optimizer TargetOptimizer;
        public readonly string Path;
        private readonly Dictionary<string, double[]> before;
        private readonly Dictionary<int, double[]> optimizerBefore;

        public Fixture(string path, long targetHidden = 3)
        {
            Path = path;
            SavedOptimizer = MakeOptimizer("adam", Saved.parameters());
            TrainSteps(Saved, SavedOptimizer, 2);
            Checkpoint.Save(path, Modules(Saved), Optimizers(SavedOptimizer), RunMetadata(2));
            Target = Model(hidden: targetHidden, generator: new Generator(9));
            TargetOptimizer = MakeOptimizer("adam", Target.parameters());
            TrainSteps(Target, TargetOptimizer, 1);
            TargetOptimizer.lr = 0.123;
            before = Snapshot(Target);
            optimizerBefore = OptimizerSnapshot(TargetOptimizer);
        }

        public CheckpointException LoadFails() =>
            Assert.Throws<CheckpointException>(() => Checkpoint.Load(Path, Modules(Target), Optimizers(TargetOptimizer)));

        public void AssertTargetUnchanged()
        {
            Assert.Equal(before, Snapshot(Target));
            Assert.Equal(optimizerBefore, OptimizerSnapshot(TargetOptimizer));
            Assert.Equal(0.123, TargetOptimizer.lr);
        }

        private static Dictionary<int, double[]> OptimizerSnapshot(optim.Optimizer optimizer)
        {
            using var scope = NewDisposeScope();
            using var state = optimizer.state_dict();
            return state.state.ToDictionary(s => s.Key, s => s.Value.OrderBy(f => f.Key).SelectMany(f => f.Value.to(ScalarType.Float64).ToDoubleArray()).ToArray());
        }

        public void Dispose()
        {
            Saved.Dispose();
            SavedOptimizer.Dispose();
            Target.Dispose();
            TargetOptimizer.Dispose();
        }
    }

    private static Dictionary<string, nn.Module> Modules(nn.Module model) => new() { ["model"] = model };
    private static Dictionary<string, optim.Optimizer> Optimizers(optim.Optimizer optimizer) => new() { ["optimizer"] = optimizer };

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.99)]
    [InlineData(0.01)]
    public void A_truncated_file_says_where_it_ends_and_changes_nothing(double keep)
    {
        using var f = new Fixture(PathOf("run.ganlab"));
        var bytes = File.ReadAllBytes(f.Path);
        var length = (int)(bytes.Length * keep);
        File.WriteAllBytes(f.Path, bytes[..length]);

        var error = f.LoadFails();

        Assert.Contains($"file truncated at byte {length}", error.Message);
        Assert.Contains(f.Path, error.Message);
        f.AssertTargetUnchanged();
    }

    [Fact]
    public void A_flipped_byte_fails_the_checksum_and_changes_nothing()
    {
        using var f = new Fixture(PathOf("run.ganlab"));
        var bytes = File.ReadAllBytes(f.Path);
        bytes[bytes.Length - 40] ^= 0x10; // inside the last tensor's data
        File.WriteAllBytes(f.Path, bytes);

        var error = f.LoadFails();

        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains("corrupted", error.Message);
        f.AssertTargetUnchanged();
    }

    [Fact]
    public void A_file_of_another_shape_names_the_tensor_and_both_shapes_and_changes_nothing()
    {
        using var f = new Fixture(PathOf("run.ganlab"), targetHidden: 5);

        var error = f.LoadFails();

        Assert.Contains("module 'model': size mismatch for 'body.weight': the saved tensor has shape [3, 4], this model's has [5, 4]", error.Message);
        Assert.Contains("optimizer 'optimizer': parameter 0: 'exp_avg' has shape [3, 4] but the parameter has shape [5, 4]", error.Message);
        Assert.Contains("nothing was loaded", error.Message);
        f.AssertTargetUnchanged();
    }

    [Fact]
    public void A_module_or_optimizer_missing_from_the_file_is_named()
    {
        using var f = new Fixture(PathOf("run.ganlab"));
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(f.Path,
            new Dictionary<string, nn.Module> { ["generator"] = f.Target },
            new Dictionary<string, optim.Optimizer> { ["generator_optimizer"] = f.TargetOptimizer }));
        Assert.Contains("module 'generator' is not in the file (it holds 'model')", error.Message);
        Assert.Contains("optimizer 'generator_optimizer' is not in the file (it holds 'optimizer')", error.Message);
        f.AssertTargetUnchanged();
    }

    [Fact]
    public void A_file_that_is_not_a_checkpoint_is_named_as_such()
    {
        var path = PathOf("notes.txt");
        File.WriteAllText(path, "these are not the tensors you are looking for");
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.ReadMetadata(path));
        Assert.Contains("not a GanLab checkpoint", error.Message);
    }

    [Fact]
    public void Loading_only_part_of_a_checkpoint_is_allowed()
    {
        using var generator = Model(generator: new Generator(1));
        using var discriminator = Model(generator: new Generator(2));
        var path = PathOf("gan.ganlab");
        Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["generator"] = generator, ["discriminator"] = discriminator });

        using var sampler = Model(generator: new Generator(3));
        Checkpoint.Load(path, new Dictionary<string, nn.Module> { ["generator"] = sampler });

        Assert.Equal(Snapshot(generator), Snapshot(sampler));
    }

    [Fact]
    public void Saving_replaces_the_old_file_whole_and_a_failed_save_keeps_it_and_leaves_no_temporary_file()
    {
        var path = PathOf("run.ganlab");
        using var model = Model(generator: new Generator(1));
        Checkpoint.Save(path, Modules(model), metadata: RunMetadata(1));
        Checkpoint.Save(path, Modules(model), metadata: RunMetadata(2));
        Assert.Equal(2, Checkpoint.ReadMetadata(path)!["step"]!.GetValue<int>());
        var good = File.ReadAllBytes(path);

        // A module whose tensor was freed fails half-way through writing.
        using var broken = Model(generator: new Generator(2));
        broken.state_dict()["head.bias"].Dispose();
        Assert.Throws<ObjectDisposedException>(() => Checkpoint.Save(path, Modules(broken), metadata: RunMetadata(3)));

        Assert.Equal(good, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory));
    }

    [Fact]
    public void Keys_with_a_slash_are_refused_before_anything_is_written()
    {
        var path = PathOf("run.ganlab");
        using var model = Model();
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(path, new Dictionary<string, nn.Module> { ["g/d"] = model }));
        Assert.Contains("no '/'", error.Message);
        Assert.Empty(Directory.GetFiles(directory));
    }

    [Fact]
    public void The_file_starts_with_the_magic_and_format_version()
    {
        var path = PathOf("run.ganlab");
        using var model = Model();
        Checkpoint.Save(path, Modules(model));
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("GANLABCK", Encoding.ASCII.GetString(bytes, 0, 8));
        Assert.Equal(Checkpoint.FormatVersion, BitConverter.ToInt32(bytes, 8));
    }
}

[Collection(nameof(NativeMemory))]
public class CheckpointMemoryTests
{
    [Fact]
    public void Save_and_load_cycles_leave_the_live_tensor_count_flat()
    {
        var path = Path.Combine(Path.GetTempPath(), $"ganlab-leak-{Guid.NewGuid():N}.ganlab");
        try
        {
            using var model = Model(generator: new Generator(1));
            using var optimizer = MakeOptimizer("adam", model.parameters());
            TrainSteps(model, optimizer, 2);
            var modules = new Dictionary<string, nn.Module> { ["model"] = model };
            var optimizers = new Dictionary<string, optim.Optimizer> { ["optimizer"] = optimizer };
            Checkpoint.Save(path, modules, optimizers);
            Checkpoint.Load(path, modules, optimizers);
            // Tensors other tests left to the finalizer must not be counted as freed by this loop.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = LiveTensorCount;
            for (var i = 0; i < 50; i++)
            {
                Checkpoint.Save(path, modules, optimizers, new JsonObject { ["step"] = i });
                Checkpoint.Load(path, modules, optimizers);
                using var state = optimizer.state_dict();
                optimizer.load_state_dict(state);
                model.load_state_dict(model.state_dict());
            }
            Assert.Equal(before, LiveTensorCount);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
