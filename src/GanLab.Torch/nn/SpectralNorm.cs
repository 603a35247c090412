namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// Spectral normalization (Miyato et al. 2018), as torch.nn.utils.spectral_norm: the wrapped layer runs with
        /// weight / σ, σ the largest singular value of the weight seen as a matrix [size(dim), rest], estimated by power
        /// iteration. u and v persist as buffers, so one iteration per training step is enough: the estimate improves
        /// across steps while the weight changes slowly. In eval mode u and v are used as they are.
        /// Names differ from PyTorch's: the unnormalised weight stays the wrapped layer's "module.weight"
        /// (PyTorch's weight_orig); u and v are this wrapper's "weight_u" and "weight_v".
        /// </summary>
        public sealed class SpectralNorm : Module<Tensor, Tensor>
        {
            private readonly IWeightedLayer layer;
            private readonly Module<Tensor, Tensor> module;

            /// <param name="dim">The output dimension of the weight: by default 1 for ConvTranspose2d (its weight is [in, out, k, k]), else 0.</param>
            public SpectralNorm(Module<Tensor, Tensor> module, int n_power_iterations = 1, double eps = 1e-12, long? dim = null, Generator? generator = null)
            {
                layer = module as IWeightedLayer ?? throw new ArgumentException(
                    $"{module.GetType().Name} has no weight to normalise; spectral normalization wraps Linear, Conv2d, ConvTranspose2d or Embedding", nameof(module));
                if (n_power_iterations <= 0)
                    throw new ArgumentOutOfRangeException(nameof(n_power_iterations), n_power_iterations, "Expected n_power_iterations to be positive");
                this.module = register_module("module", module);
                NPowerIterations = n_power_iterations;
                Eps = eps;
                Dim = dim ?? (module is ConvTranspose2d ? 1 : 0);

                using var scope = NewDisposeScope();
                var weight = layer.weight;
                var h = weight.shape[Dim];
                var w = weight.numel() / h;
                weight_u = register_buffer("weight_u", Normalize(randn([h], weight.dtype, weight.device, generator: generator)));
                weight_v = register_buffer("weight_v", Normalize(randn([w], weight.dtype, weight.device, generator: generator)));
            }

            public Module<Tensor, Tensor> Module => module;
            public int NPowerIterations { get; }
            public double Eps { get; }
            public long Dim { get; }
            public Tensor weight_u { get; }
            public Tensor weight_v { get; }

            public override Tensor forward(Tensor input)
            {
                using var scope = NewDisposeScope();
                if (training) PowerIteration();
                return layer.forward_with_weight(input, NormalizedWeight()).MoveToOuterDisposeScope();
            }

            /// <summary>weight / σ with the current u and v, differentiable with respect to the weight (PyTorch's module.weight after a forward).</summary>
            public Tensor normalized_weight()
            {
                using var scope = NewDisposeScope();
                return NormalizedWeight().MoveToOuterDisposeScope();
            }

            private Tensor NormalizedWeight()
            {
                var weight = layer.weight;
                // Clones, so that the next step's in-place update of u and v cannot change what this graph saved.
                var u = weight_u.clone();
                var v = weight_v.clone();
                var sigma = u.matmul(WeightMatrix(weight).matmul(v));
                return weight / sigma;
            }

            private void PowerIteration()
            {
                using var noGrad = no_grad();
                var matrix = WeightMatrix(layer.weight);
                var transposed = matrix.t();
                for (var i = 0; i < NPowerIterations; i++)
                {
                    weight_v.copy_(Normalize(transposed.matmul(weight_u)));
                    weight_u.copy_(Normalize(matrix.matmul(weight_v)));
                }
            }

            private Tensor WeightMatrix(Tensor weight)
            {
                if (Dim != 0)
                {
                    var order = new List<long> { Dim };
                    for (long d = 0; d < weight.dim(); d++)
                        if (d != Dim) order.Add(d);
                    weight = weight.permute(order.ToArray());
                }
                return weight.reshape(weight.shape[0], -1);
            }

            // F.normalize for a vector: x / max(‖x‖, eps).
            private Tensor Normalize(Tensor x) => x / x.norm().clamp(Eps, double.PositiveInfinity);
        }

        public static class utils
        {
            /// <summary>Wraps a layer in spectral normalization, as torch.nn.utils.spectral_norm(module).</summary>
            public static SpectralNorm spectral_norm(Module<Tensor, Tensor> module, int n_power_iterations = 1, double eps = 1e-12, long? dim = null,
                Generator? generator = null) => new(module, n_power_iterations, eps, dim, generator);
        }
    }
}
