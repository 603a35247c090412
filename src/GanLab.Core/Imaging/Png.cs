using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using GanLab.Torch;

namespace GanLab.Core.Imaging;

/// <summary>
/// A minimal PNG writer for 8-bit greyscale and RGB images. No image library is in our package registry,
/// and sample grids are all the server ever has to encode.
/// </summary>
public static class Png
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private const byte Greyscale = 0, Truecolour = 2; // PNG's colour types

    public static byte[] EncodeGray(ReadOnlySpan<byte> pixels, int width, int height) => Encode(pixels, width, height, Greyscale, 1);

    /// <summary>pixels: R, G, B bytes per pixel, row after row (CIFAR-10 samples).</summary>
    public static byte[] EncodeRgb(ReadOnlySpan<byte> pixels, int width, int height) => Encode(pixels, width, height, Truecolour, 3);

    private static byte[] Encode(ReadOnlySpan<byte> pixels, int width, int height, byte colourType, int samplesPerPixel)
    {
        if (pixels.Length != width * height * samplesPerPixel)
            throw new ArgumentException($"{pixels.Length} bytes do not make a {width}×{height} image of {samplesPerPixel} byte(s) per pixel");
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8;  // bits per sample
        header[9] = colourType;
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(output, "IHDR", header);

        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0); // filter type None for every row
                zlib.Write(pixels.Slice(y * width * samplesPerPixel, width * samplesPerPixel));
            }
        }
        WriteChunk(output, "IDAT", compressed.ToArray());
        WriteChunk(output, "IEND", ReadOnlySpan<byte>.Empty);
        return output.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crc = Crc32.Final(Crc32.Update(Crc32.Update(Crc32.Initial, typeBytes), data));
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
