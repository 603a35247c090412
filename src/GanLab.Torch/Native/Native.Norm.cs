using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Batch normalization (native/src/norm.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)]
    internal static partial IntPtr ganlab_batch_norm(IntPtr input, IntPtr weight, IntPtr bias, IntPtr runningMean, IntPtr runningVar, int training, double momentum, double eps);
}
