using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>libtorch's optimizers behind opaque handles (native/src/optim.cpp).</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_adam_new(IntPtr* parameters, int count, double lr, double beta1, double beta2, double eps, double weightDecay);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_step(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_optimizer_zero_grad(IntPtr optimizer);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial void ganlab_optimizer_free(IntPtr optimizer);
}
