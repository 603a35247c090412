using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Max pooling, softmax and cross-entropy for classifiers (native/src/classify.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_max_pool2d(IntPtr input, long kernelSize, long stride);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_log_softmax(IntPtr a, long dim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_softmax(IntPtr a, long dim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_argmax(IntPtr a, long dim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_cross_entropy(IntPtr logits, IntPtr target, int reduction);
}
