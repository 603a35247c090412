namespace GanLab.Torch;

/// <summary>Where a tensor lives. Values match the shim's device codes (0 CPU, 1 CUDA).</summary>
public enum DeviceType { CPU = 0, CUDA = 1 }

/// <summary>A device and, for CUDA, its index; written "cpu", "cuda" or "cuda:1" as in PyTorch.</summary>
public readonly record struct Device(DeviceType Type, int Index = -1)
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA, 0);

    internal int NativeIndex => Type == DeviceType.CUDA ? Math.Max(Index, 0) : -1;

    public static Device Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" => CUDA,
        var s when s.StartsWith("cuda:") && int.TryParse(s.AsSpan(5), out var index) && index >= 0 => new(DeviceType.CUDA, index),
        _ => throw new ArgumentException($"'{text}' is not a device; use cpu, cuda or cuda:N"),
    };

    public override string ToString() => Type == DeviceType.CPU ? "cpu" : Index < 0 ? "cuda" : $"cuda:{Index}";
}

/// <summary>Element types, numbered as libtorch's c10::ScalarType so they cross the ABI unchanged.</summary>
public enum ScalarType
{
    Byte = 0, Int8 = 1, Int16 = 2, Int32 = 3, Int64 = 4, Float16 = 5, Float32 = 6, Float64 = 7, Bool = 11, BFloat16 = 15,
}
