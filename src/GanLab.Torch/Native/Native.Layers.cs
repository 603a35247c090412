using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>ELU and embeddings (native/src/layers.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_elu(IntPtr a, double alpha);
    [LibraryImport(ShimLoader.LibraryName)] internal static partial IntPtr ganlab_embedding(IntPtr weight, IntPtr indices);
}
