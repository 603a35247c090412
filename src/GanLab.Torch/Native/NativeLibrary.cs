using System.Reflection;
using System.Runtime.InteropServices;

namespace GanLab.Torch.Native;

/// <summary>
/// Finds libganlab_torch.so beside our assembly and, when it cannot be loaded, says exactly what is
/// missing and how to get it: a bare DllNotFoundException would leave a student guessing.
/// </summary>
internal static class ShimLoader
{
    internal const string LibraryName = "ganlab_torch";
    private const string FileName = "libganlab_torch.so";

    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void Register() =>
        System.Runtime.InteropServices.NativeLibrary.SetDllImportResolver(typeof(ShimLoader).Assembly, Resolve);

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName) return IntPtr.Zero;
        var candidates = new[]
        {
            Path.Combine(AppContext.BaseDirectory, FileName),
            Path.Combine(Path.GetDirectoryName(assembly.Location) ?? AppContext.BaseDirectory, FileName),
        };
        Exception? lastFailure = null;
        foreach (var path in candidates.Distinct())
        {
            if (!File.Exists(path)) continue;
            try { return System.Runtime.InteropServices.NativeLibrary.Load(path); }
            catch (Exception e) { lastFailure = e; }
        }
        throw new DllNotFoundException(lastFailure is null
            ? $"GanLab's native shim {FileName} is not beside {assembly.GetName().Name}.dll (looked in {string.Join(", ", candidates.Distinct())}). " +
              "Build it with `./ganlab test` or `dotnet build`, which runs CMake on src/GanLab.Torch/native; it needs Debian's libtorch-dev and cmake."
            : $"GanLab's native shim {FileName} was found but could not be loaded: {lastFailure.Message}. " +
              "Usually the libtorch it was built against is missing: install Debian's libtorch1.13 and libopenblas0-pthread " +
              "(`./ganlab serve` does), or rebuild after changing GANLAB_LIBTORCH.", lastFailure);
    }
}
