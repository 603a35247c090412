using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

[Collection(nameof(NativeMemory))]
public class GanMemoryTests
{
    [Fact]
    public void Two_hundred_DCGAN_steps_leave_the_live_tensor_count_flat()
    {
        using var gan = new SmallDcgan(seed: 3);
        long afterWarmup = 0;
        for (var step = 0; step < 200; step++)
        {
            if (step == 5) afterWarmup = LiveTensors.Settled();
            gan.Step();
        }
        Assert.Equal(afterWarmup, LiveTensors.Settled());
    }

    [Fact]
    public void WGAN_GP_steps_with_a_spectrally_normalised_critic_and_clipping_leave_the_count_flat()
    {
        using var random = new Generator(4);
        using var critic = new nn.Sequential(
            nn.utils.spectral_norm(new nn.Conv2d(1, 8, 4, stride: 2, padding: 1, generator: random), generator: random), new nn.LeakyReLU(0.2),
            new nn.Flatten(), nn.utils.spectral_norm(new nn.Linear(8 * 4 * 4, 1, generator: random), generator: random));
        using var optimizer = new optim.Adam(critic.parameters(), 1e-4, 0.5, 0.9);
        long afterWarmup = 0;
        for (var step = 0; step < 100; step++)
        {
            if (step == 5) afterWarmup = LiveTensors.Settled();
            using var scope = NewDisposeScope();
            var real = rand([4, 1, 8, 8], generator: random);
            var fake = rand([4, 1, 8, 8], generator: random);
            var alpha = rand([4, 1, 1, 1], generator: random);
            var xHat = (alpha * real + (1.0 - alpha) * fake).requires_grad_();
            optimizer.zero_grad();
            var loss = critic.forward(fake).mean() - critic.forward(real).mean()
                     + 10.0 * GanOpsAgainstPyTorchTests.GradientPenalty(xHat, critic.forward);
            loss.backward();
            optimizer.step();
            foreach (var p in critic.parameters()) p.clamp_(-0.5, 0.5);
        }
        Assert.Equal(afterWarmup, LiveTensors.Settled());
    }
}

public class GanDeterminismTests
{
    private static List<(double, double)> Losses(ulong seed, int steps = 5)
    {
        using var gan = new SmallDcgan(seed);
        return Enumerable.Range(0, steps).Select(_ => gan.Step()).ToList();
    }

    [Fact]
    public void The_same_seed_gives_the_same_DCGAN_losses_and_another_seed_does_not()
    {
        var first = Losses(21);
        Assert.Equal(first, Losses(21));
        Assert.NotEqual(first, Losses(22));
    }

    [Theory]
    [MemberData(nameof(DeviceTests.AvailableDevices), MemberType = typeof(DeviceTests))]
    public void A_DCGAN_trains_on_every_device(string deviceName)
    {
        using var gan = new SmallDcgan(seed: 8, Device.Parse(deviceName));
        Assert.All(gan.G.parameters().Concat(gan.D.parameters()), p => Assert.Equal(gan.Device.Type, p.device.Type));
        var before = gan.G.parameters().First().ToFloatArray();
        var (lossD, lossG) = gan.Step();
        Assert.True(double.IsFinite(lossD) && double.IsFinite(lossG));
        Assert.NotEqual(before, gan.G.parameters().First().ToFloatArray());
    }
}
