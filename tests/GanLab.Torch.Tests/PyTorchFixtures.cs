using System.Text.Json;

namespace GanLab.Torch.Tests;

/// <summary>
/// Reading the fixture files that PyTorch wrote (Fixtures/*.json, made by the make_*fixtures.py scripts)
/// and comparing our numbers with them, shared by every test class that uses PyTorch as the oracle.
/// </summary>
internal static class PyTorchFixtures
{
    // Beside the test assembly, not the process: a console runner (as used on the GPU machine) has its own base directory.
    private static readonly string FixtureFolder = Path.Combine(Path.GetDirectoryName(typeof(PyTorchFixtures).Assembly.Location)!, "Fixtures");

    public static JsonElement Load(string file) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(FixtureFolder, file))).RootElement;

    /// <summary>The "name" of every entry of the file's "cases", in file order: the theory data of a fixture test.</summary>
    public static TheoryData<string> CaseNames(JsonElement fixtures)
    {
        var data = new TheoryData<string>();
        foreach (var name in Names(fixtures)) data.Add(name);
        return data;
    }

    public static IEnumerable<string> Names(JsonElement fixtures) =>
        fixtures.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!);

    public static JsonElement Case(JsonElement fixtures, string name) =>
        fixtures.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static double[] Values(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    public static long[] Shape(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt64()).ToArray();
}
