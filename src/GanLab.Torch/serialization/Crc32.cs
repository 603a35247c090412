namespace GanLab.Torch;

/// <summary>
/// CRC-32 as in zip and PNG (reflected polynomial 0xEDB88320): the checkpoint's corruption check,
/// and the PNG chunk checksum of GanLab.Core's sample grids.
/// Twenty lines here instead of a package dependency: the binding otherwise needs nothing from NuGet.
/// </summary>
public static class Crc32
{
    private static readonly uint[] Table = MakeTable();

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }

    /// <summary>Continues a running CRC (start from <see cref="Initial"/>, finish with <see cref="Final"/>).</summary>
    public static uint Update(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    public const uint Initial = 0xFFFFFFFFu;
    public static uint Final(uint crc) => crc ^ 0xFFFFFFFFu;

    public static uint Compute(ReadOnlySpan<byte> data) => Final(Update(Initial, data));
}
