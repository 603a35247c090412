using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

// Arithmetic, reductions, shapes and in-place fills, as PyTorch names them.
public sealed unsafe partial class Tensor
{
    public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
    public static Tensor operator -(Tensor a, Tensor b) => Binary(a, b, &ganlab_sub);
    public static Tensor operator *(Tensor a, Tensor b) => Binary(a, b, &ganlab_mul);
    public static Tensor operator /(Tensor a, Tensor b) => Binary(a, b, &ganlab_div);
    public static Tensor operator +(Tensor a, double s) => WithScalar(a, s, &ganlab_add_scalar);
    public static Tensor operator +(double s, Tensor a) => WithScalar(a, s, &ganlab_add_scalar);
    public static Tensor operator -(Tensor a, double s) => WithScalar(a, -s, &ganlab_add_scalar);
    public static Tensor operator -(double s, Tensor a) => WithScalar(a, s, &ganlab_rsub_scalar);
    public static Tensor operator *(Tensor a, double s) => WithScalar(a, s, &ganlab_mul_scalar);
    public static Tensor operator *(double s, Tensor a) => WithScalar(a, s, &ganlab_mul_scalar);
    public static Tensor operator /(Tensor a, double s) => WithScalar(a, 1.0 / s, &ganlab_mul_scalar);
    public static Tensor operator -(Tensor a) => Unary(a, &ganlab_neg);

    public Tensor add(Tensor other, double alpha = 1)
    {
        var result = new Tensor(ganlab_add(Handle, other.Handle, alpha));
        GC.KeepAlive(this);
        GC.KeepAlive(other);
        return result;
    }

    public Tensor matmul(Tensor other) => Binary(this, other, &ganlab_matmul);
    public Tensor pow(double exponent) => WithScalar(this, exponent, &ganlab_pow_scalar);
    public Tensor exp() => Unary(this, &ganlab_exp);
    public Tensor log() => Unary(this, &ganlab_log);
    public Tensor sqrt() => Unary(this, &ganlab_sqrt);
    public Tensor abs() => Unary(this, &ganlab_abs);
    public Tensor sin() => Unary(this, &ganlab_sin);
    public Tensor cos() => Unary(this, &ganlab_cos);
    public Tensor neg() => Unary(this, &ganlab_neg);
    public Tensor sigmoid() => Unary(this, &ganlab_sigmoid);
    public Tensor tanh() => Unary(this, &ganlab_tanh);
    public Tensor relu() => Unary(this, &ganlab_relu);
    public Tensor gt(double value) => WithScalar(this, value, &ganlab_gt_scalar);
    public Tensor lt(double value) => WithScalar(this, value, &ganlab_lt_scalar);

    public Tensor clamp(double min, double max)
    {
        var result = new Tensor(ganlab_clamp(Handle, min, max));
        GC.KeepAlive(this);
        return result;
    }

    public Tensor sum() => Unary(this, &ganlab_sum);
    public Tensor mean() => Unary(this, &ganlab_mean);
    public Tensor max() => Unary(this, &ganlab_max);
    public Tensor min() => Unary(this, &ganlab_min);
    public Tensor sum(long[] dims, bool keepdim = false) => Reduce(dims, keepdim, &ganlab_sum_dim);
    public Tensor mean(long[] dims, bool keepdim = false) => Reduce(dims, keepdim, &ganlab_mean_dim);

    private Tensor Reduce(long[] dims, bool keepdim, delegate*<IntPtr, long*, int, int, IntPtr> op)
    {
        Tensor result;
        fixed (long* d = dims) result = new Tensor(op(Handle, d, dims.Length, keepdim ? 1 : 0));
        GC.KeepAlive(this);
        return result;
    }

    public Tensor reshape(params long[] newShape) => Reshape(newShape, &ganlab_reshape);
    public Tensor view(params long[] newShape) => Reshape(newShape, &ganlab_view);

    private Tensor Reshape(long[] newShape, delegate*<IntPtr, long*, int, IntPtr> op)
    {
        Tensor result;
        fixed (long* s = newShape) result = new Tensor(op(Handle, s, newShape.Length));
        GC.KeepAlive(this);
        return result;
    }

    public Tensor flatten(long start_dim = 0, long end_dim = -1) => Keep(new Tensor(ganlab_flatten(Handle, start_dim, end_dim)));
    public Tensor transpose(long dim0, long dim1) => Keep(new Tensor(ganlab_transpose(Handle, dim0, dim1)));
    public Tensor t() => transpose(0, 1);
    public Tensor narrow(long dim, long start, long length) => Keep(new Tensor(ganlab_narrow(Handle, dim, start, length)));

    public Tensor index_select(long dim, Tensor index)
    {
        var result = new Tensor(ganlab_index_select(Handle, dim, index.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(index);
        return result;
    }

    // In place, outside autograd (initialisation, copying data into place). They return this tensor, as PyTorch's do.
    public Tensor uniform_(double low, double high, Generator? generator = null) => Fill(ganlab_uniform_(Handle, low, high, generator?.Handle ?? IntPtr.Zero), generator);
    public Tensor normal_(double mean = 0, double std = 1, Generator? generator = null) => Fill(ganlab_normal_(Handle, mean, std, generator?.Handle ?? IntPtr.Zero), generator);
    public Tensor fill_(double value) => Fill(ganlab_fill_(Handle, value), null);
    public Tensor zero_() => Fill(ganlab_zero_(Handle), null);

    public Tensor copy_(Tensor source)
    {
        Check(ganlab_copy_(Handle, source.Handle));
        GC.KeepAlive(source);
        return this;
    }

    private Tensor Fill(int status, Generator? generator)
    {
        Check(status);
        GC.KeepAlive(generator);
        return this;
    }
}
