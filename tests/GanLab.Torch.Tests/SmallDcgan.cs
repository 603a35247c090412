using static GanLab.Torch.torch;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch.Tests;

/// <summary>
/// A DCGAN shrunk to 16×16 images (G: Linear → 32×4×4, BN, ConvT ×2; D: Conv ×2, BN, LeakyReLU, Linear) on
/// synthetic data: small enough for hundreds of steps in a test, with every layer type the course's DCGANs use.
/// </summary>
internal sealed class SmallDcgan : IDisposable
{
    public const int Batch = 8;
    public const int Latent = 8;

    private readonly Generator random;
    private readonly Tensor realTarget;
    private readonly Tensor fakeTarget;
    private readonly optim.Adam gOptimizer;
    private readonly optim.Adam dOptimizer;

    public SmallDcgan(ulong seed, Device? device = null)
    {
        Device = device ?? Device.CPU;
        random = new Generator(seed);
        G = new nn.Sequential(
            new nn.Linear(Latent, 32 * 4 * 4, generator: random), new nn.Unflatten(1, [32, 4, 4]), new nn.BatchNorm2d(32), new nn.ReLU(),
            new nn.ConvTranspose2d(32, 16, 4, stride: 2, padding: 1, bias: false, generator: random), new nn.BatchNorm2d(16), new nn.ReLU(),
            new nn.ConvTranspose2d(16, 1, 4, stride: 2, padding: 1, generator: random), new nn.Tanh());
        D = new nn.Sequential(
            new nn.Conv2d(1, 16, 4, stride: 2, padding: 1, generator: random), new nn.LeakyReLU(0.2),
            new nn.Conv2d(16, 32, 4, stride: 2, padding: 1, bias: false, generator: random), new nn.BatchNorm2d(32), new nn.LeakyReLU(0.2),
            new nn.Flatten(), new nn.Linear(32 * 4 * 4, 1, generator: random));
        G.to(Device);
        D.to(Device);
        gOptimizer = new optim.Adam(G.parameters(), 2e-4, 0.5);
        dOptimizer = new optim.Adam(D.parameters(), 2e-4, 0.5);
        realTarget = full([Batch, 1], 0.9, device: Device).DetachFromDisposeScope();
        fakeTarget = zeros([Batch, 1], device: Device).DetachFromDisposeScope();
    }

    public Device Device { get; }
    public nn.Sequential G { get; }
    public nn.Sequential D { get; }

    /// <summary>One D step and one G step on a synthetic batch (blurred noise); returns (Loss_D, Loss_G).</summary>
    public (double LossD, double LossG) Step()
    {
        using var scope = NewDisposeScope();
        var real = F.upsample_nearest(randn([Batch, 1, 8, 8], generator: random), 2).tanh().to(Device);
        var fake = G.forward(randn([Batch, Latent], generator: random).to(Device));

        // D step: maximise log D(x) + log(1 − D(G(z))), G's output detached.
        dOptimizer.zero_grad();
        var lossD = F.binary_cross_entropy_with_logits(D.forward(real), realTarget)
                  + F.binary_cross_entropy_with_logits(D.forward(fake.detach()), fakeTarget);
        lossD.backward();
        dOptimizer.step();

        // G step: maximise log D(G(z)) (the non-saturating loss), G's output attached.
        gOptimizer.zero_grad();
        var lossG = F.binary_cross_entropy_with_logits(D.forward(fake), realTarget);
        lossG.backward();
        gOptimizer.step();
        return (lossD.item(), lossG.item());
    }

    public void Dispose()
    {
        gOptimizer.Dispose();
        dOptimizer.Dispose();
        G.Dispose();
        D.Dispose();
        realTarget.Dispose();
        fakeTarget.Dispose();
        random.Dispose();
    }
}
