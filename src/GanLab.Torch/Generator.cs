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
