using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

// What a classifier needs beyond a GAN's layers (native/src/classify.cpp): the domain classifiers
// behind FID and the classifier score pool, take softmaxes and train on cross-entropy.
public static partial class torch
{
    public static partial class nn
    {
        public static unsafe partial class functional
        {
            /// <summary>Maximum over square windows; stride defaults to the window (PyTorch's max_pool2d).</summary>
            public static Tensor max_pool2d(Tensor input, long kernel_size, long? stride = null)
            {
                var result = new Tensor(ganlab_max_pool2d(input.Handle, kernel_size, stride ?? kernel_size));
                GC.KeepAlive(input);
                return result;
            }

            public static Tensor log_softmax(Tensor input, long dim) => WithDim(input, dim, &ganlab_log_softmax);
            public static Tensor softmax(Tensor input, long dim) => WithDim(input, dim, &ganlab_softmax);

            /// <summary>Log-softmax and negative log-likelihood in one stable step: logits [N, C], target [N] int64 class indices.</summary>
            public static Tensor cross_entropy(Tensor logits, Tensor target, Reduction reduction = Reduction.Mean)
            {
                var result = new Tensor(ganlab_cross_entropy(logits.Handle, target.Handle, (int)reduction));
                GC.KeepAlive(logits);
                GC.KeepAlive(target);
                return result;
            }

            internal static Tensor WithDim(Tensor input, long dim, delegate*<IntPtr, long, IntPtr> op)
            {
                var result = new Tensor(op(input.Handle, dim));
                GC.KeepAlive(input);
                return result;
            }
        }

        public sealed class MaxPool2d(long kernel_size, long? stride = null) : Module<Tensor, Tensor>
        {
            public long KernelSize { get; } = kernel_size;
            public long Stride { get; } = stride ?? kernel_size;
            public override Tensor forward(Tensor input) => functional.max_pool2d(input, KernelSize, Stride);
        }
    }
}

public sealed unsafe partial class Tensor
{
    /// <summary>Index of the largest element along a dimension, as int64 (PyTorch's argmax).</summary>
    public Tensor argmax(long dim) => torch.nn.functional.WithDim(this, dim, &ganlab_argmax);
}
