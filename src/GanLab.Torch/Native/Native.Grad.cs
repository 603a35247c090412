using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>torch.autograd.grad (native/src/grad.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    /// <param name="retainGraph">1 or 0, or −1 for PyTorch's default (retain exactly when create_graph).</param>
    [LibraryImport(ShimLoader.LibraryName)]
    internal static partial int ganlab_autograd_grad(IntPtr* outputs, int noutputs, IntPtr* inputs, int ninputs, IntPtr* gradOutputs,
        int retainGraph, int createGraph, int allowUnused, IntPtr* results);
}
