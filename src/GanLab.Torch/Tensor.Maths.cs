using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

// Norms (the gradient penalty's ‖∇D(x̂)‖₂, spectral normalization's power iteration) and in-place updates.
public sealed unsafe partial class Tensor
{
    /// <summary>The p-norm of all elements together (p = 2: the Euclidean norm of the flattened tensor).</summary>
    public Tensor norm(double p = 2) => WithScalar(this, p, &ganlab_norm);

    /// <summary>The p-norm over the given dimensions, e.g. per sample with norm(2, [1]) on [N, D].</summary>
    public Tensor norm(double p, long[] dim, bool keepdim = false)
    {
        Tensor result;
        fixed (long* d = dim) result = new Tensor(ganlab_norm_dim(Handle, p, d, dim.Length, keepdim ? 1 : 0));
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>
    /// Clamps in place, outside autograd, and returns this tensor: WGAN's weight clipping after each
    /// critic step (PyTorch writes it <c>with torch.no_grad(): p.clamp_(-c, c)</c>).
    /// </summary>
    public Tensor clamp_(double min, double max)
    {
        Check(ganlab_clamp_(Handle, min, max));
        return this;
    }

    /// <summary>Adds in place outside autograd: for counters such as BatchNorm's num_batches_tracked.</summary>
    internal Tensor AddInPlaceWithoutGrad(double value)
    {
        Check(ganlab_add_scalar_(Handle, value));
        return this;
    }
}
