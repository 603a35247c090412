using System.Buffers.Binary;
using System.IO.Compression;
using GanLab.Core.Imaging;
using GanLab.Core.Models;

namespace GanLab.Core.Tests;

public class ImagingTests
{
    [Fact]
    public void A_png_decodes_back_to_its_pixels()
    {
        var pixels = Enumerable.Range(0, 6 * 4).Select(i => (byte)(i * 10)).ToArray();
        var png = Png.EncodeGray(pixels, width: 6, height: 4);
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(6, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(4, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(pixels, DecodeGray(png, 6, 4));
    }

    [Fact]
    public void A_sample_grid_maps_tanh_values_to_grey_levels_in_their_tiles()
    {
        // Two 2×2 images side by side: the first all −1 (black), the second all +1 (white).
        float[] images = [-1, -1, -1, -1, 1, 1, 1, 1];
        var png = SampleGrid.ToPng(images, rows: 1, columns: 2, new ImageFormat(1, 2, 2), PixelRange.MinusOneToOne);
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        var pixels = DecodeGray(png, width, height);
        Assert.Equal(0, pixels[2 * width + 2]);           // inside the first tile
        Assert.Equal(255, pixels[2 * width + 2 + 4]);     // inside the second tile (2 pixels + 2 of gap further)
    }

    [Fact]
    public void A_colour_grid_keeps_each_channel_plane_in_its_own_sample_and_maps_sigmoid_values_directly()
    {
        // One 1×1 RGB image from a sigmoid generator, channels first: red 1, green 0, blue 0.5.
        float[] image = [1f, 0f, 0.5f];
        var png = SampleGrid.ToPng(image, rows: 1, columns: 1, new ImageFormat(3, 1, 1), PixelRange.ZeroToOne);
        Assert.Equal(2, png[25]); // IHDR colour type: truecolour
        var width = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20));
        Assert.Equal((5, 5), (width, height)); // 1 pixel with a 2-pixel frame on each side
        var rgb = Decode(png, width, height, samplesPerPixel: 3);
        var inside = (2 * width + 2) * 3;
        Assert.Equal(new byte[] { 255, 0, 128 }, rgb[inside..(inside + 3)]);
        Assert.Equal(new byte[] { 64, 64, 64 }, rgb[..3]); // the frame
    }

    private static byte[] DecodeGray(byte[] png, int width, int height) => Decode(png, width, height, samplesPerPixel: 1);

    private static byte[] Decode(byte[] png, int width, int height, int samplesPerPixel)
    {
        var rowBytes = width * samplesPerPixel;
        // Find the IDAT chunk and inflate it; every row starts with filter byte 0.
        var offset = 8;
        while (true)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            if (type == "IDAT")
            {
                using var zlib = new ZLibStream(new MemoryStream(png, offset + 8, length), CompressionMode.Decompress);
                using var raw = new MemoryStream();
                zlib.CopyTo(raw);
                var rows = raw.ToArray();
                Assert.Equal(height * (rowBytes + 1), rows.Length);
                return Enumerable.Range(0, height).SelectMany(y => rows.Skip(y * (rowBytes + 1) + 1).Take(rowBytes)).ToArray();
            }
            offset += 12 + length;
        }
    }
}
