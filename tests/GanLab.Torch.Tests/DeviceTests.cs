using static GanLab.Torch.torch;

namespace GanLab.Torch.Tests;

/// <summary>
/// Runs on every device this machine has: the CPU always, CUDA where the shim was built against a
/// CUDA libtorch and a GPU answers. The same test passes on a CPU-only machine and covers CUDA on a GPU one.
/// </summary>
public class DeviceTests
{
    public static TheoryData<string> AvailableDevices()
    {
        var devices = new TheoryData<string> { "cpu" };
        if (cuda.is_available()) devices.Add("cuda");
        return devices;
    }

    [Theory]
    [MemberData(nameof(AvailableDevices))]
    public void A_training_step_runs_and_moving_a_module_keeps_its_optimizer_valid(string deviceName)
    {
        var device = Device.Parse(deviceName);
        using var scope = NewDisposeScope();
        using var model = new nn.Linear(4, 1);
        using var optimizer = new optim.Adam(model.parameters(), 0.1);
        model.to(device);
        Assert.All(model.parameters(), p => Assert.Equal(device.Type, p.device.Type));
        var before = model.weight.ToFloatArray();
        var x = randn([8, 4], device: device);
        nn.functional.mse_loss(model.forward(x), zeros([8, 1], device: device)).backward();
        optimizer.step();
        Assert.NotEqual(before, model.weight.ToFloatArray());
    }

    [Fact]
    public void The_version_and_cuda_report_are_real()
    {
        Assert.Matches(@"^\d+\.\d+", version);
        Assert.True(cuda.device_count() >= 0);
        Assert.Equal(cuda.device_count() > 0, cuda.is_available());
    }

    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, 0)]
    [InlineData("cuda:2", DeviceType.CUDA, 2)]
    public void Devices_parse_like_PyTorch(string text, DeviceType type, int index)
    {
        var d = Device.Parse(text);
        Assert.Equal(type, d.Type);
        Assert.Equal(index, d.Index);
    }

    [Fact]
    public void A_bad_device_name_says_what_is_allowed()
    {
        var error = Assert.Throws<ArgumentException>(() => Device.Parse("tpu"));
        Assert.Contains("cpu, cuda or cuda:N", error.Message);
    }
}
