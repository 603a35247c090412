using System.Runtime.InteropServices;
using GanLab.Torch.Native;

namespace GanLab.Torch;

/// <summary>
/// Owns one native at::Tensor. If a Tensor is never disposed, the finalizer still frees it; but in a
/// long-lived server native memory must not wait for the GC, so code disposes tensors (or uses a DisposeScope).
/// </summary>
internal sealed class TensorHandle : SafeHandle
{
    public TensorHandle(IntPtr handle) : base(IntPtr.Zero, ownsHandle: true) => SetHandle(handle);

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.ganlab_tensor_free(handle);
        return true;
    }
}
