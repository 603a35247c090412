using static GanLab.Torch.torch;

namespace GanLab.Torch.Tests;

/// <summary>
/// A generator's state saved and restored continues the stream exactly: what a resumed training run relies on.
/// Runs on every device there is (the CPU's Mersenne Twister; CUDA's Philox seed and offset).
/// </summary>
public class GeneratorStateTests
{
    public static TheoryData<string> Devices() => DeviceTests.AvailableDevices();

    /// <summary>A mix of the draws a training step makes: big and small normals (small ones use libtorch's cached sample), uniforms, a permutation.</summary>
    private static double[] Draws(Generator g, Device device)
    {
        using var scope = NewDisposeScope();
        return [.. randn([37], device: device, generator: g).ToDoubleArray(),
                .. randn([3], device: device, generator: g).ToDoubleArray(),
                .. rand([5], device: device, generator: g).ToDoubleArray(),
                .. randperm(20, device, g).ToDoubleArray()];
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void Setting_a_saved_state_repeats_the_numbers_that_followed_it(string deviceName)
    {
        var device = Device.Parse(deviceName);
        using var g = new Generator(11, device);
        Draws(g, device);
        using var state = g.get_state();
        var first = Draws(g, device);
        var second = Draws(g, device);
        Assert.NotEqual(first, second); // the stream moves on...

        g.set_state(state);
        Assert.Equal(first, Draws(g, device)); // ...and the saved state takes it back, bit for bit
        Assert.Equal(second, Draws(g, device));
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void A_state_moves_to_a_generator_of_another_seed_through_bytes(string deviceName)
    {
        var device = Device.Parse(deviceName);
        using var original = new Generator(3, device);
        Draws(original, device);
        using var state = original.get_state();
        Assert.Equal(ScalarType.Byte, state.dtype);
        Assert.Equal(DeviceType.CPU, state.device.Type);
        // Through a plain array and back, as a checkpoint stores it.
        using var scope = NewDisposeScope();
        var copied = tensor(state.ToInt64Array(), state.shape).to(ScalarType.Byte);
        var expected = Draws(original, device);

        using var other = new Generator(999, device);
        other.set_state(copied);
        Assert.Equal(expected, Draws(other, device));
    }

    [Fact]
    public void A_state_of_the_wrong_type_is_refused_with_libtorchs_message()
    {
        using var g = new Generator(1);
        using var floats = zeros([16]);
        var error = Assert.Throws<TorchException>(() => g.set_state(floats));
        Assert.Contains("ByteTensor", error.Message);
    }
}
