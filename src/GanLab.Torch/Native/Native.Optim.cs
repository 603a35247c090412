using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>libtorch's optimizers behind opaque handles, and their per-parameter state (native/src/optim.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_adam_new(IntPtr* parameters, int count, double lr, double beta1, double beta2, double eps, double weightDecay);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sgd_new(IntPtr* parameters, int count, double lr, double momentum, double dampening, double weightDecay, int nesterov);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_rmsprop_new(IntPtr* parameters, int count, double lr, double alpha, double eps, double weightDecay, double momentum, int centered);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_step(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_zero_grad(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial void ganlab_optimizer_free(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_get_lr(IntPtr optimizer, double* lr);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_set_lr(IntPtr optimizer, double lr);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_param_count(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_has_state(IntPtr optimizer, int index);
    [LibraryImport(ShimLoader.LibraryName, StringMarshalling = StringMarshalling.Utf8)] internal static partial int ganlab_optimizer_get_state(IntPtr optimizer, int index, string field, IntPtr* value);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_set_state(IntPtr optimizer, int index, byte** fields, IntPtr* values, int count);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_clear_state(IntPtr optimizer, int index);
}
