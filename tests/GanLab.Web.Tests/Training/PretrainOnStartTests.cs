using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;
using GanLab.Web.Pretrained;
using GanLab.Web.Tests.Components;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanLab.Web.Tests.Training;

/// <summary>The background pretraining of a server's first start, with a catalogue of two tiny models (seconds).</summary>
[Collection(nameof(PretrainedModelTraining))]
public class PretrainOnStartTests : WebTestContext
{
    private readonly string _root = Directory.CreateTempSubdirectory("ganlab-pretrain-start-").FullName;

    private static PretrainedGan Tiny(string name, int seed, long steps = 5) => new(name, "a test's GAN",
        new GanTrainingOptions { Model = "mlp-gan", Dataset = "mnist", BatchSize = 16, Seed = seed, Device = "cpu", MaxSteps = steps, TrainOn = "all" }, "noise");

    private PretrainedLibrary TinyLibrary(params PretrainedGan[] catalogue)
    {
        var random = new Random(5);
        var pixels = Enumerable.Range(0, 48 * 784).Select(_ => (float)random.NextDouble()).ToArray();
        var datasets = new DatasetCatalog(new GanLabPaths(_root)).With(new ImageDataset("mnist", 1, 28, 28, pixels, new byte[48]));
        return new PretrainedLibrary(new PretrainedModels(new GanLabPaths(_root), datasets, catalogue.Length > 0 ? catalogue : [Tiny("tiny-a", 1), Tiny("tiny-b", 2)]), NullLogger<PretrainedLibrary>.Instance);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Missing_models_train_one_after_another_as_runs_of_the_pretrain_browser_then_are_ready()
    {
        using var library = TinyLibrary();
        var browsers = new HashSet<string>();
        Training.Scheduler.Changed += () =>
        {
            lock (browsers) foreach (var run in Training.Scheduler.Snapshot()) browsers.Add(run.Run.BrowserId);
        };
        var statuses = new List<PretrainedStatus>();
        library.Changed += name => { lock (statuses) statuses.Add(library.StatusOf(name)); };
        Options.PretrainOnStart = true;
        var service = new PretrainOnStart(library, Training, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PretrainOnStart>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(PretrainedState.Ready, library.StatusOf("tiny-a").State);
        Assert.Equal(PretrainedState.Ready, library.StatusOf("tiny-b").State);
        Assert.True(library.Models.IsReady(library.Models.Find("tiny-b")));
        lock (browsers) Assert.Equal([PretrainOnStart.BrowserId], browsers);
        lock (statuses) Assert.Contains(statuses, s => s.State == PretrainedState.Preparing);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task A_server_stopping_midway_keeps_the_steps_for_its_next_start()
    {
        var endless = Tiny("tiny-long", 3, steps: 1_000_000);
        using var library = TinyLibrary(endless);
        Options.PretrainOnStart = true;
        var service = new PretrainOnStart(library, Training, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PretrainOnStart>.Instance);
        var started = new TaskCompletionSource();
        library.Changed += _ => { if (library.StatusOf(endless.Name).Fraction > 0) started.TrySetResult(); };

        await service.StartAsync(CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await service.StopAsync(CancellationToken.None);

        Assert.True(library.Models.PartialStep(endless) > 0);
        Assert.False(library.Models.IsReady(endless));
        Assert.Equal(0, Training.Scheduler.QueuedCount + Training.Scheduler.RunningCount);
    }

    [Fact]
    public async Task Switched_off_it_trains_nothing_and_the_models_stay_missing()
    {
        using var library = TinyLibrary();
        Options.PretrainOnStart = false;
        var service = new PretrainOnStart(library, Training, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<PretrainOnStart>.Instance);

        await service.StartAsync(CancellationToken.None);
        await service.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(PretrainedState.Missing, library.StatusOf("tiny-a").State);
        Assert.False(File.Exists(library.Models.PathFor("tiny-a")));
        Assert.Equal(0, Training.Scheduler.QueuedCount + Training.Scheduler.RunningCount);
    }

    [Fact]
    public void The_option_is_on_unless_a_server_turns_it_off()
    {
        Assert.True(new GanLabWebOptions().PretrainOnStart);
    }
}
