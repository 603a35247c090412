using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>Convolutions (native/src/conv.cpp). Pairs of ints are long[2], height first.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(ShimLoader.LibraryName)]
    internal static partial IntPtr ganlab_conv2d(IntPtr input, IntPtr weight, IntPtr bias, long* stride, long* padding, int paddingMode, long* dilation, long groups);

    [LibraryImport(ShimLoader.LibraryName)]
    internal static partial IntPtr ganlab_conv_transpose2d(IntPtr input, IntPtr weight, IntPtr bias, long* stride, long* padding, long* outputPadding, long groups, long* dilation);
}
