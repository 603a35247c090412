using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

public static unsafe partial class torch
{
    public static class autograd
    {
        /// <summary>
        /// Gradients of outputs with respect to inputs, returned as new tensors (the inputs' .grad is left alone).
        /// With create_graph the gradients are themselves differentiable: WGAN-GP backpropagates
        /// (‖∇D(x̂)‖₂ − 1)² into D's weights this way. grad_outputs may be omitted when every output is a scalar.
        /// retain_graph defaults to create_graph, as in PyTorch.
        /// </summary>
        public static Tensor[] grad(IReadOnlyList<Tensor> outputs, IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?>? grad_outputs = null,
            bool? retain_graph = null, bool create_graph = false)
        {
            if (grad_outputs is not null && grad_outputs.Count != outputs.Count)
                throw new ArgumentException($"grad_outputs has {grad_outputs.Count} tensors but there are {outputs.Count} outputs", nameof(grad_outputs));
            var outs = outputs.Select(t => t.Handle).ToArray();
            var ins = inputs.Select(t => t.Handle).ToArray();
            var grads = grad_outputs?.Select(t => t?.Handle ?? IntPtr.Zero).ToArray();
            var results = new IntPtr[ins.Length];
            fixed (IntPtr* o = outs)
            fixed (IntPtr* i = ins)
            fixed (IntPtr* g = grads)
            fixed (IntPtr* r = results)
            {
                Check(ganlab_autograd_grad(o, outs.Length, i, ins.Length, grads is null ? null : g,
                    retain_graph is null ? -1 : retain_graph.Value ? 1 : 0, create_graph ? 1 : 0, 0, r));
            }
            GC.KeepAlive(outputs);
            GC.KeepAlive(inputs);
            GC.KeepAlive(grad_outputs);
            return results.Select(h => new Tensor(h)).ToArray();
        }
    }
}
