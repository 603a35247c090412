using GanLab.Torch.Native;
using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

/// <summary>
/// A libtorch tensor seen from C#, with PyTorch's names. Every operation returns a new Tensor that the
/// caller owns: dispose it, or let the enclosing <see cref="DisposeScope"/> do so.
/// </summary>
public sealed unsafe partial class Tensor : IDisposable
{
    private readonly TensorHandle handle;

    internal Tensor(IntPtr native)
    {
        handle = new TensorHandle(Check(native));
        DisposeScope.Current?.Register(this);
    }

    internal DisposeScope? OwnerScope { get; set; }

    /// <summary>The native pointer, valid while this tensor is alive; callers keep the tensor alive across the call.</summary>
    internal IntPtr Handle => handle.IsClosed ? throw new ObjectDisposedException(nameof(Tensor), "this tensor was already disposed") : handle.DangerousGetHandle();

    public bool IsDisposed => handle.IsClosed;

    public void Dispose()
    {
        OwnerScope = null;
        handle.Dispose();
    }

    /// <summary>Keeps the tensor alive past the end of the current scope (it then belongs to the outer scope, if any).</summary>
    public Tensor MoveToOuterDisposeScope() => OwnerScope?.MoveToOuter(this) ?? this;

    /// <summary>Takes the tensor out of every scope: the caller now owns it for good.</summary>
    public Tensor DetachFromDisposeScope()
    {
        OwnerScope = null;
        return this;
    }

    // ---- metadata ----

    public long[] shape
    {
        get
        {
            var sizes = stackalloc long[16];
            var n = ganlab_tensor_shape(Handle, sizes, 16);
            var result = new long[n];
            for (var i = 0; i < n; i++) result[i] = sizes[i];
            GC.KeepAlive(this);
            return result;
        }
    }

    public int dim() => Keep(ganlab_tensor_ndim(Handle));
    public long numel() => Keep(ganlab_tensor_numel(Handle));
    public ScalarType dtype => (ScalarType)Keep(ganlab_tensor_dtype(Handle));
    public Device device => new((DeviceType)ganlab_tensor_device_type(Handle), Keep(ganlab_tensor_device_index(Handle)));

    public bool requires_grad
    {
        get => Keep(ganlab_tensor_requires_grad(Handle)) != 0;
        set { Check(ganlab_tensor_set_requires_grad(Handle, value ? 1 : 0)); GC.KeepAlive(this); }
    }

    public Tensor requires_grad_(bool value = true)
    {
        requires_grad = value;
        return this;
    }

    /// <summary>The accumulated gradient, or null when backward has not reached this tensor.</summary>
    public Tensor? grad
    {
        get
        {
            IntPtr g;
            Check(ganlab_tensor_grad(Handle, &g));
            GC.KeepAlive(this);
            return g == IntPtr.Zero ? null : new Tensor(g);
        }
    }

    // ---- reading values back ----

    public double item()
    {
        double value;
        Check(ganlab_tensor_item(Handle, &value));
        GC.KeepAlive(this);
        return value;
    }

    public float[] ToFloatArray()
    {
        var result = new float[numel()];
        fixed (float* p = result) Check(ganlab_tensor_copy_to(Handle, p, (int)ScalarType.Float32, result.LongLength));
        GC.KeepAlive(this);
        return result;
    }

    public double[] ToDoubleArray()
    {
        var result = new double[numel()];
        fixed (double* p = result) Check(ganlab_tensor_copy_to(Handle, p, (int)ScalarType.Float64, result.LongLength));
        GC.KeepAlive(this);
        return result;
    }

    public long[] ToInt64Array()
    {
        var result = new long[numel()];
        fixed (long* p = result) Check(ganlab_tensor_copy_to(Handle, p, (int)ScalarType.Int64, result.LongLength));
        GC.KeepAlive(this);
        return result;
    }

    public override string ToString() =>
        IsDisposed ? "tensor(disposed)" : $"tensor(shape=[{string.Join(", ", shape)}], dtype={dtype}, device={device})";

    // ---- autograd ----

    public void backward(Tensor? gradient = null, bool retain_graph = false)
    {
        Check(ganlab_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph ? 1 : 0));
        GC.KeepAlive(this);
        GC.KeepAlive(gradient);
    }

    public Tensor detach() => Unary(this, &ganlab_tensor_detach);
    public Tensor clone() => Unary(this, &ganlab_tensor_clone);
    public Tensor contiguous() => Unary(this, &ganlab_tensor_contiguous);

    /// <summary>A second handle to the same tensor (same storage, same autograd identity).</summary>
    public Tensor alias() => Unary(this, &ganlab_tensor_alias);

    // ---- devices and types ----

    public Tensor to(Device target) => to(dtype, target);
    public Tensor to(ScalarType type) => to(type, device);

    public Tensor to(ScalarType type, Device target)
    {
        var result = new Tensor(ganlab_tensor_to(Handle, (int)type, (int)target.Type, target.NativeIndex));
        GC.KeepAlive(this);
        return result;
    }

    /// <summary>Moves this tensor's storage to another device in place (how Module.to keeps optimizers valid).</summary>
    internal void MoveDataTo(Device target)
    {
        Check(ganlab_tensor_set_data_to(Handle, (int)target.Type, target.NativeIndex));
        GC.KeepAlive(this);
    }

    // ---- helpers that keep arguments alive across the native call ----

    private T Keep<T>(T value)
    {
        GC.KeepAlive(this);
        return value;
    }

    internal static Tensor Unary(Tensor a, delegate*<IntPtr, IntPtr> op)
    {
        var result = new Tensor(op(a.Handle));
        GC.KeepAlive(a);
        return result;
    }

    internal static Tensor WithScalar(Tensor a, double s, delegate*<IntPtr, double, IntPtr> op)
    {
        var result = new Tensor(op(a.Handle, s));
        GC.KeepAlive(a);
        return result;
    }

    internal static Tensor Binary(Tensor a, Tensor b, delegate*<IntPtr, IntPtr, IntPtr> op)
    {
        var result = new Tensor(op(a.Handle, b.Handle));
        GC.KeepAlive(a);
        GC.KeepAlive(b);
        return result;
    }
}
