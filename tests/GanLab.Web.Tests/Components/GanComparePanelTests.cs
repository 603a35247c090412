using Bunit;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The side-by-side comparison against real training runs (libtorch shim and MNIST digits needed): its settings'
/// messages, two runs of one browser with one seed through the scheduler, synchronised charts, and the final table.
/// </summary>
public class GanComparePanelTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private readonly BunitJSModuleInterop _charts;

    public GanComparePanelTests() => _charts = SetupCharts(this);

    /// <summary>Every plotly call a comparison makes, answered (strict interop).</summary>
    internal static BunitJSModuleInterop SetupCharts(BunitContext context)
    {
        var charts = context.JSInterop.SetupModule(PlotlyCharts.ModulePath);
        charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        charts.SetupVoid("syncCharts", _ => true).SetVoidResult();
        charts.SetupVoid("purge", _ => true).SetVoidResult();
        return charts;
    }

    /// <summary>Binds a block body the way a lesson does, failing the test on any binding problem.</summary>
    internal static GanCompareSettings Bind(string yaml)
    {
        var (settings, problems) = new GanLab.Web.Lessons.Components.LessonSettingsBinder(typeof(GanCompareSettings)).Bind(yaml, 1);
        Assert.Empty(problems);
        return (GanCompareSettings)settings!;
    }

    private IRenderedComponent<GanComparePanel> RenderCompare(string yaml) =>
        Render<GanComparePanel>(parameters => parameters.Add(p => p.Settings, Bind(yaml)));

    private static string Cell(IRenderedComponent<GanComparePanel> panel, string row, int column) =>
        panel.Find($"[data-testid={row}]").QuerySelectorAll("td")[column].TextContent.Trim();

    [Fact]
    public void Both_left_and_right_merge_into_two_trainer_configurations_with_one_seed()
    {
        var settings = Bind("""
            steps: 200
            both:
              dataset: fashion-mnist
              seed: 7
              batch_size: 32
            left:
              model: mlp-gan
            right:
              model: dcgan
              learning-rate: 2e-4
            """);

        var left = settings.OptionsOf("left").Options!;
        var right = settings.OptionsOf("right").Options!;
        Assert.Empty(settings.Validate());
        Assert.Equal(("mlp-gan", "fashion-mnist", 7, 32, 1e-3, 200L), (left.Model, left.Dataset, left.Seed, left.BatchSize, left.LearningRate, left.MaxSteps));
        Assert.Equal(("dcgan", "fashion-mnist", 7, 32, 2e-4, 200L), (right.Model, right.Dataset, right.Seed, right.BatchSize, right.LearningRate, right.MaxSteps));
        Assert.Equal(("mlp-gan", "model dcgan, learning-rate 2e-4"), (settings.TitleOf("left"), settings.TitleOf("right")));

        var timed = Bind("seconds: 30\nleft:\n  loss: minimax\nright:\n  loss: non-saturating");
        Assert.Null(timed.OptionsOf("left").Options!.MaxSteps); // the comparison stops a timed run itself
        Assert.Equal("loss minimax", timed.TitleOf("left"));
    }

    [Fact]
    public void Bad_settings_give_messages_that_name_the_side_and_the_allowed_values()
    {
        var lesson = ParseLesson("""
            ```gan-compare
            both:
              dataset: mnst
            left:
              model: dcgann
            right:
              seed: 3
              max-steps: 10
            ```
            """);

        var messages = lesson.Problems.Select(p => p.ToString()).ToList();
        Assert.Contains(messages, m => m.Contains("both runs: dataset 'mnst' is unknown; allowed: mnist, fashion-mnist"));
        Assert.Contains(messages, m => m.Contains("left run: model 'dcgann' is unknown; allowed: mlp-gan, dcgan"));
        Assert.Contains(messages, m => m.Contains("right run: seed must be the same for both runs"));
        Assert.Contains(messages, m => m.Contains("right run: max-steps is set by the comparison's steps or seconds"));
        // Messages about one side point at that side's key.
        Assert.Contains(lesson.Problems, p => p.Message.StartsWith("left run: model") && p.Line == 4);

        var unknown = new GanCompareSettings { Left = new() { ["modle"] = "dcgan" } }.Validate();
        Assert.Contains(unknown, m => m.StartsWith("left run: unknown parameter 'modle'.") && m.Contains("Allowed: model, dataset, seed"));
        Assert.Contains(new GanCompareSettings { Seconds = 0.5 }.Validate(), m => m.StartsWith("seconds 0.5 must be between 1 and 600"));

        var (_, nested) = new GanLab.Web.Lessons.Components.LessonSettingsBinder(typeof(GanCompareSettings)).Bind("left: [1, 2]", 1);
        Assert.Contains(nested, p => p.Parameter == "left" && p.Message.Contains("indented 'key: value' lines"));

        var panel = Render<GanComparePanel>(parameters => parameters.Add(p => p.Settings, new GanCompareSettings { Right = new() { ["loss"] = "wgan" } }));
        Assert.Contains("right run: loss 'wgan' is unknown; allowed:", panel.Find("[data-testid=compare-settings-error]").TextContent);
        Assert.Empty(panel.FindAll("[data-testid=compare-start]"));
    }

    [Fact]
    public async Task Train_starts_two_runs_with_one_seed_syncs_the_charts_and_shows_the_final_table_when_both_end()
    {
        var panel = RenderCompare("""
            steps: 3
            both:
              seed: 11
              batch-size: 16
            left:
              labels: normal
            right:
              labels: swapped
            """);

        // One step axis for all four charts.
        var sync = _charts.VerifyInvoke("syncCharts");
        var synced = ((IReadOnlyList<ElementReference>)sync.Arguments[1]!).Select(e => e.Id).ToList();
        var charts = panel.FindAll("[data-testid=compare-loss-chart], [data-testid=compare-dx-chart]").Select(e => e.GetAttribute("blazor:elementReference")).ToList();
        Assert.Equal(4, synced.Count);
        Assert.Equal(charts.Order(), synced.Order());
        Assert.Empty(panel.FindAll("[data-testid=compare-final]"));

        await panel.ClickAsync("[data-testid=compare-start]");

        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=compare-final]")), Patience);
        // The history is written by a background recorder; wait for it to catch up.
        Assert.True(SpinWait.SpinUntil(() => Store.RunsOf(BrowserId) is { Count: 2 } all && all.All(r => r.Status.IsFinal()), Patience));
        var runs = Store.RunsOf(BrowserId);
        Assert.Equal(2, runs.Count);
        Assert.All(runs, run => Assert.Equal((11, 3L, RunStatus.Finished), (run.Options.Seed, run.Steps, run.Status)));
        Assert.Equal(["normal", "swapped"], runs.Select(r => r.Options.Labels).Order());
        Assert.Equal(("3", "3"), (Cell(panel, "final-steps", 0), Cell(panel, "final-steps", 1)));
        Assert.Matches(@"^\d+\.\d{3} / \d+\.\d{3}$", Cell(panel, "final-losses", 0));
        // The test's classifier folder is empty: the table says how to get one instead of training it here.
        Assert.Contains("./ganlab classifier --dataset mnist", panel.Find("[data-testid=compare-no-classifier]").TextContent);
        Assert.Equal("not measured", Cell(panel, "final-fid", 0));

        // Both runs' points reached their own loss charts.
        var extended = _charts.Invocations["extendTraces"].SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!).Select(e => e.Element.Id).ToHashSet();
        // (Element references as first rendered, in document order: left loss, left D, right loss, right D.)
        Assert.All([charts[0]!, charts[2]!], id => Assert.Contains(id, extended));
    }

    [Fact]
    public async Task A_time_budget_ends_each_run_after_that_much_training()
    {
        var panel = RenderCompare("""
            seconds: 1
            both:
              batch-size: 16
            left:
              loss: minimax
            right:
              loss: non-saturating
            """);

        await panel.ClickAsync("[data-testid=compare-start]");

        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=compare-final]")), Patience);
        Assert.True(SpinWait.SpinUntil(() => Store.RunsOf(BrowserId) is { Count: 2 } all && all.All(r => r.Status.IsFinal()), Patience));
        Assert.All(Store.RunsOf(BrowserId), run =>
        {
            Assert.Equal(RunStatus.Finished, run.Status);
            Assert.Null(run.Options.MaxSteps);
            Assert.InRange(run.FinalMetrics!.Elapsed.TotalSeconds, 1, 10);
            Assert.Contains("budget of 1 s of training", run.Fault);
        });
        Assert.Equal(2, Store.RunsOf(BrowserId).Count);
    }
}

/// <summary>A browser allowed one run: the comparison's second run is refused, and the first is not left training alone.</summary>
public class GanComparePanelRefusalTests : WebTestContext
{
    public GanComparePanelRefusalTests() : base(maxRunsPerBrowser: 1) => GanComparePanelTests.SetupCharts(this);

    [Fact]
    public async Task A_refused_second_run_resets_the_first_and_says_why()
    {
        var panel = Render<GanComparePanel>(parameters => parameters.Add(p => p.Settings, GanComparePanelTests.Bind("both:\n  batch-size: 16")));

        await panel.ClickAsync("[data-testid=compare-start]");

        panel.WaitForAssertion(() => Assert.Contains("the most one browser may have (1)", panel.Find("[data-testid=compare-refused]").TextContent), TimeSpan.FromSeconds(60));
        Assert.True(SpinWait.SpinUntil(() => Training.ActiveRuns.Count == 0, TimeSpan.FromSeconds(60)), "the first run was reset");
        panel.WaitForAssertion(() => Assert.Equal("Train both", panel.Find("[data-testid=compare-start]").TextContent.Trim()), TimeSpan.FromSeconds(60));
    }
}
