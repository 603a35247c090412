using Bunit;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Pretrained;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The latent explorer on a tiny pretrained MLP GAN trained in the test (a few steps on 48 synthetic "digits"):
/// its views, its controls, and what it says while the model is not ready.
/// </summary>
[Collection(nameof(PretrainedModelTraining))]
public class LatentExplorerTests : WebTestContext
{
    private static readonly PretrainedGan Tiny = new("tiny-mlp", "a test's GAN",
        new GanTrainingOptions { Model = "mlp-gan", Dataset = "mnist", BatchSize = 16, Seed = 4, Device = "cpu", MaxSteps = 4, TrainOn = "all" }, "noise");

    private readonly string _root = Directory.CreateTempSubdirectory("ganlab-latent-").FullName;
    private readonly ImageDataset _training;

    public LatentExplorerTests()
    {
        var random = new Random(2);
        var pixels = Enumerable.Range(0, 48 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        _training = new ImageDataset("mnist", 1, 28, 28, pixels, Enumerable.Range(0, 48).Select(i => (byte)(i % 10)).ToArray());
        Models = new PretrainedModels(new GanLabPaths(_root), new DatasetCatalog(new GanLabPaths(_root)).With(_training), [Tiny]);
    }

    private PretrainedModels Models { get; }

    /// <summary>The library the explorer sees, after (optionally) training the tiny model into the cache.</summary>
    private PretrainedLibrary Library(bool trained)
    {
        if (trained) Models.Ensure(Tiny);
        Pretrained.Dispose();
        Pretrained = new PretrainedLibrary(Models, NullLogger<PretrainedLibrary>.Instance);
        return Pretrained;
    }

    private IRenderedComponent<LatentExplorer> RenderExplorer(LatentExplorerSettings? settings = null, string? checkpoint = null) =>
        Render<LatentExplorer>(parameters => parameters
            .Add(p => p.Settings, settings ?? new LatentExplorerSettings { Model = Tiny.Name, Samples = 6, Neighbours = 3, Steps = 5 })
            .Add(p => p.Checkpoint, checkpoint));

    private static void WaitForImages(IRenderedComponent<LatentExplorer> explorer) =>
        explorer.WaitForAssertion(() => Assert.NotEmpty(explorer.FindAll("[data-testid=latent-sample]")), TimeSpan.FromSeconds(30));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_ready_model_shows_samples_the_interpolation_strip_arithmetic_pixel_sums_and_neighbours()
    {
        Library(trained: true);
        var explorer = RenderExplorer();
        WaitForImages(explorer);

        Assert.Equal(6, explorer.FindAll("[data-testid=latent-sample]").Count);
        Assert.Equal(5, explorer.FindAll("[data-testid=latent-strip-image]").Count);
        Assert.Equal(["t = 0", "t = 0.25", "t = 0.5", "t = 0.75", "t = 1"], explorer.FindAll("[data-testid=latent-strip] figcaption").Select(c => c.TextContent));
        Assert.StartsWith("data:image/png;base64,", explorer.Find("[data-testid=latent-arithmetic-result]").GetAttribute("src"));
        var pixelCaptions = explorer.FindAll("[data-testid=latent-pixels] figcaption").Select(c => c.TextContent).ToList();
        Assert.Contains(pixelCaptions, c => c.StartsWith("A + B"));
        Assert.Contains("A + (−A) (pixels 0 to 0)", pixelCaptions); // exactly cancelled, as seed 000 says
        Assert.Single(explorer.FindAll("[data-testid=latent-midpoint]"));
        Assert.Equal(3, explorer.FindAll("[data-testid=latent-neighbour]").Count);
        Assert.Contains("step 4", explorer.Find("[data-testid=latent-meta]").TextContent);
    }

    [Fact]
    public void The_neighbours_are_the_nearest_training_images_by_pixel_distance()
    {
        Library(trained: true);
        var explorer = RenderExplorer();
        WaitForImages(explorer);

        using var generator = Models.LoadGenerator(Tiny);
        var a = generator.GenerateOne(generator.LatentFor(1));
        var expected = GanLab.Core.Latent.NearestNeighbours.Of(a, _training, 3).Select(n => n.Index.ToString());
        Assert.Equal(expected, explorer.FindAll("[data-testid=latent-neighbour]").Select(n => n.GetAttribute("data-index")));
    }

    [Fact]
    public async Task Clicking_samples_sets_A_then_B_and_the_strip_follows()
    {
        Library(trained: true);
        var explorer = RenderExplorer();
        WaitForImages(explorer);
        var stripBefore = explorer.FindAll("[data-testid=latent-strip-image]").Select(i => i.GetAttribute("src")).ToList();

        // Found and clicked on the renderer's thread: choosing A redraws the strip meanwhile, which renews the samples' handlers.
        await explorer.InvokeAsync(() => explorer.Find("[data-testid=latent-sample][data-seed='5']").Click());
        explorer.WaitForAssertion(() => Assert.Equal("5", explorer.Find("[data-testid=latent-seed-a]").GetAttribute("value")));
        await explorer.InvokeAsync(() => explorer.Find("[data-testid=latent-sample][data-seed='6']").Click());
        explorer.WaitForAssertion(() => Assert.Equal("6", explorer.Find("[data-testid=latent-seed-b]").GetAttribute("value")));

        explorer.WaitForAssertion(() =>
        {
            var strip = explorer.FindAll("[data-testid=latent-strip-image]").Select(i => i.GetAttribute("src")).ToList();
            Assert.NotEqual(stripBefore, strip);
            // The strip's ends are the chosen samples themselves.
            Assert.Equal(explorer.Find("[data-testid=latent-sample][data-seed='5'] img").GetAttribute("src"), strip[0]);
            Assert.Equal(explorer.Find("[data-testid=latent-sample][data-seed='6'] img").GetAttribute("src"), strip[^1]);
        });
    }

    [Fact]
    public void Linear_and_spherical_paths_share_their_ends_and_differ_between()
    {
        Library(trained: true);
        var explorer = RenderExplorer();
        WaitForImages(explorer);
        var spherical = explorer.FindAll("[data-testid=latent-strip-image]").Select(i => i.GetAttribute("src")).ToList();

        explorer.Find("[data-testid=latent-interpolation]").Change("linear");
        explorer.WaitForAssertion(() =>
        {
            var linear = explorer.FindAll("[data-testid=latent-strip-image]").Select(i => i.GetAttribute("src")).ToList();
            Assert.Equal(spherical[0], linear[0]);
            Assert.Equal(spherical[^1], linear[^1]);
            Assert.NotEqual(spherical[2], linear[2]);
        });

        explorer.Find("[data-testid=latent-steps]").Change("9");
        explorer.WaitForAssertion(() => Assert.Equal(9, explorer.FindAll("[data-testid=latent-strip-image]").Count));
    }

    [Fact]
    public void Show_limits_the_views()
    {
        Library(trained: true);
        var explorer = RenderExplorer(new LatentExplorerSettings { Model = Tiny.Name, Samples = 4, Show = "pixels" });
        WaitForImages(explorer);

        Assert.NotEmpty(explorer.FindAll("[data-testid=latent-pixels]"));
        Assert.Empty(explorer.FindAll("[data-testid=latent-strip]"));
        Assert.Empty(explorer.FindAll("[data-testid=latent-arithmetic]"));
        Assert.Empty(explorer.FindAll("[data-testid=latent-neighbours]"));
    }

    [Fact]
    public void A_model_being_prepared_shows_its_progress_and_fills_in_when_ready()
    {
        var library = Library(trained: false);
        var explorer = RenderExplorer();
        Assert.Contains("not trained on this server", explorer.Find("[data-testid=latent-status]").TextContent);
        Assert.Contains("./ganlab pretrain --only tiny-mlp", explorer.Find("[data-testid=latent-status]").TextContent);

        library.Report(Tiny.Name, new PretrainedStatus(PretrainedState.Preparing, 0.42, null));
        explorer.WaitForAssertion(() => Assert.Contains("being prepared (42%)", explorer.Find("[data-testid=latent-status]").TextContent));
        Assert.Equal("42", explorer.Find("[data-testid=latent-progress]").GetAttribute("value"));

        Models.Ensure(Tiny);
        library.Report(Tiny.Name, new PretrainedStatus(PretrainedState.Ready, 1, null));
        WaitForImages(explorer);
    }

    [Fact]
    public void A_failed_preparation_says_why()
    {
        var library = Library(trained: false);
        var explorer = RenderExplorer();
        library.Report(Tiny.Name, new PretrainedStatus(PretrainedState.Failed, 0.1, "diverged at step 9"));
        explorer.WaitForAssertion(() => Assert.Contains("could not be prepared: diverged at step 9", explorer.Find("[data-testid=latent-status]").TextContent));
    }

    [Fact]
    public void A_runs_checkpoint_can_be_explored_and_a_broken_one_is_reported()
    {
        Library(trained: true);
        var explorer = RenderExplorer(checkpoint: Models.PathFor(Tiny.Name));
        WaitForImages(explorer);
        Assert.Contains("tiny-mlp.ganlab", explorer.Find(".latent-explorer__header").TextContent);

        var broken = Path.Combine(_root, "broken.ganlab");
        File.WriteAllText(broken, "not a checkpoint");
        var other = RenderExplorer(checkpoint: broken);
        other.WaitForAssertion(() => Assert.Contains("cannot be explored", other.Find("[data-testid=latent-error]").TextContent));
    }

    [Fact]
    public void Block_settings_are_checked_naming_the_allowed_values()
    {
        var problems = new LatentExplorerSettings { Model = "stylegan", Interpolation = "cubic", Show = "pixels, faces", Steps = 40 }.Validate();
        Assert.Contains(problems, p => p.StartsWith("model 'stylegan'") && p.Contains("mlp-gan-mnist"));
        Assert.Contains(problems, p => p.StartsWith("interpolation 'cubic'") && p.Contains("linear, spherical"));
        Assert.Contains(problems, p => p.StartsWith("show") && p.Contains("faces") && p.Contains("interpolation, arithmetic, pixels, neighbours"));
        Assert.Contains(problems, p => p.StartsWith("steps 40"));
        Assert.Empty(new LatentExplorerSettings().Validate());
    }
}

/// <summary>Tests that train a model share the CPU one at a time.</summary>
[CollectionDefinition(nameof(PretrainedModelTraining), DisableParallelization = true)]
public class PretrainedModelTraining;
