using Bunit;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Runs;
using GanLab.Web.Components.Pages;
using GanLab.Web.Training;
using GanLab.Web.Tests.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>The instructor page: closed without a key, locked until the key is typed, then load, runs and Cancel.</summary>
public class InstructorPageTests : WebTestContext
{
    private const string Key = "correct horse battery staple";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void Without_a_configured_key_the_page_says_how_to_set_one_and_shows_nothing_else()
    {
        var page = Render<InstructorPage>();

        Assert.Contains("GanLab__InstructorKey", page.Find("[data-testid=instructor-no-key]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=instructor-unlock]"));
        Assert.Empty(page.FindAll("[data-testid=instructor-load]"));
    }

    [Fact]
    public void A_wrong_key_opens_nothing()
    {
        Options.InstructorKey = Key;
        var page = Render<InstructorPage>();

        page.Find("[data-testid=instructor-key]").Change("guess");
        page.Find("[data-testid=instructor-unlock]").Submit();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-wrong-key]")), Patience);
        Assert.Empty(page.FindAll("[data-testid=instructor-load]"));
    }

    [Fact]
    public async Task The_key_opens_the_load_and_every_browsers_runs_and_cancel_ends_one()
    {
        Options.InstructorKey = Key;
        var student = "fedcba9876543210fedcba9876543210";
        var run = Training.CreateRun(new GanTrainingOptions { BatchSize = 16 }, student);
        Assert.True(SpinWait.SpinUntil(() => run.Status == RunStatus.Running, Patience));
        var page = Render<InstructorPage>();

        page.Find("[data-testid=instructor-key]").Change(Key);
        page.Find("[data-testid=instructor-unlock]").Submit();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-load]")), Patience);
        Assert.EndsWith("%", page.Find("[data-testid=load-cpu]").TextContent.Trim());
        Assert.Contains("MB", page.Find("[data-testid=load-memory]").TextContent);
        Assert.StartsWith("cpu", page.Find("[data-testid=load-device]").TextContent);
        Assert.Equal("fedcba98", page.Find("[data-testid=instructor-browser]").TextContent);
        Assert.Equal(run.Id, page.Find("[data-testid=instructor-run]").GetAttribute("data-run-id"));

        await page.ClickAsync("[data-testid=instructor-cancel]");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-no-runs]")), Patience);
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Equal("Cancelled by the instructor.", run.FaultMessage);
    }

    [Fact]
    public async Task Toy_runs_are_listed_with_their_browser_and_kind_and_cancel_ends_one_on_record()
    {
        Options.InstructorKey = Key;
        var student = "abcdefabcdef00001111222233334444";
        await using var toy = Training.CreateToyRun(student, "minimax-game", new ToyGanOptions { Distribution = "gaussian-1d", BatchSize = 32, FixedNoiseSize = 64 }, 500);
        await toy.PlayAsync();
        Assert.True(SpinWait.SpinUntil(() => toy.HoldsNetworks, Patience));
        var id = toy.Record!.Id;
        var page = Render<InstructorPage>();

        page.Find("[data-testid=instructor-key]").Change(Key);
        page.Find("[data-testid=instructor-unlock]").Submit();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-run]")), Patience);
        var row = page.Find("[data-testid=instructor-run]");
        Assert.Equal(id, row.GetAttribute("data-run-id"));
        Assert.Equal("toy", row.QuerySelector("[data-testid=instructor-kind]")!.TextContent);
        Assert.Equal("abcdefab", row.QuerySelector("[data-testid=instructor-browser]")!.TextContent);
        Assert.Contains(row.QuerySelector("[data-testid=instructor-status]")!.TextContent, new[] { "running", "queued" });
        Assert.Contains("minimax-game", row.TextContent);
        Assert.Contains("gaussian-1d", row.TextContent);

        await page.ClickAsync("[data-testid=instructor-cancel]");

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-no-runs]")), Patience);
        Assert.Equal(ToyRunStatus.Failed, toy.Status);
        Assert.StartsWith("Cancelled by the instructor.", toy.FaultMessage);
        Assert.Empty(Training.ActiveToyRuns);
        await Recorder.FlushAsync();
        var stored = Store.Find(id)!;
        Assert.Equal((RunKind.Toy, RunStatus.Cancelled, student), (stored.Kind, stored.Status, stored.BrowserId));
    }
    [Fact]
    public async Task On_a_phone_each_run_is_a_card_whose_cells_are_labelled_with_their_columns()
    {
        Options.InstructorKey = Key;
        await using var toy = Training.CreateToyRun("abcdefabcdef00001111222233334444", "minimax-game",
            new ToyGanOptions { Distribution = "gaussian-1d", BatchSize = 32, FixedNoiseSize = 64 }, 500);
        await toy.PlayAsync();
        var page = Render<InstructorPage>();

        page.Find("[data-testid=instructor-key]").Change(Key);
        page.Find("[data-testid=instructor-unlock]").Submit();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=instructor-run]")), Patience);
        StackedTables.AssertLabelled(page.Find("[data-testid=instructor-runs]"));
    }

    [Fact]
    public async Task The_machine_section_counts_training_slots_and_toys_apart()
    {
        Options.InstructorKey = Key;
        // The training slots held by image runs with one more waiting; the toy slot by a toy with one more waiting.
        var slots = Training.Scheduler.Limits.Slots;
        var images = Enumerable.Range(0, slots).Select(i => new HeldRun($"browser-a{i}")).ToList();
        var waitingImage = new HeldRun("browser-b");
        var (toy, waitingToy) = (new HeldRun("browser-c") { Lane = RunLane.Toy }, new HeldRun("browser-d") { Lane = RunLane.Toy });
        foreach (var run in images.Append(toy).Append(waitingImage).Append(waitingToy)) Training.Scheduler.Enqueue(run);
        await Task.WhenAll(images.Select(i => i.Started).Append(toy.Started)).WaitAsync(Patience);
        var page = Render<InstructorPage>();

        page.Find("[data-testid=instructor-key]").Change(Key);
        page.Find("[data-testid=instructor-unlock]").Submit();

        page.WaitForAssertion(() => Assert.StartsWith($"{slots} of {slots} busy, 1 waiting", page.Find("[data-testid=load-slots]").TextContent), Patience);
        var toys = page.Find("[data-testid=load-toys]").TextContent;
        Assert.StartsWith("1 playing now (1 toy slot", toys);
        Assert.EndsWith("1 waiting for a turn", toys);
        foreach (var run in images.Append(toy).Append(waitingImage).Append(waitingToy)) await Training.Scheduler.WithdrawAsync(run);
    }
}
