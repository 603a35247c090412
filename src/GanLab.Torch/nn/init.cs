namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Weight initialisation as torch.nn.init computes it: same gains, same fans, same bounds.</summary>
        public static class init
        {
            /// <summary>
            /// fan_in = size(1) · receptive field, fan_out = size(0) · receptive field, the receptive field being the
            /// product of the dimensions after the first two. For a Linear weight [out, in] that is (in, out); PyTorch
            /// applies the same rule to ConvTranspose2d's [in, out/groups, k, k] weight, so its "fan_in" counts outputs.
            /// </summary>
            public static (long FanIn, long FanOut) calculate_fan_in_and_fan_out(Tensor tensor)
            {
                var shape = tensor.shape;
                if (shape.Length < 2)
                    throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
                var receptiveField = shape.Skip(2).Aggregate(1L, (a, b) => a * b);
                return (shape[1] * receptiveField, shape[0] * receptiveField);
            }

            /// <summary>The gain PyTorch recommends for a nonlinearity (param: LeakyReLU's slope, default 0.01).</summary>
            public static double calculate_gain(string nonlinearity, double? param = null) => nonlinearity switch
            {
                "linear" or "conv1d" or "conv2d" or "conv3d" or "conv_transpose1d" or "conv_transpose2d" or "conv_transpose3d" or "sigmoid" => 1,
                "tanh" => 5.0 / 3,
                "relu" => Math.Sqrt(2),
                "leaky_relu" => Math.Sqrt(2 / (1 + Math.Pow(param ?? 0.01, 2))),
                "selu" => 3.0 / 4,
                _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}", nameof(nonlinearity)),
            };

            /// <summary>Glorot/Xavier: uniform in ±gain·√(6 / (fan_in + fan_out)), keeping activation variance across layers.</summary>
            public static Tensor xavier_uniform_(Tensor tensor, double gain = 1, Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var bound = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
                return tensor.uniform_(-bound, bound, generator);
            }

            /// <summary>
            /// He/Kaiming: uniform in ±gain·√(3 / fan), gain = calculate_gain(nonlinearity, a). PyTorch's layers use
            /// a = √5 (gain √(1/3)), which works out to ±1/√fan_in.
            /// </summary>
            /// <summary>
            /// PyTorch's default for convolution layers (their reset_parameters): kaiming_uniform_(a=√5) on the
            /// weight, which works out to U(±1/√fan_in), and a bias, when asked for, from the same bound.
            /// </summary>
            internal static (Tensor Weight, Tensor? Bias) layer_default(long[] weightShape, long biasSize, bool bias, Generator? generator)
            {
                var weight = kaiming_uniform_(empty(weightShape), a: Math.Sqrt(5), generator: generator);
                if (!bias) return (weight, null);
                var bound = 1 / Math.Sqrt(calculate_fan_in_and_fan_out(weight).FanIn);
                return (weight, empty([biasSize]).uniform_(-bound, bound, generator));
            }

            public static Tensor kaiming_uniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
            {
                var (fanIn, fanOut) = calculate_fan_in_and_fan_out(tensor);
                var fan = mode switch
                {
                    "fan_in" => fanIn,
                    "fan_out" => fanOut,
                    _ => throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out", nameof(mode)),
                };
                var bound = calculate_gain(nonlinearity, a) * Math.Sqrt(3.0 / fan);
                return tensor.uniform_(-bound, bound, generator);
            }
        }
    }
}
