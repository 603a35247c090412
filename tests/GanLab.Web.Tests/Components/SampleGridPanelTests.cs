using Bunit;
using System.Reflection;
using GanLab.Core.Training;
using GanLab.Web.Tests.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Runs;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The ```sample-grid block: the browser's newest run as gan-metrics finds it, its stored grids on the slider with Play,
/// real images beside them, a live run's new grids, and the message when there is no run. Stored runs are written to the
/// test's own runs database; their grids are distinct byte strings, so each shown image names the grid it came from.
/// One training slot: a run held in it keeps a new run queued, without a grid, for as long as a test needs.
/// </summary>
public class SampleGridPanelTests() : WebTestContext(maxConcurrentRuns: 1)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static byte[] Grid(long step) => [.. BitConverter.GetBytes(step), 0x89, 0x50, 0x4e, 0x47];

    private static string Url(long step) => "data:image/png;base64," + Convert.ToBase64String(Grid(step));

    /// <summary>A finished run of this browser with a grid stored at each of <paramref name="steps"/>.</summary>
    private void StoredRun(string id, string model, DateTimeOffset created, params long[] steps)
    {
        var options = new GanTrainingOptions { Model = model, Dataset = "mnist", BatchSize = 16, MaxSteps = steps.Max() };
        var run = new RunRecord(id, BrowserId, options, RunStatus.Finished, created, Steps: steps.Max());
        Store.Write([new RunWrite.Run(run), .. steps.Select(step => new RunWrite.Snapshot(id, step, Grid(step)))]);
    }

    private IRenderedComponent<SampleGridPanel> RenderBlock(SampleGridSettings settings) =>
        Render<SampleGridPanel>(parameters => parameters.Add(p => p.Settings, settings));

    private static string Text(IRenderedComponent<SampleGridPanel> block, string testId) =>
        block.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void Settings_name_the_allowed_values_of_a_wrong_run_model_or_dataset()
    {
        Assert.Empty(new SampleGridSettings().Validate());
        Assert.Empty(new SampleGridSettings { Model = "dcgan", Dataset = "mnist" }.Validate());

        var problems = new SampleGridSettings { Run = "oldest", Model = "big-gan", Dataset = "imagenet" }.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Equal("run 'oldest' is unknown; allowed: newest", problems[0]);
        Assert.StartsWith("model 'big-gan' is unknown; allowed: ", problems[1]);
        Assert.Contains("mlp-gan", problems[1]);
        Assert.StartsWith("dataset 'imagenet' is unknown; allowed: ", problems[2]);
        Assert.Contains("mnist", problems[2]);
    }

    [Fact]
    public void Wrong_settings_show_in_place_of_the_grid()
    {
        var block = RenderBlock(new SampleGridSettings { Run = "oldest" });

        Assert.Contains("allowed: newest", Text(block, "sample-grid-settings-error"));
        Assert.Empty(block.FindAll("[data-testid=sample-grid]"));
    }

    [Fact]
    public void Without_a_run_it_asks_for_one_above()
    {
        StoredRun("dcgan-run-0000", "dcgan", DateTimeOffset.UtcNow, 10, 20);

        var block = RenderBlock(new SampleGridSettings { Model = "mlp-gan", Dataset = "mnist" });

        // The runs database is read off the page's thread: the answer follows the first render.
        block.WaitForAssertion(() => Assert.Equal(
            "No mlp-gan run on mnist of yours yet: train one above first (Train or Step), and its samples over time appear here.",
            Text(block, "sample-grid-nothing")));
        // The empty view waits for the run: no grid, a slider that cannot move yet.
        Assert.Null(block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.True(block.Find("[data-testid=trainer-timeline]").HasAttribute("disabled"));
        Assert.Equal("no grids kept yet", Text(block, "timeline-kept"));
    }

    [Fact]
    public void A_stored_runs_grids_fill_the_slider_and_the_newest_shows()
    {
        StoredRun("mlp-run-00000", "mlp-gan", DateTimeOffset.UtcNow.AddMinutes(-5), 10, 20, 30);
        // Newer, but of another model: the block's filter leaves it out.
        StoredRun("dcgan-run-0000", "dcgan", DateTimeOffset.UtcNow, 5, 6);

        var block = RenderBlock(new SampleGridSettings { Model = "mlp-gan", Real = false });

        block.WaitForAssertion(() => Assert.Equal("Samples over time of your mlp-gan run on mnist (run mlp-run-, finished, step 30).", Text(block, "sample-grid-source")));
        Assert.Equal("3 grids kept", Text(block, "timeline-kept"));
        var slider = block.Find("[data-testid=trainer-timeline]");
        Assert.Equal("2", slider.GetAttribute("max"));
        Assert.Equal("2", slider.GetAttribute("value"));
        Assert.False(slider.HasAttribute("disabled"));
        Assert.Equal(Url(30), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.Equal("Generator samples from the fixed noise, step 30", Text(block, "sample-grid-caption"));
        Assert.Empty(block.FindAll("[data-testid=real-grid]"));
    }

    [Fact]
    public async Task The_slider_and_play_choose_older_grids_and_play_ends_on_the_newest()
    {
        StoredRun("mlp-run-00000", "mlp-gan", DateTimeOffset.UtcNow, 10, 20, 30);
        var block = RenderBlock(new SampleGridSettings { Real = false });
        block.WaitForAssertion(() => Assert.Equal("3 grids kept", Text(block, "timeline-kept")));

        block.Find("[data-testid=trainer-timeline]").Input("1");
        block.WaitForAssertion(() => Assert.Equal("Generator samples from the fixed noise, step 20 (replay)", Text(block, "sample-grid-caption")));
        Assert.Equal(Url(20), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));

        await block.ClickAsync("[data-testid=trainer-timeline-play]");
        // Play goes on from the grid the slider is on.
        Assert.EndsWith("Stop replay", Text(block, "trainer-timeline-play"));
        Assert.Equal(Url(20), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        block.WaitForAssertion(() =>
        {
            Assert.Equal("Generator samples from the fixed noise, step 30", Text(block, "sample-grid-caption"));
            Assert.EndsWith("Play", Text(block, "trainer-timeline-play"));
        }, Patience);
        Assert.Equal(Url(30), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));

        // From the newest, Play replays from the first grid.
        await block.ClickAsync("[data-testid=trainer-timeline-play]");
        Assert.Equal(Url(10), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.EndsWith("step 10 (replay)", Text(block, "sample-grid-caption"));
        block.WaitForAssertion(() => Assert.Equal(Url(30), block.Find("img[data-testid=sample-grid]").GetAttribute("src")), Patience);
    }

    [Fact]
    public void Real_images_of_the_runs_dataset_show_beside_the_fakes()
    {
        StoredRun("mlp-run-00000", "mlp-gan", DateTimeOffset.UtcNow, 10, 20);

        var block = RenderBlock(new SampleGridSettings());

        block.WaitForAssertion(() => Assert.StartsWith("data:image/png;base64,", block.Find("img[data-testid=real-grid]").GetAttribute("src")), Patience);
        Assert.Contains("Real training images of mnist", Text(block, "real-samples"));
        Assert.NotEqual(block.Find("img[data-testid=sample-grid]").GetAttribute("src"), block.Find("img[data-testid=real-grid]").GetAttribute("src"));
    }

    [Fact]
    public void A_run_started_after_the_page_opened_shows_with_its_live_grid()
    {
        StoredRun("older-run-0000", "mlp-gan", DateTimeOffset.UtcNow.AddMinutes(-5), 10, 20, 30);
        var block = RenderBlock(new SampleGridSettings { Model = "mlp-gan", Real = false });
        block.WaitForAssertion(() => Assert.Equal("3 grids kept", Text(block, "timeline-kept")));

        // The trainer above pressed Step: a new run of this browser trains one step and pauses.
        var run = Training.CreateRun(new GanTrainingOptions { Model = "mlp-gan", BatchSize = 16, Device = "cpu" }, BrowserId, firstStepOnly: true);

        block.WaitForAssertion(() =>
        {
            Assert.StartsWith($"Samples over time of your mlp-gan run on mnist (run {run.Id[..8]}", Text(block, "sample-grid-source"));
            Assert.Equal("Generator samples from the fixed noise, step 1", Text(block, "sample-grid-caption"));
        }, Patience);
        Assert.Equal(run.LastSamples!.ToDataUrl(), block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
    }

    /// <summary>The handlers an event of <paramref name="target"/> has now (a field-like event keeps them in a field of its name).</summary>
    private static Delegate? Handlers(object target, string name) =>
        (Delegate?)target.GetType().GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(target);

    /// <summary>Another browser's run in the one slot, so that runs created by the test wait in the queue.</summary>
    private async Task<HeldRun> HoldTheSlotAsync()
    {
        var held = await HeldRun.HoldingSlotAsync(Training.Scheduler, "another-browser", Patience);
        return held;
    }

    [Fact]
    public async Task A_new_run_takes_the_block_at_once_from_an_empty_timeline_and_says_when_its_first_grid_comes()
    {
        StoredRun("older-run-0000", "mlp-gan", DateTimeOffset.UtcNow.AddMinutes(-5), 10, 20, 30);
        var held = await HoldTheSlotAsync();
        var block = RenderBlock(new SampleGridSettings { Model = "mlp-gan", Real = false });
        block.WaitForAssertion(() => Assert.Equal("3 grids kept", Text(block, "timeline-kept")));
        Assert.Empty(block.FindAll("[data-testid=sample-grid-first-grid]"));

        // Reset and Train in the trainer above: a new run of this browser, queued behind the run in the slot.
        var run = Training.CreateRun(new GanTrainingOptions { Model = "mlp-gan", BatchSize = 16, Device = "cpu", MaxSteps = 500 }, BrowserId);

        block.WaitForAssertion(() =>
        {
            Assert.Equal($"Samples over time of your mlp-gan run on mnist (run {run.Id[..8]}, queued, step 0).", Text(block, "sample-grid-source"));
            Assert.Equal("no grids kept yet", Text(block, "timeline-kept"));
        });
        Assert.Null(block.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.Equal(
            $"These are the samples of your new run {run.Id[..8]}: its first grid comes when it starts training (it is queued: position 1); " +
            "while it trains each new grid shows here, and one every 250 steps of its 500 is kept for later.",
            Text(block, "sample-grid-first-grid"));

        await run.EndAsync(RunStatus.Cancelled, "the test is over");
        held.Finish();
    }

    [Fact]
    public async Task A_live_grid_shows_when_the_run_draws_it()
    {
        var held = await HoldTheSlotAsync();
        var block = RenderBlock(new SampleGridSettings { Model = "mlp-gan", Real = false });
        var run = Training.CreateRun(new GanTrainingOptions { Model = "mlp-gan", BatchSize = 16, Device = "cpu", MaxSteps = 2_000 }, BrowserId);
        var drawn = new TaskCompletionSource<SampleGridSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        run.Samples += grid => drawn.TrySetResult(grid);
        block.WaitForAssertion(() => Assert.Equal("no grids kept yet", Text(block, "timeline-kept")));

        held.Finish(); // the run gets the slot and draws its first grid from the fixed noise
        var first = await drawn.Task.WaitAsync(Patience);

        block.WaitForAssertion(() =>
        {
            var caption = Text(block, "sample-grid-caption");
            Assert.StartsWith("Generator samples from the fixed noise, step ", caption);
            Assert.True(long.Parse(caption[(caption.LastIndexOf(' ') + 1)..], System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture) >= first.Step, caption);
        });
        Assert.Empty(block.FindAll("[data-testid=sample-grid-first-grid]"));
        await run.EndAsync(RunStatus.Cancelled, "the test is over");
    }

    [Fact]
    public async Task Closing_the_page_stops_hearing_the_run_and_new_runs()
    {
        var held = await HoldTheSlotAsync();
        var block = RenderBlock(new SampleGridSettings());
        var run = Training.CreateRun(new GanTrainingOptions { Model = "mlp-gan", BatchSize = 16, Device = "cpu", MaxSteps = 500 }, BrowserId);
        block.WaitForAssertion(() => Assert.StartsWith($"Samples over time of your mlp-gan run on mnist (run {run.Id[..8]}", Text(block, "sample-grid-source")));
        Assert.NotNull(Handlers(run, nameof(ServerRun.Samples)));
        Assert.NotNull(Handlers(run, nameof(ServerRun.StateChanged)));
        Assert.NotNull(Handlers(Training, nameof(TrainingService.RunCreated)));

        await DisposeComponentsAsync();

        Assert.Null(Handlers(run, nameof(ServerRun.Samples)));
        Assert.Null(Handlers(run, nameof(ServerRun.StateChanged)));
        Assert.Null(Handlers(Training, nameof(TrainingService.RunCreated)));
        await run.EndAsync(RunStatus.Cancelled, "the test is over");
        held.Finish();
    }
}
