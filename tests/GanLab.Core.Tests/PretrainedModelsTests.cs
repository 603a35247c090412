using GanLab.Core.Data;
using GanLab.Core.Latent;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;

namespace GanLab.Core.Tests;

/// <summary>The pretrained cache with budgets of a few steps on a small synthetic "mnist": seconds, not minutes.</summary>
[Collection(nameof(NativeMemory))]
public class PretrainedModelsTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ganlab-pretrained-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    internal static PretrainedGan Tiny(string name = "tiny-mlp", long steps = 6, int seed = 5) => new(name, "a test's GAN",
        new GanTrainingOptions { Model = "mlp-gan", Dataset = "mnist", BatchSize = 16, Seed = seed, Device = "cpu", MaxSteps = steps, TrainOn = "all" },
        "noise");

    private PretrainedModels Models(params PretrainedGan[] entries) =>
        new(new GanLabPaths(root), new DatasetCatalog(new GanLabPaths(root)).With(ZooTrainingTests.Synthetic(64)), entries);

    [Fact]
    public void A_missing_model_is_trained_to_its_budget_written_with_its_record_then_reused()
    {
        var entry = Tiny();
        var models = Models(entry);
        Assert.False(models.IsReady(entry));
        var steps = new List<long>();

        var (record, trainedNow) = models.Ensure(entry, progress: (step, budget) => steps.Add(step));

        Assert.True(trainedNow);
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
        Assert.Equal(6, record.Steps);
        Assert.Equal(entry.Name, record.Name);
        Assert.Contains("cores", record.Machine);
        Assert.True(File.Exists(models.PathFor(entry.Name)));
        Assert.False(File.Exists(models.PartialPathFor(entry.Name))); // renamed, not copied
        Assert.Equal(entry.Options, GanTrainer.ReadCheckpointOptions(models.PathFor(entry.Name)));

        var written = File.GetLastWriteTimeUtc(models.PathFor(entry.Name));
        var (again, trainedAgain) = models.Ensure(entry, progress: (_, _) => throw new InvalidOperationException("the cached model was trained again"));
        Assert.False(trainedAgain);
        Assert.Equal(record, again);
        Assert.Equal(written, File.GetLastWriteTimeUtc(models.PathFor(entry.Name)));
    }

    [Fact]
    public void A_damaged_cache_file_is_retrained_with_the_problem_named_instead_of_failing()
    {
        var entry = Tiny();
        var models = Models(entry);
        models.Ensure(entry);
        var path = models.PathFor(entry.Name);
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(path, bytes);

        Assert.Null(models.ReadCached(entry, out var problem));
        Assert.Contains(path, problem);
        var log = new List<string>();
        var (record, trainedNow) = models.Ensure(entry, log: log.Add);
        Assert.True(trainedNow);
        Assert.Contains(log, line => line.Contains("training it again"));
        Assert.NotNull(models.ReadCached(entry, out _));
        Assert.Equal(6, record.Steps);
    }

    [Fact]
    public void A_file_trained_with_other_options_is_stale_and_retrained()
    {
        var old = Tiny(seed: 5);
        Models(old).Ensure(old);
        var changed = Tiny(seed: 6); // the catalogue's recipe changed
        var models = Models(changed);
        Assert.Null(models.ReadCached(changed, out var problem));
        Assert.Contains("other options", problem);
        Assert.True(models.Ensure(changed).TrainedNow);
    }

    [Fact]
    public void Training_stopped_midway_keeps_a_partial_checkpoint_that_the_next_session_goes_on_from()
    {
        var entry = Tiny(steps: 8);
        var models = Models(entry);
        using (var first = models.StartTraining(entry))
        {
            Assert.False(first.TrainUntil(() => first.Step >= 3));
            first.SavePartial();
        }
        Assert.False(models.IsReady(entry)); // a partial model is never served
        Assert.True(File.Exists(models.PartialPathFor(entry.Name)));

        var steps = new List<long>();
        var (record, _) = models.Ensure(entry, progress: (step, _) => steps.Add(step));
        Assert.Equal([4, 5, 6, 7, 8], steps);
        Assert.Equal(8, record.Steps);
    }

    [Fact]
    public void A_cancelled_ensure_saves_its_steps_and_throws()
    {
        var entry = Tiny(steps: 50);
        var models = Models(entry);
        using var cancel = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => models.Ensure(entry, progress: (step, _) => { if (step == 2) cancel.Cancel(); }, cancel: cancel.Token));
        Assert.True(File.Exists(models.PartialPathFor(entry.Name)));
        Assert.False(models.IsReady(entry));
    }

    [Fact]
    public void The_cached_generator_draws_the_same_image_for_the_same_seed_in_the_data_range()
    {
        var entry = Tiny();
        var models = Models(entry);
        models.Ensure(entry);
        using var generator = models.LoadGenerator(entry);
        Assert.Equal(100, generator.LatentSize);
        Assert.Equal(6, generator.Step);
        var z = generator.LatentFor(11);
        Assert.Equal(z, generator.LatentFor(11));
        Assert.NotEqual(z, generator.LatentFor(12));
        var images = generator.Generate([z, z, generator.LatentFor(12)]);
        Assert.Equal(3 * 784, images.Length);
        Assert.All(images, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(images.AsSpan(0, 784).ToArray(), images.AsSpan(784, 784).ToArray());
        Assert.Throws<ArgumentException>(() => generator.Generate([new float[3]]));
    }

    [Fact]
    public void A_diverging_model_fails_naming_the_step_and_leaves_no_model_behind()
    {
        // Pixels of NaN poison D's loss at the first step, as a runaway learning rate does later on.
        var poisoned = new ImageDataset("mnist", 1, 28, 28, Enumerable.Repeat(float.NaN, 784 * 32).ToArray(), new byte[32]);
        var entry = Tiny();
        var models = new PretrainedModels(new GanLabPaths(root), new DatasetCatalog(new GanLabPaths(root)).With(poisoned), [entry]);

        var e = Assert.Throws<DivergedStateException>(() => models.Ensure(entry));
        Assert.Contains("tiny-mlp diverged at step 1", e.Message);
        Assert.False(File.Exists(models.PathFor(entry.Name)));
    }

    [Fact]
    public void Loading_a_model_that_is_not_trained_says_how_to_train_it()
    {
        var entry = Tiny();
        var e = Assert.Throws<InvalidOperationException>(() => Models(entry).LoadGenerator(entry));
        Assert.Contains("ganlab pretrain --only tiny-mlp", e.Message);
    }

    [Fact]
    public void The_catalogue_names_the_lessons_models_each_with_a_valid_recipe_and_budget()
    {
        Assert.Contains("mlp-gan-mnist", PretrainedCatalog.Names);
        Assert.Contains("dcgan-mnist", PretrainedCatalog.Names);
        Assert.Contains("classifier-mnist", PretrainedCatalog.Names);
        foreach (var entry in PretrainedCatalog.Gans)
        {
            Assert.Empty(entry.Options.Validate());
            Assert.True(entry.Steps > 0);
            Assert.Equal("cpu", entry.Options.Device);
        }
        var unknown = Assert.Throws<ArgumentException>(() => new PretrainedModels(new GanLabPaths(root), new DatasetCatalog(new GanLabPaths(root))).Find("nope"));
        Assert.Contains("mlp-gan-mnist", unknown.Message);
    }
}
