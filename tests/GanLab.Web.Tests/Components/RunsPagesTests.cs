using Bunit;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Components.Pages;
using GanLab.Web.Components.Runs;
using GanLab.Web.Interop;
using GanLab.Web.Runs;
using GanLab.Web.Tests.Training;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace GanLab.Web.Tests.Components;

/// <summary>The Runs page, a run, and a comparison, over runs written straight into the test's database.</summary>
public class RunsPagesTests : WebTestContext
{
    private const string OtherBrowser = "ffffffffffffffffffffffffffffffff";
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly BunitJSModuleInterop _charts;

    public RunsPagesTests()
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        _charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        _charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        _charts.SetupVoid("purge", _ => true).SetVoidResult();
        _charts.SetupVoid("syncCharts", _ => true).SetVoidResult();
        Store.Write([
            new RunWrite.Run(new RunRecord("aaaaaaaa11", BrowserId, new GanTrainingOptions { MaxSteps = 300 }, RunStatus.Finished, T0,
                T0.AddSeconds(1), T0.AddSeconds(61), null, 300, Progress(300, 0.81, 1.92), null)),
            new RunWrite.Run(new RunRecord("bbbbbbbb22", BrowserId, new GanTrainingOptions { Model = "dcgan", LearningRate = 2e-4 }, RunStatus.Interrupted,
                T0.AddHours(1), T0.AddHours(1), T0.AddHours(2), "The server stopped while this run was running; its history up to then is kept.", 120)),
            new RunWrite.Run(new RunRecord("cccccccc33", OtherBrowser, new GanTrainingOptions(), RunStatus.Finished, T0)),
            new RunWrite.Metric("aaaaaaaa11", Progress(1, 1.4, 0.7)),
            new RunWrite.Metric("aaaaaaaa11", Progress(300, 0.81, 1.92)),
            new RunWrite.Snapshot("aaaaaaaa11", 300, [0x89, 0x50, 0x4e, 0x47]),
        ]);
    }

    private static TrainingProgress Progress(long step, double lossD, double lossG) =>
        new(step, 0, lossD, lossG, 0.7, 0.3, 0.35, 1000, TimeSpan.FromSeconds(step / 10.0));

    [Fact]
    public void The_runs_page_lists_only_this_browsers_runs_newest_first_with_their_numbers()
    {
        var page = Render<RunsPage>();

        var rows = page.FindAll("[data-testid=runs-row]");
        Assert.Equal(["bbbbbbbb22", "aaaaaaaa11"], rows.Select(r => r.GetAttribute("data-run-id")));
        Assert.Equal(["interrupted", "finished"], page.FindAll("[data-testid=runs-status]").Select(s => s.TextContent));
        Assert.Contains("The server stopped", page.FindAll("[data-testid=runs-status]")[0].GetAttribute("title"));
        Assert.Contains("0.81 / 1.92", rows[1].TextContent);
        Assert.Contains("dcgan", rows[0].TextContent);
        Assert.Equal("runs/aaaaaaaa11", rows[1].QuerySelector("[data-testid=runs-open]")!.GetAttribute("href"));
    }

    [Fact]
    public void Ticking_two_runs_opens_their_comparison()
    {
        var page = Render<RunsPage>();
        Assert.True(page.Find("[data-testid=runs-compare]").HasAttribute("disabled"));

        page.FindAll("[data-testid=runs-select]")[0].Change(true);
        Assert.True(page.Find("[data-testid=runs-compare]").HasAttribute("disabled"));
        page.FindAll("[data-testid=runs-select]")[1].Change(true);
        page.Find("[data-testid=runs-compare]").Click();

        Assert.EndsWith("/runs/compare/bbbbbbbb22/aaaaaaaa11", Services.GetRequiredService<NavigationManager>().Uri);
    }

    [Fact]
    public void A_browser_without_runs_is_told_how_to_make_one()
    {
        Browser.Id = "11111111111111111111111111111111";
        var page = Render<RunsPage>();

        Assert.Contains("No runs yet", page.Find("[data-testid=runs-empty]").TextContent);
    }

    [Fact]
    public void A_run_shows_its_stored_series_last_grid_and_exports()
    {
        var page = Render<RunPage>(p => p.Add(x => x.Id, "aaaaaaaa11"));

        Assert.Equal("finished", page.Find("[data-testid=run-status]").TextContent);
        Assert.Equal("300", page.Find("[data-testid=run-steps]").TextContent);
        Assert.Equal("data:image/png;base64,iVBORw==", page.Find("[data-testid=run-grid]").GetAttribute("src"));
        Assert.Equal("runs/aaaaaaaa11/grid.png", page.Find("[data-testid=export-grid]").GetAttribute("href"));
        Assert.Equal("runs/aaaaaaaa11/metrics.csv", page.Find("[data-testid=export-metrics]").GetAttribute("href"));
        Assert.Empty(page.FindAll("[data-testid=export-checkpoint]")); // none stored for this run
        Assert.Equal("trainer?maxSteps=300", page.Find("[data-testid=run-reopen]").GetAttribute("href"));

        // Charts from the stored series: both metric rows, one interop call for both charts.
        _charts.VerifyInvoke("newPlot", calledTimes: 2);
        var extension = (IReadOnlyList<ChartExtension>)_charts.VerifyInvoke("extendTraces").Arguments[0]!;
        Assert.Equal([1L, 300], extension[0].X);
        Assert.Equal([1.4, 0.81], extension[0].Y[0]);
    }

    [Fact]
    public void An_interrupted_run_says_so()
    {
        var page = Render<RunPage>(p => p.Add(x => x.Id, "bbbbbbbb22"));

        Assert.Contains("Interrupted: The server stopped while this run was running", page.Find("[data-testid=run-interrupted]").TextContent);
        Assert.Contains("No samples were stored", page.Find("[data-testid=run-no-grid]").TextContent);
    }

    [Fact]
    public void Another_browsers_run_is_not_found()
    {
        var page = Render<RunPage>(p => p.Add(x => x.Id, "cccccccc33"));

        Assert.NotNull(page.Find("[data-testid=run-not-found]"));
        Assert.Empty(page.FindAll("[data-testid=run-view]"));
    }

    [Fact]
    public void Two_runs_compare_side_by_side_with_their_differing_settings()
    {
        var page = Render<ComparePage>(p => p.Add(x => x.A, "aaaaaaaa11").Add(x => x.B, "bbbbbbbb22"));

        Assert.Equal(2, page.FindAll("[data-testid=run-view]").Count);
        var differences = page.FindAll("[data-testid=compare-difference]").Select(r => r.QuerySelector("th")!.TextContent).ToList();
        Assert.Equal(["Model", "LearningRate", "MaxSteps"], differences);

        // Both runs' four charts join one step-axis group: one range, one hover.
        var syncs = _charts.VerifyInvoke("syncCharts", calledTimes: 2);
        Assert.Equal(syncs[0].Arguments[0], syncs[1].Arguments[0]);
        var synced = syncs.SelectMany(call => (IReadOnlyList<ElementReference>)call.Arguments[1]!).Select(e => e.Id).ToList();
        var charts = page.FindAll("[data-testid=run-loss-chart], [data-testid=run-dx-chart]").Select(e => e.GetAttribute("blazor:elementReference")).ToList();
        Assert.Equal(charts.Order(), synced.Order());
    }

    private void StoreToyRun(string id = "dddddddd44") => Store.Write([
        new RunWrite.Run(RunRecord.ForToy(id, BrowserId, "toy-2d", new ToyGanOptions { Distribution = "grid-25", Loss = "hinge" },
            RunStatus.Cancelled, T0.AddHours(3), T0.AddHours(3), T0.AddHours(3).AddMinutes(2), "Reset by the student.", 48_000, Progress(48_000, 1.1, 0.9))),
    ]);

    [Fact]
    public void A_toy_run_is_listed_as_a_toy_with_its_component_and_distribution_and_cannot_be_ticked()
    {
        StoreToyRun();
        var page = Render<RunsPage>();

        var toy = page.FindAll("[data-testid=runs-row]")[0];
        Assert.Equal("dddddddd44", toy.GetAttribute("data-run-id"));
        Assert.Equal("toy", toy.QuerySelector("[data-testid=runs-kind]")!.TextContent);
        Assert.Contains("toy-2d", toy.TextContent);
        Assert.Contains("grid-25", toy.TextContent);
        Assert.Contains("48,000", toy.TextContent);
        Assert.Null(toy.QuerySelector("[data-testid=runs-select]"));
        Assert.Equal(2, page.FindAll("[data-testid=runs-select]").Count); // the image runs still can be
    }

    [Fact]
    public void On_a_phone_each_run_is_a_card_whose_cells_are_labelled_with_their_columns()
    {
        StoreToyRun();
        var page = Render<RunsPage>();

        StackedTables.AssertLabelled(page.Find("[data-testid=runs-table]"));
    }

    [Fact]
    public async Task A_toy_going_on_this_server_shows_its_live_status_and_place_in_the_queue()
    {
        // Every slot, the toy slots too, held by another browser: the toy waits, which only the live toy knows the place of.
        var holders = SlotHolder.ForEverySlot(Training.Scheduler);
        foreach (var holder in holders) Training.Scheduler.Enqueue(holder);
        await using var toy = Training.CreateToyRun(BrowserId, "toy-2d", new ToyGanOptions { BatchSize = 32, FixedNoiseSize = 64 }, 500);
        await toy.PlayAsync();
        await Recorder.FlushAsync();

        var page = Render<RunsPage>();

        var row = page.FindAll("[data-testid=runs-row]")[0];
        Assert.Equal(toy.Record!.Id, row.GetAttribute("data-run-id"));
        Assert.Equal("queued", row.QuerySelector("[data-testid=runs-status]")!.TextContent);
        Assert.Contains("position 1", row.TextContent);
        Assert.Equal("toy", row.QuerySelector("[data-testid=runs-kind]")!.TextContent);
        Assert.Contains("ring-8", row.TextContent);
        await toy.PauseAsync();
        foreach (var holder in holders) await Training.Scheduler.WithdrawAsync(holder);
    }

    [Fact]
    public void A_toy_run_shows_its_settings_and_numbers_and_offers_no_charts_grid_or_exports()
    {
        StoreToyRun();
        var page = Render<RunPage>(p => p.Add(x => x.Id, "dddddddd44"));

        Assert.Equal("cancelled", page.Find("[data-testid=run-status]").TextContent);
        Assert.Equal("48,000", page.Find("[data-testid=run-steps]").TextContent);
        Assert.Contains("toy-2d", page.Find("[data-testid=run-toy-note]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=run-loss-chart], [data-testid=run-grid], [data-testid=run-no-grid]"));
        Assert.Empty(page.FindAll("[data-testid=export-metrics], [data-testid=export-grid], [data-testid=export-checkpoint], [data-testid=run-reopen]"));
        var settings = page.Find("[data-testid=run-settings]").TextContent;
        Assert.Contains("grid-25", settings);
        Assert.Contains("HiddenSize", settings); // the toy's own settings, not an image model's
        Assert.DoesNotContain("Dropout", settings);
        _charts.VerifyNotInvoke("newPlot");
    }

    [Fact]
    public void A_comparison_with_another_browsers_run_shows_nothing_of_it()
    {
        var page = Render<ComparePage>(p => p.Add(x => x.A, "aaaaaaaa11").Add(x => x.B, "cccccccc33"));

        Assert.NotNull(page.Find("[data-testid=compare-not-found]"));
        Assert.Empty(page.FindAll("[data-testid=run-view]"));
    }
}
