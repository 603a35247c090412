using System.Runtime.InteropServices;

namespace GanLab.Torch;

/// <summary>
/// The C heap that libtorch's CPU tensors live on (glibc malloc). A freed model's memory goes back to malloc,
/// not to the system: each thread that trained keeps its own arena, so after a class's runs end the process can
/// hold a gigabyte of free memory that no tensor uses. <see cref="Statistics"/> tells the two apart and
/// <see cref="Trim"/> hands the free part back. Only glibc has these; elsewhere both report nothing.
/// </summary>
public static partial class NativeHeap
{
    /// <summary>Bytes malloc has from the system, bytes of it in use, and bytes it holds free.</summary>
    public readonly record struct Usage(long HeldBytes, long InUseBytes, long FreeBytes);

    /// <summary>Null where the C library is not glibc 2.33 or later.</summary>
    public static Usage? Statistics()
    {
        try
        {
            var info = mallinfo2();
            // arena: the main heap and thread arenas from brk/mmap; hblkhd: blocks mmapped on their own.
            var held = (long)(info.arena + info.hblkhd);
            var inUse = (long)(info.uordblks + info.hblkhd);
            return new Usage(held, inUse, held - inUse);
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Returns malloc's free memory in every arena to the system; false where that is not possible.</summary>
    public static bool Trim()
    {
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    /// <summary>
    /// Caps how many arenas malloc keeps; false where that is not possible. glibc gives every thread that
    /// allocates while another holds the lock an arena of its own, up to eight per core, and each keeps what its
    /// tensors freed in pieces too scattered for <see cref="Trim"/> to hand back. Call it before the threads start:
    /// glibc fixes the cap the first time it runs out of arenas, and keeps the ones it already made.
    /// </summary>
    public static bool LimitArenas(int arenas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(arenas, 1);
        try
        {
            return mallopt(M_ARENA_MAX, arenas) == 1;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }

    private const int M_ARENA_MAX = -8; // malloc.h

    // glibc's struct mallinfo2: ten size_t fields.
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint arena, ordblks, smblks, hblks, hblkhd, usmblks, fsmblks, uordblks, fordblks, keepcost;
    }

    [LibraryImport("libc", EntryPoint = "mallinfo2")] private static partial MallInfo2 mallinfo2();
    [LibraryImport("libc", EntryPoint = "malloc_trim")] private static partial int malloc_trim(nuint pad);
    [LibraryImport("libc", EntryPoint = "mallopt")] private static partial int mallopt(int param, int value);
}
