using static GanLab.Torch.Native.NativeMethods;
using F = GanLab.Torch.torch.nn.functional;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        public static unsafe partial class functional
        {
            /// <summary>2-D convolution (cross-correlation, as in PyTorch). input [N, C_in, H, W], weight [C_out, C_in/groups, kH, kW].</summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0, long dilation = 1, long groups = 1) =>
                Conv2d(input, weight, bias, stride, padding, 0, dilation, groups);

            /// <summary>
            /// 2-D convolution with PyTorch's string padding: "same" keeps H and W (stride 1 only; even kernels pad one
            /// more on the bottom/right, as PyTorch does), "valid" pads nothing.
            /// </summary>
            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, string padding, long dilation = 1, long groups = 1) =>
                Conv2d(input, weight, bias, stride, 0, PaddingMode(padding, stride), dilation, groups);

            internal static int PaddingMode(string padding, long stride) => padding switch
            {
                "same" when stride != 1 => throw new ArgumentException("padding='same' is not supported for strided convolutions", nameof(padding)),
                "same" => 1,
                "valid" => 2,
                _ => throw new ArgumentException($"padding '{padding}' is not 'same' or 'valid'", nameof(padding)),
            };

            private static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding, int paddingMode, long dilation, long groups)
            {
                var s = stackalloc long[] { stride, stride };
                var p = stackalloc long[] { padding, padding };
                var d = stackalloc long[] { dilation, dilation };
                var result = new Tensor(ganlab_conv2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, paddingMode, d, groups));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return result;
            }

            /// <summary>
            /// Transposed convolution, the generator's upsampling layer. weight [C_in, C_out/groups, kH, kW].
            /// Output size (H − 1)·stride − 2·padding + dilation·(k − 1) + output_padding + 1.
            /// </summary>
            public static Tensor conv_transpose2d(Tensor input, Tensor weight, Tensor? bias = null, long stride = 1, long padding = 0,
                long output_padding = 0, long groups = 1, long dilation = 1)
            {
                var s = stackalloc long[] { stride, stride };
                var p = stackalloc long[] { padding, padding };
                var o = stackalloc long[] { output_padding, output_padding };
                var d = stackalloc long[] { dilation, dilation };
                var result = new Tensor(ganlab_conv_transpose2d(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero, s, p, o, groups, d));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return result;
            }
        }

        /// <summary>A layer whose forward can run with a weight other than its own: what spectral normalization substitutes.</summary>
        public interface IWeightedLayer
        {
            Tensor weight { get; }
            Tensor forward_with_weight(Tensor input, Tensor weight);
        }

        /// <summary>
        /// 2-D convolution layer, square kernels. Initialised as PyTorch does: kaiming_uniform_(a=√5), which works out
        /// to uniform in ±1/√fan_in with fan_in = in_channels/groups · k², and the bias in the same interval.
        /// </summary>
        public sealed class Conv2d : Module<Tensor, Tensor>, IWeightedLayer
        {
            private readonly int paddingMode;

            public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
                bool bias = true, Generator? generator = null)
                : this(in_channels, out_channels, kernel_size, stride, padding, 0, dilation, groups, bias, generator) { }

            /// <summary>With padding "same" (stride 1: output H, W = input H, W) or "valid" (no padding).</summary>
            public Conv2d(long in_channels, long out_channels, long kernel_size, long stride, string padding, long dilation = 1, long groups = 1,
                bool bias = true, Generator? generator = null)
                : this(in_channels, out_channels, kernel_size, stride, 0, F.PaddingMode(padding, stride), dilation, groups, bias, generator) { }

            private Conv2d(long inChannels, long outChannels, long kernelSize, long stride, long padding, int paddingMode, long dilation, long groups,
                bool bias, Generator? generator)
            {
                if (inChannels % groups != 0 || outChannels % groups != 0)
                    throw new ArgumentException($"in_channels ({inChannels}) and out_channels ({outChannels}) must both be divisible by groups ({groups})");
                InChannels = inChannels;
                OutChannels = outChannels;
                KernelSize = kernelSize;
                Stride = stride;
                Padding = padding;
                Dilation = dilation;
                Groups = groups;
                this.paddingMode = paddingMode;
                var (w, b) = init.layer_default([outChannels, inChannels / groups, kernelSize, kernelSize], outChannels, bias, generator);
                weight = register_parameter("weight", w);
                if (b is not null) this.bias = register_parameter("bias", b);
            }

            public long InChannels { get; }
            public long OutChannels { get; }
            public long KernelSize { get; }
            public long Stride { get; }
            public long Padding { get; }
            public long Dilation { get; }
            public long Groups { get; }
            public Tensor weight { get; }
            public Tensor? bias { get; }

            public override Tensor forward(Tensor input) => forward_with_weight(input, weight);

            public Tensor forward_with_weight(Tensor input, Tensor weight) => paddingMode == 0
                ? F.conv2d(input, weight, bias, Stride, Padding, Dilation, Groups)
                : F.conv2d(input, weight, bias, Stride, paddingMode == 1 ? "same" : "valid", Dilation, Groups);
        }

        /// <summary>
        /// Transposed 2-D convolution layer, square kernels. PyTorch's init: kaiming_uniform_(a=√5) on a weight of shape
        /// [in, out/groups, k, k], whose fan_in PyTorch computes from dimension 1, i.e. out_channels/groups · k².
        /// </summary>
        public sealed class ConvTranspose2d : Module<Tensor, Tensor>, IWeightedLayer
        {
            public ConvTranspose2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long output_padding = 0,
                long groups = 1, bool bias = true, long dilation = 1, Generator? generator = null)
            {
                if (in_channels % groups != 0 || out_channels % groups != 0)
                    throw new ArgumentException($"in_channels ({in_channels}) and out_channels ({out_channels}) must both be divisible by groups ({groups})");
                if (output_padding >= Math.Max(stride, dilation))
                    throw new ArgumentException($"output_padding ({output_padding}) must be smaller than either stride ({stride}) or dilation ({dilation})");
                InChannels = in_channels;
                OutChannels = out_channels;
                KernelSize = kernel_size;
                Stride = stride;
                Padding = padding;
                OutputPadding = output_padding;
                Groups = groups;
                Dilation = dilation;
                var (w, b) = init.layer_default([in_channels, out_channels / groups, kernel_size, kernel_size], out_channels, bias, generator);
                weight = register_parameter("weight", w);
                if (b is not null) this.bias = register_parameter("bias", b);
            }

            public long InChannels { get; }
            public long OutChannels { get; }
            public long KernelSize { get; }
            public long Stride { get; }
            public long Padding { get; }
            public long OutputPadding { get; }
            public long Groups { get; }
            public long Dilation { get; }
            public Tensor weight { get; }
            public Tensor? bias { get; }

            public override Tensor forward(Tensor input) => forward_with_weight(input, weight);

            public Tensor forward_with_weight(Tensor input, Tensor weight) =>
                F.conv_transpose2d(input, weight, bias, Stride, Padding, OutputPadding, Groups, Dilation);
        }
    }
}
