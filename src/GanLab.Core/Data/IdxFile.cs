using System.Buffers.Binary;
using System.IO.Compression;

namespace GanLab.Core.Data;

/// <summary>
/// The IDX format of MNIST and Fashion-MNIST: two zero bytes, a dtype byte, the number of dimensions,
/// then each dimension as a big-endian int32, then the raw data. Files ending in .gz are gunzipped.
/// Only unsigned bytes (dtype 0x08) are read: every image and label file of both datasets uses them.
/// </summary>
public static class IdxFile
{
    private const byte UnsignedByte = 0x08;

    /// <summary>The dimensions and the bytes of one IDX file, checked against each other.</summary>
    public sealed record Contents(int[] Dimensions, byte[] Data);

    public static Contents Read(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} is missing", file);
        byte[] bytes;
        try
        {
            bytes = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? Gunzip(file) : File.ReadAllBytes(file);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{file} is not a valid gzip file ({e.Message}): it is corrupt or truncated", e);
        }
        return Parse(file, bytes);
    }

    /// <summary>Reads an image file (n×rows×cols) and its label file (n) and checks that they match.</summary>
    public static ImageDataset ReadImages(string name, string imagesFile, string labelsFile)
    {
        var images = Read(imagesFile);
        var labels = Read(labelsFile);
        if (images.Dimensions.Length != 3)
            throw new InvalidDataException($"{imagesFile} has {images.Dimensions.Length} dimensions, not 3 (images × rows × columns)");
        if (labels.Dimensions.Length != 1)
            throw new InvalidDataException($"{labelsFile} has {labels.Dimensions.Length} dimensions, not 1 (one label per image)");
        if (images.Dimensions[0] != labels.Dimensions[0])
            throw new InvalidDataException(
                $"{imagesFile} holds {images.Dimensions[0]} images but {labelsFile} holds {labels.Dimensions[0]} labels: the two files do not belong together");
        var pixels = new float[images.Data.Length];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = images.Data[i] / 255f;
        return new ImageDataset(name, 1, images.Dimensions[1], images.Dimensions[2], pixels, labels.Data);
    }

    /// <summary>Writes an unsigned-byte IDX file, gzipped when the name ends in .gz (for tests and tools).</summary>
    public static void Write(string file, int[] dimensions, byte[] data)
    {
        using var output = File.Create(file);
        using Stream stream = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(output, CompressionLevel.Fastest)
            : output;
        stream.Write([0, 0, UnsignedByte, (byte)dimensions.Length]);
        Span<byte> dim = stackalloc byte[4];
        foreach (var d in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(dim, d);
            stream.Write(dim);
        }
        stream.Write(data);
    }

    private static Contents Parse(string file, byte[] bytes)
    {
        if (bytes.Length < 4 || bytes[0] != 0 || bytes[1] != 0)
            throw new InvalidDataException($"{file} does not start with the IDX magic number (two zero bytes, a type, a dimension count): it is not an IDX file");
        if (bytes[2] != UnsignedByte)
            throw new InvalidDataException($"{file} has IDX data type 0x{bytes[2]:X2}; only unsigned bytes (0x08) are supported");
        int ndim = bytes[3];
        if (ndim == 0) throw new InvalidDataException($"{file} declares 0 dimensions");
        var header = 4 + 4 * ndim;
        if (bytes.Length < header)
            throw new InvalidDataException($"{file} is truncated: it ends inside the header of {ndim} dimensions");
        var dims = new int[ndim];
        long count = 1;
        for (var i = 0; i < ndim; i++)
        {
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * i));
            if (dims[i] < 0) throw new InvalidDataException($"{file} declares a negative dimension ({dims[i]})");
            count *= dims[i];
        }
        var actual = bytes.Length - header;
        if (actual < count)
            throw new InvalidDataException(
                $"{file} is truncated: its dimensions {string.Join("×", dims)} need {count} bytes of data but it holds {actual}");
        if (actual > count)
            throw new InvalidDataException(
                $"{file} does not match its dimensions {string.Join("×", dims)}: they need {count} bytes of data but it holds {actual}");
        return new Contents(dims, bytes[header..]);
    }

    private static byte[] Gunzip(string file)
    {
        using var input = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        input.CopyTo(buffer);
        return buffer.ToArray();
    }
}
