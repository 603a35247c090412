using GanLab.Torch.Native;

namespace GanLab.Torch;

/// <summary>
/// A random stream of its own. Each training run owns one, so its noise, dropout masks and batch
/// order depend only on its seed, even while other students' runs draw numbers on the same server.
/// </summary>
public sealed class Generator : IDisposable
{
    private IntPtr native;

    public Generator(ulong seed, Device? device = null)
    {
        var d = device ?? Device.CPU;
        native = NativeMethods.Check(NativeMethods.ganlab_generator_new(seed, (int)d.Type, d.NativeIndex));
        Seed = seed;
    }

    public ulong Seed { get; }

    /// <summary>
    /// The stream's whole state as a uint8 CPU tensor (PyTorch's Generator.get_state): saved with a checkpoint,
    /// it lets a resumed run draw exactly the numbers the uninterrupted run would have drawn.
    /// </summary>
    public Tensor get_state()
    {
        var state = new Tensor(NativeMethods.Check(NativeMethods.ganlab_generator_get_state(Handle)));
        GC.KeepAlive(this);
        return state;
    }

    /// <summary>Continues the stream from a state of <see cref="get_state"/> taken on a generator of the same device type.</summary>
    public Generator set_state(Tensor state)
    {
        NativeMethods.Check(NativeMethods.ganlab_generator_set_state(Handle, state.Handle));
        GC.KeepAlive(this);
        GC.KeepAlive(state);
        return this;
    }

    internal IntPtr Handle => native != IntPtr.Zero ? native : throw new ObjectDisposedException(nameof(Generator));

    public void Dispose()
    {
        if (native == IntPtr.Zero) return;
        NativeMethods.ganlab_generator_free(native);
        native = IntPtr.Zero;
        GC.SuppressFinalize(this);
    }

    ~Generator() => Dispose();
}
