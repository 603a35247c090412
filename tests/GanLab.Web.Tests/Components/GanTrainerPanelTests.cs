using Bunit;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The trainer against a real training run (libtorch shim and MNIST digits needed): what it shows,
/// which plotly calls it makes, and how its buttons follow the run's state.
/// </summary>
public class GanTrainerPanelTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly BunitJSModuleInterop _charts;

    public GanTrainerPanelTests() : this(maxLiveRuns: 8, maxConcurrentRuns: 2, maxRunsPerBrowser: 3) { }

    protected GanTrainerPanelTests(int maxLiveRuns, int maxConcurrentRuns, int maxRunsPerBrowser) : base(maxLiveRuns, maxConcurrentRuns, maxRunsPerBrowser)
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        _charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        _charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        _charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    private IRenderedComponent<GanTrainerPanel> RenderTrainer(GanTrainingOptions training) =>
        RenderTrainer(new GanTrainerSettings { Training = training });

    private IRenderedComponent<GanTrainerPanel> RenderTrainer(GanTrainerSettings settings) =>
        Render<GanTrainerPanel>(parameters => parameters.Add(p => p.Settings, settings));

    private static string Text(IRenderedComponent<GanTrainerPanel> trainer, string testId) =>
        trainer.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void An_idle_trainer_shows_every_part_and_draws_four_empty_charts()
    {
        var trainer = RenderTrainer(new GanTrainingOptions());

        Assert.Equal("Train", Text(trainer, "trainer-start"));
        Assert.True(trainer.Find("[data-testid=trainer-stop]").HasAttribute("disabled"));
        Assert.True(trainer.Find("[data-testid=trainer-reset]").HasAttribute("disabled"));
        Assert.StartsWith("Idle · step 0 · epoch 0", Text(trainer, "trainer-status"));
        Assert.Null(trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));

        var plots = _charts.VerifyInvoke("newPlot", calledTimes: 4);
        string[] charts = ["loss-chart", "dx-chart", "accuracy-chart", "gradient-chart"];
        for (var i = 0; i < charts.Length; i++)
            Assert.Equal(trainer.Find($"[data-testid={charts[i]}]").GetAttribute("blazor:elementReference"), ((ElementReference)plots[i].Arguments[0]!).Id);
        Assert.Equal(GanTrainerPanel.LossChart, plots[0].Arguments[1]);
        Assert.Equal(GanTrainerPanel.DiscriminatorChart, plots[1].Arguments[1]);
        Assert.Equal(GanTrainerPanel.AccuracyChart, plots[2].Arguments[1]);
        Assert.Equal(GanTrainerPanel.GradientChart, plots[3].Arguments[1]);
        _charts.VerifyNotInvoke("extendTraces");
    }

    [Theory]
    [InlineData("non-saturating", true)]
    [InlineData("minimax", true)]
    [InlineData("least-squares", false)]
    [InlineData("hinge", false)]
    [InlineData("wgan-gp", false)]
    public void The_discriminator_chart_shows_probabilities_only_for_losses_that_have_them(string loss, bool probabilities)
    {
        RenderTrainer(new GanTrainingOptions { Loss = loss });

        var plots = _charts.VerifyInvoke("newPlot", calledTimes: 4);
        Assert.Equal(probabilities ? GanTrainerPanel.DiscriminatorChart : GanTrainerPanel.RawDiscriminatorChart, plots[1].Arguments[1]);
    }

    [Fact]
    public async Task Training_extends_the_charts_shows_samples_finishes_and_reset_follows_the_state()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { MaxSteps = 3, BatchSize = 16 });

        await trainer.ClickAsync("[data-testid=trainer-start]");

        // MaxSteps ends the run by itself: Finished, its model freed, nothing left to resume.
        trainer.WaitForAssertion(() =>
        {
            Assert.StartsWith("Finished · step 3 ", Text(trainer, "trainer-status"));
            Assert.True(trainer.Find("[data-testid=trainer-start]").HasAttribute("disabled"));
        }, Patience);
        Assert.StartsWith("data:image/png;base64,", trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.True(SpinWait.SpinUntil(() => Training.LiveRuns == 0, Patience), "a finished run frees its model");

        var extensions = _charts.Invocations["extendTraces"].SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!).ToList();
        // Four charts per update, in the order loss, D outputs, D accuracy, gradient norms.
        var lossUpdates = extensions.Where((_, i) => i % 4 == 0).ToList();
        Assert.Equal(3, lossUpdates[^1].X[^1]);
        Assert.All(extensions, update => Assert.All(update.Y, trace => Assert.Equal(update.X.Length, trace.Length)));
        Assert.All(extensions.Where((_, i) => i % 4 is 1 or 2).SelectMany(update => update.Y).SelectMany(trace => trace),
            probability => Assert.InRange(probability, 0, 1));

        await trainer.ClickAsync("[data-testid=trainer-reset]");

        trainer.WaitForAssertion(() =>
        {
            Assert.Equal("Train", Text(trainer, "trainer-start"));
            Assert.StartsWith("Idle · step 0", Text(trainer, "trainer-status"));
        }, Patience);
        Assert.Null(trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        _charts.VerifyInvoke("newPlot", calledTimes: 8);
    }

    [Fact]
    public async Task Stop_pauses_and_closing_the_page_frees_the_run()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { BatchSize = 16 });

        await trainer.ClickAsync("[data-testid=trainer-start]");
        trainer.WaitForAssertion(() => Assert.Matches("^Running · step [1-9]", Text(trainer, "trainer-status")), Patience);
        Assert.False(trainer.Find("[data-testid=trainer-stop]").HasAttribute("disabled"));

        await trainer.ClickAsync("[data-testid=trainer-stop]");
        trainer.WaitForAssertion(() =>
        {
            Assert.Equal("Resume", Text(trainer, "trainer-start"));
            Assert.StartsWith("Paused", Text(trainer, "trainer-status"));
        }, Patience);
        Assert.Equal(1, Training.LiveRuns);
        var run = Assert.Single(Training.ActiveRuns);

        // The circuit ending disposes its components; that must end the learner's run.
        await DisposeComponentsAsync();
        Assert.True(SpinWait.SpinUntil(() => Training.LiveRuns == 0, Patience), "closing the page frees the model");
        Assert.Equal(RunStatus.Cancelled, run.Status);
        Assert.Empty(Training.ActiveRuns);
        _charts.VerifyInvoke("purge", calledTimes: 4);
    }

    [Fact]
    public async Task A_run_beyond_the_slots_waits_and_shows_its_queue_position()
    {
        using var server = new ServerWith(maxConcurrentRuns: 1, maxRunsPerBrowser: 3);
        var first = server.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });
        var second = server.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });
        Assert.Empty(second.FindAll("[data-testid=trainer-queue-position]"));

        await first.ClickAsync("[data-testid=trainer-start]");
        first.WaitForAssertion(() => Assert.StartsWith("Running", Text(first, "trainer-status")), Patience);
        await second.ClickAsync("[data-testid=trainer-start]");

        second.WaitForAssertion(() => Assert.Equal("· queued: position 1", Text(second, "trainer-queue-position")), Patience);
        Assert.StartsWith("Queued", Text(second, "trainer-status"));
        Assert.False(second.Find("[data-testid=trainer-stop]").HasAttribute("disabled"));

        // The slot frees when the first learner stops: the queued run trains, its position is gone.
        await first.ClickAsync("[data-testid=trainer-stop]");
        second.WaitForAssertion(() =>
        {
            Assert.StartsWith("Running", Text(second, "trainer-status"));
            Assert.Empty(second.FindAll("[data-testid=trainer-queue-position]"));
        }, Patience);
        Assert.StartsWith("Paused", Text(first, "trainer-status"));
    }

    [Fact]
    public async Task A_browser_past_its_share_of_runs_is_told_why_and_can_try_again()
    {
        using var server = new ServerWith(maxConcurrentRuns: 1, maxRunsPerBrowser: 1);
        var first = server.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });
        var second = server.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });

        await first.ClickAsync("[data-testid=trainer-start]");
        first.WaitForAssertion(() => Assert.StartsWith("Running", Text(first, "trainer-status")), Patience);
        await second.ClickAsync("[data-testid=trainer-start]");

        second.WaitForAssertion(() => Assert.Contains("the most one browser may have (1)", Text(second, "trainer-refused")), Patience);
        Assert.StartsWith("Idle", Text(second, "trainer-status"));
        Assert.False(second.Find("[data-testid=trainer-start]").HasAttribute("disabled"));
        Assert.StartsWith("Running", Text(first, "trainer-status"));

        await first.ClickAsync("[data-testid=trainer-reset]");
        first.WaitForAssertion(() => Assert.StartsWith("Idle", Text(first, "trainer-status")), Patience);
        await second.ClickAsync("[data-testid=trainer-start]");
        second.WaitForAssertion(() => Assert.StartsWith("Running", Text(second, "trainer-status")), Patience);
        Assert.Empty(second.FindAll("[data-testid=trainer-refused]"));
    }

    [Fact]
    public void Only_a_run_with_a_step_budget_can_be_left_to_finish()
    {
        var open = RenderTrainer(new GanTrainingOptions());
        var budgeted = RenderTrainer(new GanTrainingOptions { MaxSteps = 100 });

        Assert.True(open.Find("[data-testid=trainer-let-finish]").HasAttribute("disabled"));
        Assert.False(budgeted.Find("[data-testid=trainer-let-finish]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_run_left_to_finish_trains_on_after_the_page_closes()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { MaxSteps = 400, BatchSize = 16 });
        trainer.Find("[data-testid=trainer-let-finish]").Change(true);
        await trainer.ClickAsync("[data-testid=trainer-start]");
        // Wait on the run itself, not on a render: small steps can go from queued to finished
        // between two renders, so the status line may never be seen saying "Running".
        Assert.True(SpinWait.SpinUntil(() => Training.ActiveRuns.Count == 1, Patience), "the run should start");
        var run = Assert.Single(Training.ActiveRuns);

        await DisposeComponentsAsync();

        Assert.True(SpinWait.SpinUntil(() => run.Status.IsFinal(), Patience), "the run should end by itself");
        Assert.Equal(RunStatus.Finished, run.Status);
        Assert.Equal(400, run.LastProgress!.Step);
    }

    [Fact]
    public void The_configuration_link_carries_the_settings_that_differ_from_the_defaults()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { Model = "dcgan", LearningRate = 2e-4, MaxSteps = 500 });

        Assert.Equal("trainer?model=dcgan&learningRate=0.0002&maxSteps=500",
            trainer.Find("[data-testid=trainer-config-link]").GetAttribute("href"));
    }

    /// <summary>A server with other limits than the default test context.</summary>
    private sealed class ServerWith(int maxConcurrentRuns, int maxRunsPerBrowser)
        : GanTrainerPanelTests(maxLiveRuns: 8, maxConcurrentRuns, maxRunsPerBrowser)
    {
        public new IRenderedComponent<GanTrainerPanel> RenderTrainer(GanTrainingOptions settings) => base.RenderTrainer(settings);
    }
}
