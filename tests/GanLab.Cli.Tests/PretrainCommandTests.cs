using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;

namespace GanLab.Cli.Tests;

public class PretrainRequestTests
{
    private static readonly string[] Names = PretrainedCatalog.Names.ToArray();

    [Fact]
    public void No_arguments_train_everything_that_is_missing()
    {
        Assert.Equal(new PretrainRequest(false, null), PretrainRequest.Parse([], Names));
    }

    [Fact]
    public void List_is_a_flag_and_only_takes_a_catalogue_name()
    {
        Assert.Equal(new PretrainRequest(true, null), PretrainRequest.Parse(["--list"], Names));
        Assert.Equal(new PretrainRequest(false, "dcgan-mnist"), PretrainRequest.Parse(["--only", "dcgan-mnist"], Names));
        Assert.Equal(new PretrainRequest(true, "classifier-mnist"), PretrainRequest.Parse(["--only", "classifier-mnist", "--list"], Names));
    }

    [Theory]
    [InlineData(new[] { "--only", "stylegan" }, "allowed: mlp-gan-mnist")]
    [InlineData(new[] { "--only" }, "--only needs a value")]
    [InlineData(new[] { "--steps", "5" }, "unknown option --steps; allowed: --only")]
    [InlineData(new[] { "--list", "--list" }, "--list is given twice")]
    [InlineData(new[] { "mlp-gan-mnist" }, "expected --option value")]
    public void Bad_arguments_say_what_is_allowed(string[] args, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => PretrainRequest.Parse(args, Names));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void The_command_line_reports_a_bad_name_with_exit_code_1()
    {
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, Commands.Run(["pretrain", "--only", "stylegan"]));
        }
        finally
        {
            Console.SetError(previous);
        }
        Assert.Contains("--only 'stylegan' is unknown; allowed: mlp-gan-mnist", error.ToString());
    }
}

public class PretrainCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("ganlab-cli-pretrain-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static readonly PretrainedGan Tiny = new("tiny-mlp", "a test's GAN",
        new GanTrainingOptions { Model = "mlp-gan", Dataset = "mnist", BatchSize = 16, Seed = 3, Device = "cpu", MaxSteps = 5, TrainOn = "all" }, "noise");

    private (PretrainedModels, DomainClassifiers) Services()
    {
        var paths = new GanLabPaths(root);
        // A small synthetic "mnist": the command's logic, not MNIST, is under test.
        var random = new Random(1);
        var pixels = Enumerable.Range(0, 48 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        var datasets = new DatasetCatalog(paths).With(new ImageDataset("mnist", 1, 28, 28, pixels, new byte[48]));
        return (new PretrainedModels(paths, datasets, [Tiny]), new DomainClassifiers(paths, datasets));
    }

    [Fact]
    public void List_says_which_models_are_missing_then_cached_with_their_recipe()
    {
        var (models, classifiers) = Services();
        var before = new StringWriter();
        Assert.Equal(0, PretrainCommand.Run(new PretrainRequest(true, null), models, classifiers, ["mnist"], before));
        Assert.Contains("tiny-mlp", before.ToString());
        Assert.Contains("mlp-gan on mnist, 5 steps, batch 16", before.ToString());
        Assert.Contains("missing", before.ToString());
        Assert.Contains("classifier-mnist", before.ToString());
        Assert.False(File.Exists(models.PathFor("tiny-mlp"))); // listing trains nothing

        PretrainCommand.Run(new PretrainRequest(false, "tiny-mlp"), models, classifiers, ["mnist"], TextWriter.Null);
        var after = new StringWriter();
        PretrainCommand.Run(new PretrainRequest(true, null), models, classifiers, ["mnist"], after);
        Assert.Contains("cached: 5 steps", after.ToString());
    }

    [Fact]
    public void List_tells_of_a_partial_checkpoint_and_pretrain_goes_on_from_it()
    {
        var (models, classifiers) = Services();
        using (var training = models.StartTraining(Tiny))
        {
            training.TrainUntil(() => training.Step >= 2);
            training.SavePartial();
        }
        var listed = new StringWriter();
        PretrainCommand.Run(new PretrainRequest(true, null), models, classifiers, ["mnist"], listed);
        Assert.Contains("a partial checkpoint holds 2 steps", listed.ToString());

        var trained = new StringWriter();
        PretrainCommand.Run(new PretrainRequest(false, "tiny-mlp"), models, classifiers, ["mnist"], trained);
        Assert.Contains("going on from", trained.ToString());
        Assert.Contains("tiny-mlp: step 3/5", trained.ToString()); // the first line comes at once: step 3 is the first made here
    }

    [Fact]
    public void A_stop_request_keeps_the_steps_and_says_so()
    {
        var (models, classifiers) = Services();
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() =>
            PretrainCommand.Run(new PretrainRequest(false, "tiny-mlp"), models, classifiers, ["mnist"], TextWriter.Null, stop.Token));
        Assert.False(models.IsReady(Tiny));
        Assert.Equal(0, models.PartialStep(Tiny)); // stopped before its first step: a partial file at step 0
    }

    [Fact]
    public void Pretrain_trains_with_a_progress_line_and_a_second_run_skips_the_cached_model()
    {
        var (models, classifiers) = Services();
        var first = new StringWriter();
        PretrainCommand.Run(new PretrainRequest(false, "tiny-mlp"), models, classifiers, ["mnist"], first);
        Assert.Contains("tiny-mlp: step 5/5 (100%)", first.ToString());
        Assert.Contains("tiny-mlp: trained 5 steps", first.ToString());
        Assert.DoesNotContain("classifier", first.ToString()); // --only: nothing else is trained

        var second = new StringWriter();
        PretrainCommand.Run(new PretrainRequest(false, "tiny-mlp"), models, classifiers, ["mnist"], second);
        Assert.Contains("tiny-mlp: cached", second.ToString());
        Assert.DoesNotContain("step", second.ToString().Replace("steps", ""));
    }
}
