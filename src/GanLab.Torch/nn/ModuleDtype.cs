using GanLab.Torch.Native;

namespace GanLab.Torch;

public sealed partial class Tensor
{
    internal void ConvertDataTo(ScalarType type)
    {
        NativeMethods.Check(NativeMethods.ganlab_tensor_set_data_dtype(Handle, (int)type));
        GC.KeepAlive(this);
    }

    internal bool IsFloatingPoint => dtype is ScalarType.Float16 or ScalarType.Float32 or ScalarType.Float64 or ScalarType.BFloat16;
}

public static class ModuleExtensions
{
    /// <summary>
    /// Converts the floating-point parameters and buffers in place (integer buffers such as num_batches_tracked
    /// keep their type), as PyTorch's module.to(dtype); optimizers created earlier stay valid.
    /// </summary>
    public static T to<T>(this T module, ScalarType dtype) where T : torch.nn.Module
    {
        foreach (var p in module.parameters()) p.ConvertDataTo(dtype);
        foreach (var (_, b) in module.named_buffers())
            if (b.IsFloatingPoint) b.ConvertDataTo(dtype);
        return module;
    }
}
