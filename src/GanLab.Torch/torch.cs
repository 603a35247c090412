using System.Runtime.InteropServices;
using GanLab.Torch.Native;
using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

/// <summary>The entry point, named and shaped like PyTorch's <c>torch</c> module so code reads like the PyTorch it teaches.</summary>
public static unsafe partial class torch
{
    /// <summary>The version of the libtorch the shim was compiled against, e.g. "1.13.0".</summary>
    public static string version => Marshal.PtrToStringUTF8(ganlab_libtorch_version()) ?? "unknown";

    /// <summary>Native tensors alive right now, all threads together: flat across training steps means no leak.</summary>
    public static long LiveTensorCount => ganlab_live_tensors();

    public static void manual_seed(ulong seed) => Check(ganlab_manual_seed(seed));

    /// <summary>libtorch's intra-op threads. Global to the process: on a 2-core box one thread measured fastest.</summary>
    public static void set_num_threads(int threads) => Check(ganlab_set_num_threads(threads));
    public static int get_num_threads() => ganlab_get_num_threads();

    /// <summary>Opens a scope that frees the tensors made inside it when disposed.</summary>
    public static DisposeScope NewDisposeScope() => new();

    /// <summary>Turns autograd off on this thread until disposed (PyTorch's <c>with torch.no_grad():</c>).</summary>
    public static IDisposable no_grad() => new GradMode(enabled: false);
    public static IDisposable enable_grad() => new GradMode(enabled: true);
    public static bool is_grad_enabled() => ganlab_is_grad_enabled() != 0;

    private sealed class GradMode(bool enabled) : IDisposable
    {
        private readonly bool previous = ganlab_set_grad_enabled(enabled ? 1 : 0) != 0;
        private bool restored;

        public void Dispose()
        {
            if (restored) return;
            restored = true;
            ganlab_set_grad_enabled(previous ? 1 : 0);
        }
    }

    public static class cuda
    {
        /// <summary>True only when the shim was built against a CUDA libtorch and a GPU answers.</summary>
        public static bool is_available() => ganlab_cuda_is_available() != 0;
        public static int device_count() => ganlab_cuda_device_count();
        /// <summary>Waits for queued GPU work; benchmarks call it before reading the clock.</summary>
        public static void synchronize() => Check(ganlab_cuda_synchronize());
    }

    // ---- making tensors ----

    public static Tensor tensor(float[] data, long[] shape, Device? device = null, bool requires_grad = false) => FromData(data, ScalarType.Float32, shape, device, requires_grad);
    public static Tensor tensor(double[] data, long[] shape, Device? device = null, bool requires_grad = false) => FromData(data, ScalarType.Float64, shape, device, requires_grad);
    public static Tensor tensor(long[] data, long[] shape, Device? device = null) => FromData(data, ScalarType.Int64, shape, device, false);
    public static Tensor tensor(float[] data) => tensor(data, [data.LongLength]);

    private static Tensor FromData<T>(T[] data, ScalarType type, long[] shape, Device? device, bool requiresGrad) where T : unmanaged
    {
        var expected = shape.Aggregate(1L, (a, b) => a * b);
        if (expected != data.LongLength)
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] holds {expected} elements but {data.LongLength} were given");
        var d = device ?? Device.CPU;
        fixed (T* p = data)
        fixed (long* s = shape)
            return new Tensor(ganlab_tensor_from_data(p, (int)type, s, shape.Length, (int)d.Type, d.NativeIndex, requiresGrad ? 1 : 0));
    }

    public static Tensor empty(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* s = shape) return new Tensor(ganlab_tensor_empty(s, shape.Length, (int)dtype, (int)d.Type, d.NativeIndex, requires_grad ? 1 : 0));
    }

    public static Tensor full(long[] shape, double value, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? Device.CPU;
        fixed (long* s = shape) return new Tensor(ganlab_tensor_full(s, shape.Length, value, (int)dtype, (int)d.Type, d.NativeIndex, requires_grad ? 1 : 0));
    }

    public static Tensor zeros(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => full(shape, 0, dtype, device, requires_grad);
    public static Tensor ones(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false) => full(shape, 1, dtype, device, requires_grad);

    public static Tensor randn(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Random(shape, dtype, device, requires_grad, generator, &ganlab_tensor_randn);

    public static Tensor rand(long[] shape, ScalarType dtype = ScalarType.Float32, Device? device = null, bool requires_grad = false, Generator? generator = null) =>
        Random(shape, dtype, device, requires_grad, generator, &ganlab_tensor_rand);

    private static Tensor Random(long[] shape, ScalarType dtype, Device? device, bool requiresGrad, Generator? generator,
        delegate*<long*, int, int, int, int, int, IntPtr, IntPtr> op)
    {
        var d = device ?? Device.CPU;
        Tensor result;
        fixed (long* s = shape) result = new Tensor(op(s, shape.Length, (int)dtype, (int)d.Type, d.NativeIndex, requiresGrad ? 1 : 0, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return result;
    }

    public static Tensor randperm(long n, Device? device = null, Generator? generator = null)
    {
        var d = device ?? Device.CPU;
        var result = new Tensor(ganlab_tensor_randperm(n, (int)d.Type, d.NativeIndex, generator?.Handle ?? IntPtr.Zero));
        GC.KeepAlive(generator);
        return result;
    }

    public static Tensor arange(double start, double end, double step = 1, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        var d = device ?? Device.CPU;
        return new Tensor(ganlab_tensor_arange(start, end, step, (int)dtype, (int)d.Type, d.NativeIndex));
    }

    public static Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0) => Join(tensors, dim, &ganlab_cat);

    /// <summary>Passes a list of tensors to a native op as an array of handles, keeping them alive across the call.</summary>
    internal static Tensor Join(IReadOnlyList<Tensor> tensors, long dim, delegate*<IntPtr*, int, long, IntPtr> op)
    {
        var handles = new IntPtr[tensors.Count];
        for (var i = 0; i < handles.Length; i++) handles[i] = tensors[i].Handle;
        Tensor result;
        fixed (IntPtr* h = handles) result = new Tensor(op(h, handles.Length, dim));
        GC.KeepAlive(tensors);
        return result;
    }
}
