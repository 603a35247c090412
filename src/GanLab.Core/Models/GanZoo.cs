using GanLab.Torch;
using static GanLab.Torch.torch.nn;
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Models;

/// <summary>A Generator and a Discriminator that train together, and the shape of one image as D takes it.</summary>
public sealed record GanPair(Module<Tensor, Tensor> Generator, Module<Tensor, Tensor> Discriminator, long[] ImageShape) : IDisposable
{
    public void Dispose()
    {
        Generator.Dispose();
        Discriminator.Dispose();
    }
}

/// <summary>The architectures a run can name in its options, by the names the lessons use.</summary>
public static class GanZoo
{
    public static IReadOnlyList<string> Names { get; } = ["mlp-gan", "dcgan"];

    /// <param name="init">draws the initial weights (a CPU stream)</param>
    /// <param name="masks">draws dropout masks (a stream on the training device)</param>
    public static GanPair Create(string name, int latentSize, double leakySlope, double dropout, RandomStream init, RandomStream masks) => name switch
    {
        "mlp-gan" => new GanPair(
            new MlpGan.Generator(latentSize, leakySlope, dropout, init, masks),
            new MlpGan.Discriminator(leakySlope, dropout, init, masks),
            [MlpGan.ImagePixels]),
        "dcgan" => new GanPair(
            new Dcgan.Generator(latentSize, leakySlope, init),
            new Dcgan.Discriminator(leakySlope, dropout, init, masks),
            [1, Dcgan.Side, Dcgan.Side]),
        _ => throw new ArgumentException($"model '{name}' is unknown; allowed: {string.Join(", ", Names)}"),
    };
}
