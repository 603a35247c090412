using Bunit;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// A comparison opened again (a reload) shows both runs its page had: paused at their steps, with the charts and newest
/// grids of what they trained before, read back from the runs database; Resume trains both on.
/// Real runs (libtorch shim and MNIST digits needed).
/// </summary>
public class GanComparePanelReloadTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);
    private const string Yaml = "both:\n  batch-size: 16\nleft:\n  labels: normal\nright:\n  labels: swapped\n";
    private static readonly TrainerPlace Block = TrainerPlace.LessonBlock("what-is-a-gan", "gan-compare", Yaml, 0);

    private readonly BunitJSModuleInterop _charts;

    public GanComparePanelReloadTests() => _charts = GanComparePanelTests.SetupCharts(this);

    private IRenderedComponent<GanComparePanel> RenderCompare(TrainerPlace? place) =>
        Render<GanComparePanel>(parameters => parameters.Add(p => p.Settings, GanComparePanelTests.Bind(Yaml)).Add(p => p.Place, place));

    private static IReadOnlyList<string> Statuses(IRenderedComponent<GanComparePanel> panel) =>
        [.. panel.FindAll("[data-testid=compare-status]").Select(e => e.TextContent.Trim())];

    private IReadOnlyList<ChartExtension> ExtensionsSince(int calls) =>
        [.. _charts.Invocations["extendTraces"].Skip(calls).SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!)];

    [Fact]
    public async Task A_reloaded_comparison_shows_both_runs_paused_with_their_charts_and_grids_and_resumes_both()
    {
        var first = RenderCompare(Block);
        await first.ClickAsync("[data-testid=compare-start]");
        first.WaitForAssertion(() => Assert.All(Statuses(first), s => Assert.Matches("^Running · step ([3-9]|\\d\\d)", s)), Patience);
        await first.ClickAsync("[data-testid=compare-stop]");
        first.WaitForAssertion(() => Assert.All(Statuses(first), s => Assert.StartsWith("Paused", s)), Patience);
        var runs = Training.ActiveRuns;
        var left = runs.Single(r => r.Options.Labels == "normal");
        var right = runs.Single(r => r.Options.Labels == "swapped");
        var (leftAt, rightAt) = (left.LastProgress!.Step, right.LastProgress!.Step);

        await DisposeComponentsAsync(); // the tab goes away
        Assert.True(SpinWait.SpinUntil(() => Training.Reclaim.Kept.Count == 2, Patience), "both runs should wait for their page");
        var callsBefore = _charts.Invocations["extendTraces"].Count;

        var reloaded = RenderCompare(Block);

        reloaded.WaitForAssertion(() =>
        {
            Assert.StartsWith($"Paused · step {leftAt:N0} ·", Statuses(reloaded)[0]);
            Assert.StartsWith($"Paused · step {rightAt:N0} ·", Statuses(reloaded)[1]);
            Assert.Equal("Resume both", reloaded.Find("[data-testid=compare-start]").TextContent.Trim());
        }, Patience);
        // Each side's two charts drawn from its stored series, every stored step up to the pause.
        reloaded.WaitForAssertion(() => Assert.Equal(4, ExtensionsSince(callsBefore).Count), Patience);
        var history = ExtensionsSince(callsBefore);
        Assert.Equal(Store.Metrics(left.Id).Select(m => m.Step), history[0].X);
        Assert.Equal([leftAt, leftAt, rightAt, rightAt], history.Select(chart => chart.X[^1]));
        // The newest stored grid of each side, the one taken at the pause.
        reloaded.WaitForAssertion(() => Assert.All(reloaded.FindAll("img[data-testid=compare-samples]"),
            img => Assert.StartsWith("data:image/png;base64,", img.GetAttribute("src"))), Patience);
        var captions = reloaded.FindAll(".gan-compare__samples figcaption").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal([$"Fixed-noise samples, step {Store.SnapshotSteps(left.Id)[^1]:N0}", $"Fixed-noise samples, step {Store.SnapshotSteps(right.Id)[^1]:N0}"], captions);

        await reloaded.ClickAsync("[data-testid=compare-start]");
        reloaded.WaitForAssertion(() => Assert.True(left.LastProgress!.Step > leftAt && right.LastProgress!.Step > rightAt), Patience);
        Assert.Equal(2, Training.ActiveRuns.Count);
        // Live points go on after the history, never before it.
        reloaded.WaitForAssertion(() => Assert.True(ExtensionsSince(callsBefore).Count > 4), Patience);
        var live = ExtensionsSince(callsBefore).Skip(4).ToList();
        Assert.All(live.Where(e => e.Element.Id == history[0].Element.Id), e => Assert.True(e.X[0] > leftAt));
        Assert.All(live.Where(e => e.Element.Id == history[2].Element.Id), e => Assert.True(e.X[0] > rightAt));
    }

    [Fact]
    public async Task A_comparison_without_a_place_opens_idle_and_ends_its_runs_with_its_page()
    {
        var first = RenderCompare(place: null);
        await first.ClickAsync("[data-testid=compare-start]");
        first.WaitForAssertion(() => Assert.All(Statuses(first), s => Assert.Matches("^Running · step [1-9]", s)), Patience);
        var runs = Training.ActiveRuns.ToList();

        await DisposeComponentsAsync();

        Assert.True(SpinWait.SpinUntil(() => runs.All(r => r.Status.IsFinal()), Patience), "a comparison without a place ends its runs");
        Assert.All(runs, r => Assert.Equal(RunStatus.Cancelled, r.Status));
        Assert.Empty(Training.Reclaim.Kept);
        var reloaded = RenderCompare(place: null);
        Assert.All(Statuses(reloaded), s => Assert.StartsWith("Idle · step 0", s));
    }
}
