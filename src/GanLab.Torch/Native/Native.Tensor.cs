using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Making tensors, reading them back, and their metadata (native/src/tensor.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial void ganlab_tensor_free(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_from_data(void* data, int dtype, long* shape, int ndim, int deviceType, int deviceIndex, int requiresGrad);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_empty(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_full(long* shape, int ndim, double value, int dtype, int deviceType, int deviceIndex, int requiresGrad);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_randn(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_rand(long* shape, int ndim, int dtype, int deviceType, int deviceIndex, int requiresGrad, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_randperm(long n, int deviceType, int deviceIndex, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_arange(double start, double end, double step, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_copy_to(IntPtr t, void* destination, int dtype, long count);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_item(IntPtr t, double* value);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_ndim(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_shape(IntPtr t, long* sizes, int capacity);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial long ganlab_tensor_numel(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_dtype(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_device_type(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_device_index(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_requires_grad(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_set_requires_grad(IntPtr t, int requiresGrad);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_grad(IntPtr t, IntPtr* grad);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_to(IntPtr t, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_set_data_to(IntPtr t, int deviceType, int deviceIndex);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_detach(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_clone(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_contiguous(IntPtr t);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tensor_alias(IntPtr t);
}
