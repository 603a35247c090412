using Bunit;
using GanLab.Core.Models;
using GanLab.Web.Components.Lessons;

namespace GanLab.Web.Tests.Components;

/// <summary>The architecture block against Core's ModelSummary (libtorch shim needed): the numbers `./ganlab models` prints.</summary>
public class ModelArchitectureTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private IRenderedComponent<ModelArchitecture> RenderArchitecture(ArchitectureSettings settings)
    {
        var block = Render<ModelArchitecture>(parameters => parameters.Add(p => p.Settings, settings));
        block.WaitForAssertion(() => Assert.Empty(block.FindAll("[data-testid=architecture-pending]")), Patience);
        return block;
    }

    private static string Total(AngleSharp.Dom.IElement table, string testId) => table.QuerySelector($"[data-testid={testId}]")!.TextContent.Trim();

    [Fact]
    public void Dcgan_shows_seed_001s_parameter_counts_and_every_layer_of_the_summary()
    {
        var block = RenderArchitecture(new ArchitectureSettings { Model = "dcgan", Dataset = "mnist" });

        var tables = block.FindAll("[data-testid=architecture-network]");
        Assert.Equal(["generator", "discriminator"], tables.Select(t => t.GetAttribute("data-network")));
        var (g, d) = (tables[0], tables[1]);
        Assert.Equal(("2,330,944", "2,305,472", "25,472"), (Total(g, "architecture-total"), Total(g, "architecture-trainable"), Total(g, "architecture-non-trainable")));
        Assert.Equal("212,865", Total(d, "architecture-total"));

        // Row for row what ModelSummary (and so `./ganlab models dcgan`) has.
        var summary = ModelSummary.Of("dcgan");
        var rows = g.QuerySelectorAll("[data-testid=architecture-layer]");
        Assert.Equal(summary.Generator.Layers.Count, rows.Length);
        for (var i = 0; i < rows.Length; i++)
        {
            var layer = summary.Generator.Layers[i];
            var cells = rows[i].QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal($"{layer.Name} ({layer.Kind})", cells[0]);
            Assert.Equal(NetworkSummary.Shape(layer.OutputShape), cells[1]);
            Assert.Equal(layer.Trainable.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), cells[2]);
        }
        Assert.Equal("1×28×28", g.QuerySelectorAll("[data-testid=architecture-layer]")[^1].QuerySelectorAll("td")[1].TextContent.Trim());
    }

    [Fact]
    public void One_network_a_dataset_format_and_a_latent_size_can_be_chosen()
    {
        var block = RenderArchitecture(new ArchitectureSettings { Model = "cgan", Dataset = "mnist", LatentSize = 64, Network = "discriminator" });

        var table = Assert.Single(block.FindAll("[data-testid=architecture-network]"));
        Assert.Equal("discriminator", table.GetAttribute("data-network"));
        Assert.Contains("images 1×28×28", block.Find("[data-testid=architecture-caption]").TextContent);
        Assert.Contains("z of 64", block.Find("[data-testid=architecture-caption]").TextContent);
        Assert.Equal(ModelSummary.Of("cgan", ImageFormat.Grey28, 64).Discriminator.Total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture),
            Total(table, "architecture-total"));
    }

    [Theory]
    [InlineData("dcgann", null, null, "both", "model 'dcgann' is unknown; allowed: mlp-gan, dcgan")]
    [InlineData("dcgan", null, "3x32x32", "both", "which model 'dcgan' does not make; allowed for dcgan: 1×28×28")]
    [InlineData("dcgan", "cifar10", null, "both", "dataset cifar10 gives 3×32×32 images")]
    [InlineData("dcgan", null, "28 by 28", "both", "is not channels×height×width")]
    [InlineData("dcgan", null, null, "critic", "network 'critic' is unknown; allowed: both, generator, discriminator")]
    public void Bad_settings_say_what_is_wrong_and_what_is_allowed(string model, string? dataset, string? image, string network, string expected)
    {
        var settings = new ArchitectureSettings { Model = model, Dataset = dataset, Image = image, Network = network };

        Assert.Contains(settings.Validate(), problem => problem.Contains(expected));
        var block = Render<ModelArchitecture>(parameters => parameters.Add(p => p.Settings, settings));
        Assert.Contains(expected, block.Find("[data-testid=architecture-error]").TextContent);
        Assert.Empty(block.FindAll("[data-testid=architecture-network]"));
    }

    [Fact]
    public void A_lesson_block_with_a_bad_model_is_a_problem_on_its_line()
    {
        var lesson = ParseLesson("```model-architecture\nnetwork: generator\nmodel: gan\n```\n");

        var problem = Assert.Single(lesson.Problems, p => p.Parameter is not null);
        Assert.Equal(3, problem.Line);
        Assert.Contains("allowed: mlp-gan", problem.Message);
    }
}
