using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>How a loss reduces over the batch; values match at::Reduction.</summary>
        public enum Reduction { None = 0, Mean = 1, Sum = 2 }

        /// <summary>Layers and losses as plain functions (PyTorch's torch.nn.functional).</summary>
        public static unsafe partial class functional
        {
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null)
            {
                var result = new Tensor(ganlab_linear(input.Handle, weight.Handle, bias?.Handle ?? IntPtr.Zero));
                GC.KeepAlive(input);
                GC.KeepAlive(weight);
                GC.KeepAlive(bias);
                return result;
            }

            public static Tensor relu(Tensor x) => Tensor.Unary(x, &ganlab_relu);
            public static Tensor leaky_relu(Tensor x, double negative_slope = 0.01) => Tensor.WithScalar(x, negative_slope, &ganlab_leaky_relu);
            public static Tensor tanh(Tensor x) => Tensor.Unary(x, &ganlab_tanh);
            public static Tensor sigmoid(Tensor x) => Tensor.Unary(x, &ganlab_sigmoid);

            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true, Generator? generator = null)
            {
                var result = new Tensor(ganlab_dropout(x.Handle, p, training ? 1 : 0, generator?.Handle ?? IntPtr.Zero));
                GC.KeepAlive(x);
                GC.KeepAlive(generator);
                return result;
            }

            /// <summary>Sigmoid and binary cross-entropy in one numerically stable step (PyTorch's BCEWithLogitsLoss).</summary>
            public static Tensor binary_cross_entropy_with_logits(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(logits, target, reduction, &ganlab_bce_with_logits);

            public static Tensor binary_cross_entropy(Tensor probabilities, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(probabilities, target, reduction, &ganlab_bce);

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Loss(input, target, reduction, &ganlab_mse);

            private static Tensor Loss(Tensor input, Tensor target, Reduction reduction, delegate*<IntPtr, IntPtr, int, IntPtr> op)
            {
                var result = new Tensor(op(input.Handle, target.Handle, (int)reduction));
                GC.KeepAlive(input);
                GC.KeepAlive(target);
                return result;
            }
        }
    }
}
