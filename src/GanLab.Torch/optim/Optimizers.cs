using GanLab.Torch.Native;

namespace GanLab.Torch;

public static partial class torch
{
    public static class optim
    {
        /// <summary>An optimizer implemented by libtorch, holding its own references to the parameters and its state.</summary>
        public abstract class Optimizer : IDisposable
        {
            private IntPtr native;

            private protected Optimizer(IntPtr native) => this.native = NativeMethods.Check(native);

            private IntPtr Handle => native != IntPtr.Zero ? native : throw new ObjectDisposedException(GetType().Name);

            public void step() => NativeMethods.Check(NativeMethods.ganlab_optimizer_step(Handle));
            public void zero_grad() => NativeMethods.Check(NativeMethods.ganlab_optimizer_zero_grad(Handle));

            public void Dispose()
            {
                if (native == IntPtr.Zero) return;
                NativeMethods.ganlab_optimizer_free(native);
                native = IntPtr.Zero;
                GC.SuppressFinalize(this);
            }

            ~Optimizer() => Dispose();

            private protected static unsafe IntPtr Create(IEnumerable<Tensor> parameters, Func<IntPtr, int, IntPtr> make)
            {
                var list = parameters.ToList();
                if (list.Count == 0) throw new ArgumentException("an optimizer needs at least one parameter");
                var handles = list.Select(p => p.Handle).ToArray();
                fixed (IntPtr* h = handles)
                {
                    var result = make((IntPtr)h, handles.Length);
                    GC.KeepAlive(list);
                    return result;
                }
            }
        }

        /// <summary>Adam (Kingma and Ba); weight_decay is PyTorch's L2 term, not AdamW's decoupled decay.</summary>
        public sealed class Adam(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8, double weight_decay = 0)
            : Optimizer(Create(parameters, (h, n) => Make(h, n, lr, beta1, beta2, eps, weight_decay)))
        {
            private static unsafe IntPtr Make(IntPtr handles, int count, double lr, double beta1, double beta2, double eps, double weightDecay)
            {
                if (!(lr > 0)) throw new ArgumentOutOfRangeException(nameof(lr), lr, "learning rate must be positive");
                return NativeMethods.ganlab_adam_new((IntPtr*)handles, count, lr, beta1, beta2, eps, weightDecay);
            }
        }
    }
}
