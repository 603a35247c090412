using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Arithmetic, reductions, shapes and in-place fills (native/src/ops.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_add(IntPtr a, IntPtr b, double alpha);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sub(IntPtr a, IntPtr b);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_mul(IntPtr a, IntPtr b);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_div(IntPtr a, IntPtr b);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_add_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_mul_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_rsub_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_pow_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_neg(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_exp(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_log(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sqrt(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_abs(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sin(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_cos(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_clamp(IntPtr a, double min, double max);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_matmul(IntPtr a, IntPtr b);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_gt_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_lt_scalar(IntPtr a, double s);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sum(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_mean(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sum_dim(IntPtr a, long* dims, int ndims, int keepdim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_mean_dim(IntPtr a, long* dims, int ndims, int keepdim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_max(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_min(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_reshape(IntPtr a, long* shape, int ndim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_view(IntPtr a, long* shape, int ndim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_flatten(IntPtr a, long start, long end);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_transpose(IntPtr a, long dim0, long dim1);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_narrow(IntPtr a, long dim, long start, long length);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_index_select(IntPtr a, long dim, IntPtr index);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_cat(IntPtr* tensors, int count, long dim);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_uniform_(IntPtr a, double low, double high, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_normal_(IntPtr a, double mean, double std, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_fill_(IntPtr a, double value);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_zero_(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_copy_(IntPtr destination, IntPtr source);
}
