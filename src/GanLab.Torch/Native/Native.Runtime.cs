using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Errors, counters, devices, seeds and threads (native/src/runtime.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_last_error();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial long ganlab_live_tensors();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_libtorch_version();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_cuda_is_available();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_cuda_device_count();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_cuda_synchronize();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_manual_seed(ulong seed);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_set_num_threads(int threads);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_get_num_threads();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_set_grad_enabled(int enabled);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_is_grad_enabled();
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_generator_new(ulong seed, int deviceType, int deviceIndex);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial void ganlab_generator_free(IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_generator_get_state(IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_generator_set_state(IntPtr generator, IntPtr state);

    /// <summary>Turns the shim's failure sentinel into an exception with libtorch's message.</summary>
    internal static IntPtr Check(IntPtr handle)
    {
        if (handle == IntPtr.Zero) ThrowLastError();
        return handle;
    }

    internal static void Check(int status)
    {
        if (status != 0) ThrowLastError();
    }

    internal static void ThrowLastError() =>
        throw new TorchException(Marshal.PtrToStringUTF8(ganlab_last_error()) ?? "libtorch reported an error without a message");
}
