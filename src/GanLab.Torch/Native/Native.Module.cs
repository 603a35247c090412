using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>In-place conversions of a module's tensors (native/src/module.cpp).</summary>
internal static partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)] internal static partial int ganlab_tensor_set_data_dtype(IntPtr t, int dtype);
}
