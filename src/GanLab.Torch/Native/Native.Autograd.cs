using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Backpropagation (native/src/autograd.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_backward(IntPtr t, IntPtr gradient, int retainGraph);
}
