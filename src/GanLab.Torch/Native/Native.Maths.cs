using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Norms and in-place updates outside autograd (native/src/maths.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_norm(IntPtr a, double p);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_norm_dim(IntPtr a, double p, long* dims, int ndims, int keepdim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_clamp_(IntPtr a, double min, double max);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_add_scalar_(IntPtr a, double s);
}
