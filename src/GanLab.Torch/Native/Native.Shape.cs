using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Permute, expand, stack, one-hot, nearest upsampling (native/src/shape.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_permute(IntPtr a, long* dims, int ndims);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_expand(IntPtr a, long* shape, int ndim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_stack(IntPtr* tensors, int count, long dim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_one_hot(IntPtr labels, long numClasses, int dtype);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_upsample_nearest2d(IntPtr input, double scaleH, double scaleW);
}
