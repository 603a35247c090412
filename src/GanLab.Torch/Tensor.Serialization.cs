using static GanLab.Torch.Native.NativeMethods;

namespace GanLab.Torch;

// Raw bytes in and out, for our checkpoint format: elements in the tensor's own dtype, row-major, native byte order.
public sealed unsafe partial class Tensor
{
    /// <summary>Bytes per element of a dtype.</summary>
    internal static int ElementSize(ScalarType type) => type switch
    {
        ScalarType.Byte or ScalarType.Int8 or ScalarType.Bool => 1,
        ScalarType.Int16 or ScalarType.Float16 or ScalarType.BFloat16 => 2,
        ScalarType.Int32 or ScalarType.Float32 => 4,
        ScalarType.Int64 or ScalarType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "no element size known for this dtype"),
    };

    /// <summary>The elements as bytes in this tensor's dtype (copied to the CPU and made contiguous first).</summary>
    internal byte[] ToRawBytes()
    {
        var type = dtype;
        var count = numel();
        var bytes = new byte[checked(count * ElementSize(type))];
        fixed (byte* p = bytes) Check(ganlab_tensor_copy_to(Handle, p, (int)type, count));
        GC.KeepAlive(this);
        return bytes;
    }

    /// <summary>A new CPU tensor with its own copy of the bytes.</summary>
    internal static Tensor FromRawBytes(ReadOnlySpan<byte> data, ScalarType type, long[] shape)
    {
        var count = shape.Aggregate(1L, (a, b) => a * b);
        if (count * ElementSize(type) != data.Length)
            throw new ArgumentException($"{data.Length} bytes cannot hold a {type} tensor of shape [{string.Join(", ", shape)}]");
        // from_blob reads through the pointer, so even an empty tensor needs a valid one.
        byte dummy = 0;
        fixed (byte* d = data)
        fixed (long* s = shape)
            return new Tensor(ganlab_tensor_from_data(data.Length == 0 ? &dummy : d, (int)type, s, shape.Length, (int)DeviceType.CPU, -1, 0));
    }
}
