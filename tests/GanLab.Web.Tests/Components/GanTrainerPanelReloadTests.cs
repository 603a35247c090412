using Bunit;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// A trainer opened again (a reload) shows the run its page had: status, settings, and the charts and sample timeline
/// of what it trained before, read back from the runs database. Real runs (libtorch shim and MNIST digits needed).
/// </summary>
public class GanTrainerPanelReloadTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly TrainerPlace Block = TrainerPlace.LessonBlock("what-is-a-gan", "gan-trainer", "batch-size: 16\n", 0);

    private readonly BunitJSModuleInterop _charts;

    public GanTrainerPanelReloadTests()
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        _charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        _charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        _charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    private IRenderedComponent<GanTrainerPanel> RenderTrainer(TrainerPlace? place, long? maxSteps = null) =>
        Render<GanTrainerPanel>(parameters => parameters
            .Add(p => p.Settings, new GanTrainerSettings { Training = new GanTrainingOptions { BatchSize = 16, MaxSteps = maxSteps } })
            .Add(p => p.Place, place));

    private static string Text(IRenderedComponent<GanTrainerPanel> trainer, string testId) =>
        trainer.Find($"[data-testid={testId}]").TextContent.Trim();

    private IReadOnlyList<ChartExtension> ExtensionsSince(int calls) =>
        [.. _charts.Invocations["extendTraces"].Skip(calls).SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!)];

    [Fact]
    public async Task A_reloaded_trainer_shows_its_paused_run_with_the_charts_and_timeline_of_what_it_trained()
    {
        var first = RenderTrainer(Block);
        await first.ClickAsync("[data-testid=trainer-start]");
        first.WaitForAssertion(() => Assert.Matches("^Running · step ([2-9]|\\d\\d)", Text(first, "trainer-status")), Patience);
        await first.ClickAsync("[data-testid=trainer-stop]");
        first.WaitForAssertion(() => Assert.StartsWith("Paused", Text(first, "trainer-status")), Patience);
        var run = Assert.Single(Training.ActiveRuns);
        var pausedAt = run.LastProgress!.Step;

        await DisposeComponentsAsync(); // the tab goes away
        Assert.True(SpinWait.SpinUntil(() => Training.Reclaim.Kept.Contains(run), Patience), "the run should wait for its page");
        var callsBefore = _charts.Invocations["extendTraces"].Count;

        var reloaded = RenderTrainer(Block);

        reloaded.WaitForAssertion(() =>
        {
            Assert.StartsWith($"Paused · step {pausedAt:N0}", Text(reloaded, "trainer-status"));
            Assert.Equal("Resume", Text(reloaded, "trainer-start"));
        }, Patience);
        // The charts are drawn from the stored series (read after the first render): every stored step up to the pause, on all four charts.
        reloaded.WaitForAssertion(() => Assert.NotEmpty(ExtensionsSince(callsBefore)), Patience);
        var history = ExtensionsSince(callsBefore);
        Assert.Equal(4, history.Count);
        Assert.Equal(Store.Metrics(run.Id).Select(m => m.Step), history[0].X);
        Assert.Equal(pausedAt, history[0].X[^1]);
        Assert.All(history, chart => Assert.Equal(pausedAt, chart.X[^1]));
        // The timeline holds the stored grids (the first one and the one taken at the pause); the newest is shown.
        var stored = Store.SnapshotSteps(run.Id);
        Assert.True(stored.Count >= 2, $"the store should hold the first grid and the paused one, not {stored.Count}");
        // Filled right after the charts' history and rendered after that: wait for the render, not for the charts.
        reloaded.WaitForAssertion(() => Assert.Equal($"{stored.Count} grids kept", reloaded.Find(".gan-trainer__timeline .gan-trainer__hint").TextContent.Trim()), Patience);
        Assert.Null(reloaded.Find("[data-testid=trainer-timeline]").GetAttribute("disabled"));
        Assert.StartsWith("data:image/png;base64,", reloaded.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.Contains($"step {stored[^1]:N0}", Text(reloaded, "sample-grid-caption"));

        await reloaded.ClickAsync("[data-testid=trainer-start]");
        reloaded.WaitForAssertion(() => Assert.True(run.LastProgress!.Step > pausedAt), Patience);
        Assert.Same(run, Assert.Single(Training.ActiveRuns));
        // Live points go on after the history, never before it.
        reloaded.WaitForAssertion(() => Assert.True(ExtensionsSince(callsBefore).Count > 4), Patience);
        Assert.True(ExtensionsSince(callsBefore)[4].X[0] > pausedAt);
    }

    [Fact]
    public void A_trainer_without_a_place_opens_idle_even_where_a_run_waits()
    {
        var session = Training.OpenSession(new GanTrainingOptions { BatchSize = 16 }, BrowserId, Block);
        session.StartAsync().GetAwaiter().GetResult();
        var run = session.Run!;
        session.Dispose();
        Assert.True(SpinWait.SpinUntil(() => Training.Reclaim.Kept.Contains(run), Patience));

        var trainer = RenderTrainer(place: null);

        Assert.StartsWith("Idle · step 0", Text(trainer, "trainer-status"));
        Assert.Equal("no grids kept yet", trainer.Find(".gan-trainer__timeline .gan-trainer__hint").TextContent.Trim());
        Assert.Same(run, Assert.Single(Training.Reclaim.Kept));
    }

    [Fact]
    public void A_trainer_already_open_when_its_old_page_lets_go_takes_the_run_and_draws_its_history()
    {
        // The old page's trainer: its circuit let go late, after the reloaded page opened.
        var old = Training.OpenSession(new GanTrainingOptions { BatchSize = 16 }, BrowserId, Block);
        var trainer = RenderTrainer(Block);
        Assert.StartsWith("Idle", Text(trainer, "trainer-status"));
        old.StartAsync().GetAwaiter().GetResult();
        Assert.True(SpinWait.SpinUntil(() => old.LastProgress?.Step >= 3, Patience), "the old page's run should train");
        var run = old.Run!;
        var callsBefore = _charts.Invocations["extendTraces"].Count;

        old.Dispose();

        trainer.WaitForAssertion(() => Assert.StartsWith("Paused", Text(trainer, "trainer-status")), Patience);
        trainer.WaitForAssertion(() => Assert.NotEmpty(ExtensionsSince(callsBefore)), Patience);
        Assert.Equal(run.LastProgress!.Step, ExtensionsSince(callsBefore)[0].X[^1]);
        trainer.WaitForAssertion(() => Assert.Matches("^[1-9]\\d* grids? kept", trainer.Find(".gan-trainer__timeline .gan-trainer__hint").TextContent.Trim()), Patience);
    }

    [Fact]
    public async Task The_let_finish_hint_says_how_long_a_closed_pages_run_waits()
    {
        var placed = RenderTrainer(Block, maxSteps: 100);
        var unplaced = RenderTrainer(null, maxSteps: 100);

        Assert.Contains("pauses this run and keeps it for 3 min 0 s: open this page again to go on with it",
            placed.Find("label.gan-trainer__let-finish").GetAttribute("title"));
        Assert.Contains("Leaving or closing the page normally ends this run", unplaced.Find("label.gan-trainer__let-finish").GetAttribute("title"));
        await DisposeComponentsAsync();
    }
}
