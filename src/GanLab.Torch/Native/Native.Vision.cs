using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Grid sampling and affine grids (native/src/vision.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_affine_grid(IntPtr theta, long* size, int ndim, int alignCorners);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_grid_sample(IntPtr input, IntPtr grid, int mode, int padding, int alignCorners);
}
