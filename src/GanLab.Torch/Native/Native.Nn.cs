using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Layers' functional forms and losses (native/src/nn.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_linear(IntPtr input, IntPtr weight, IntPtr bias);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_relu(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_leaky_relu(IntPtr a, double slope);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_tanh(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_sigmoid(IntPtr a);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_dropout(IntPtr a, double p, int train, IntPtr generator);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_bce_with_logits(IntPtr logits, IntPtr target, int reduction);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_bce(IntPtr probabilities, IntPtr target, int reduction);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_mse(IntPtr input, IntPtr target, int reduction);
}
