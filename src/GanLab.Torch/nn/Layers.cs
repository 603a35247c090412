using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>y = x Wᵀ + b, initialised as PyTorch does (uniform in ±1/√fan_in).</summary>
        public sealed class Linear : Module<Tensor, Tensor>, IWeightedLayer
        {
            public Linear(long in_features, long out_features, bool bias = true, Generator? generator = null)
            {
                InFeatures = in_features;
                OutFeatures = out_features;
                // PyTorch's kaiming_uniform_(a=√5) works out to this bound for weight and bias alike.
                var bound = 1.0 / Math.Sqrt(in_features);
                weight = register_parameter("weight", empty([out_features, in_features]).uniform_(-bound, bound, generator));
                if (bias) this.bias = register_parameter("bias", empty([out_features]).uniform_(-bound, bound, generator));
            }

            public long InFeatures { get; }
            public long OutFeatures { get; }
            public Tensor weight { get; }
            public Tensor? bias { get; }

            public override Tensor forward(Tensor input) => F.linear(input, weight, bias);
            public Tensor forward_with_weight(Tensor input, Tensor weight) => F.linear(input, weight, bias);
        }

        public sealed class LeakyReLU(double negative_slope = 0.01) : Module<Tensor, Tensor>
        {
            public double NegativeSlope { get; } = negative_slope;
            public override Tensor forward(Tensor input) => F.leaky_relu(input, NegativeSlope);
        }

        public sealed class ReLU : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => F.relu(input);
        }

        public sealed class Tanh : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => F.tanh(input);
        }

        public sealed class Sigmoid : Module<Tensor, Tensor>
        {
            public override Tensor forward(Tensor input) => F.sigmoid(input);
        }

        /// <summary>Zeroes each input with probability p while training (scaling the rest by 1/(1−p)); identity in eval mode.</summary>
        public sealed class Dropout(double p = 0.5, Generator? generator = null) : Module<Tensor, Tensor>
        {
            public double P { get; } = p is >= 0 and < 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1)");
            public override Tensor forward(Tensor input) => F.dropout(input, P, training, generator);
        }

        /// <summary>Runs its layers in order. Intermediate activations are disposed as soon as the next layer has used them.</summary>
        public sealed class Sequential : Module<Tensor, Tensor>
        {
            private readonly List<Module<Tensor, Tensor>> layers = new();

            public Sequential(params (string Name, Module<Tensor, Tensor> Layer)[] named)
            {
                foreach (var (name, layer) in named) layers.Add(register_module(name, layer));
            }

            public Sequential(params Module<Tensor, Tensor>[] unnamed)
            {
                for (var i = 0; i < unnamed.Length; i++) layers.Add(register_module(i.ToString(), unnamed[i]));
            }

            public IReadOnlyList<Module<Tensor, Tensor>> Layers => layers;

            public override Tensor forward(Tensor input)
            {
                var x = input;
                foreach (var layer in layers)
                {
                    var next = layer.forward(x);
                    // Autograd keeps what it needs alive natively; our handle to the intermediate can go now.
                    if (!ReferenceEquals(x, input) && !ReferenceEquals(next, x)) x.Dispose();
                    x = next;
                }
                return x;
            }
        }
    }
}
