using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

// Shapes beyond reshape/view/transpose: what conv nets and conditional GANs need.
public sealed unsafe partial class Tensor
{
    /// <summary>Reorders the dimensions, e.g. [N, C, H, W] → [N, H, W, C] with permute(0, 2, 3, 1). Shares storage.</summary>
    public Tensor permute(params long[] dims) => WithLongs(dims, &ganlab_permute);

    /// <summary>Repeats size-1 dimensions to the given shape without copying (−1 keeps a dimension).</summary>
    public Tensor expand(params long[] sizes) => WithLongs(sizes, &ganlab_expand);

    public Tensor expand_as(Tensor other) => expand(other.shape);

    private Tensor WithLongs(long[] values, delegate*<IntPtr, long*, int, IntPtr> op)
    {
        Tensor result;
        fixed (long* v = values) result = new Tensor(op(Handle, v, values.Length));
        GC.KeepAlive(this);
        return result;
    }
}

public static unsafe partial class torch
{
    /// <summary>Joins tensors of one shape along a new dimension (cat joins along an existing one).</summary>
    public static Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, &ganlab_stack);
}
