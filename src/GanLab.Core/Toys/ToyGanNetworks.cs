using GanLab.Torch;
using static GanLab.Torch.torch;
using static GanLab.Torch.torch.nn;
// The GAN has a Generator; libtorch calls its random stream a Generator too.
using RandomStream = GanLab.Torch.Generator;

namespace GanLab.Core.Toys;

/// <summary>
/// The toys' networks, GAN Lab's picture in code: small fully connected nets with LeakyReLU between layers.
/// G ends in a plain linear layer (no tanh): toy data spans ±4 or more, and squashing it would bend the
/// warped manifold for no reason. D ends in one raw output (a logit for the BCE losses).
/// Weights are drawn from <c>init</c>, so a seed fixes them.
/// </summary>
public static class ToyGanNetworks
{
    public sealed class Generator : Module<Tensor, Tensor>
    {
        private readonly Sequential net;

        public Generator(int latentSize, int dimensions, int hidden, int layers, double leakySlope, RandomStream? init = null) =>
            net = register_module("net", Mlp(latentSize, dimensions, hidden, layers, leakySlope, init));

        /// <summary>z [batch, latent] → points [batch, 1 or 2].</summary>
        public override Tensor forward(Tensor z) => net.forward(z);
    }

    public sealed class Discriminator : Module<Tensor, Tensor>
    {
        private readonly Sequential net;

        public Discriminator(int dimensions, int hidden, int layers, double leakySlope, RandomStream? init = null) =>
            net = register_module("net", Mlp(dimensions, 1, hidden, layers, leakySlope, init));

        /// <summary>points [batch, 1 or 2] → raw outputs [batch, 1]; D(x) is their sigmoid for the BCE losses.</summary>
        public override Tensor forward(Tensor points) => net.forward(points);
    }

    private static Sequential Mlp(int inputs, int outputs, int hidden, int layers, double leakySlope, RandomStream? init)
    {
        var named = new List<(string, Module<Tensor, Tensor>)>();
        var width = inputs;
        for (var i = 1; i <= layers; i++)
        {
            named.Add(($"fc{i}", new Linear(width, hidden, generator: init)));
            named.Add(($"act{i}", new LeakyReLU(leakySlope)));
            width = hidden;
        }
        named.Add(("out", new Linear(width, outputs, generator: init)));
        return new Sequential(named.ToArray());
    }
}
