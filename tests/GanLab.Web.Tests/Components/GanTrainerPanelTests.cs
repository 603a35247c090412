using Bunit;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
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

    public GanTrainerPanelTests() : this(maxLiveRuns: 8) { }

    protected GanTrainerPanelTests(int maxLiveRuns) : base(maxLiveRuns)
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        _charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        _charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        _charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    private IRenderedComponent<GanTrainerPanel> RenderTrainer(GanTrainingOptions settings) =>
        Render<GanTrainerPanel>(parameters => parameters.Add(p => p.Settings, settings));

    private static string Text(IRenderedComponent<GanTrainerPanel> trainer, string testId) =>
        trainer.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public void An_idle_trainer_shows_every_part_and_draws_two_empty_charts()
    {
        var trainer = RenderTrainer(new GanTrainingOptions());

        Assert.Equal("Train", Text(trainer, "trainer-start"));
        Assert.True(trainer.Find("[data-testid=trainer-stop]").HasAttribute("disabled"));
        Assert.True(trainer.Find("[data-testid=trainer-reset]").HasAttribute("disabled"));
        Assert.StartsWith("Idle · step 0 · epoch 0", Text(trainer, "trainer-status"));
        Assert.Null(trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));

        var plots = _charts.VerifyInvoke("newPlot", calledTimes: 2);
        Assert.Equal(trainer.Find("[data-testid=loss-chart]").GetAttribute("blazor:elementReference"), ((ElementReference)plots[0].Arguments[0]!).Id);
        Assert.Equal(trainer.Find("[data-testid=dx-chart]").GetAttribute("blazor:elementReference"), ((ElementReference)plots[1].Arguments[0]!).Id);
        Assert.Equal(GanTrainerPanel.LossChart, plots[0].Arguments[1]);
        Assert.Equal(GanTrainerPanel.DiscriminatorChart, plots[1].Arguments[1]);
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

        var plots = _charts.VerifyInvoke("newPlot", calledTimes: 2);
        Assert.Equal(probabilities ? GanTrainerPanel.DiscriminatorChart : GanTrainerPanel.RawDiscriminatorChart, plots[1].Arguments[1]);
    }

    [Fact]
    public void Training_extends_the_charts_shows_samples_then_resume_and_reset_follow_the_state()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { MaxSteps = 3, BatchSize = 16 });

        trainer.Find("[data-testid=trainer-start]").Click();

        // MaxSteps ends the run by itself: Stopped, so the button offers to resume.
        trainer.WaitForAssertion(() =>
        {
            Assert.StartsWith("Stopped · step 3 ", Text(trainer, "trainer-status"));
            Assert.Equal("Resume", Text(trainer, "trainer-start"));
        }, Patience);
        Assert.StartsWith("data:image/png;base64,", trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.Equal(1, Training.LiveRuns);

        var extensions = _charts.Invocations["extendTraces"].SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!).ToList();
        var lossUpdates = extensions.Where((_, i) => i % 2 == 0).ToList();
        Assert.Equal(3, lossUpdates[^1].X[^1]);
        Assert.All(extensions, update => Assert.All(update.Y, trace => Assert.Equal(update.X.Length, trace.Length)));
        Assert.All(extensions.Where((_, i) => i % 2 == 1).SelectMany(update => update.Y).SelectMany(trace => trace),
            probability => Assert.InRange(probability, 0, 1));

        trainer.Find("[data-testid=trainer-reset]").Click();

        trainer.WaitForAssertion(() =>
        {
            Assert.Equal("Train", Text(trainer, "trainer-start"));
            Assert.StartsWith("Idle · step 0", Text(trainer, "trainer-status"));
        }, Patience);
        Assert.Null(trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        Assert.Equal(0, Training.LiveRuns);
        _charts.VerifyInvoke("newPlot", calledTimes: 4);
    }

    [Fact]
    public async Task Stop_pauses_and_closing_the_page_frees_the_run()
    {
        var trainer = RenderTrainer(new GanTrainingOptions { BatchSize = 16 });

        trainer.Find("[data-testid=trainer-start]").Click();
        trainer.WaitForAssertion(() => Assert.StartsWith("Running", Text(trainer, "trainer-status")), Patience);
        Assert.False(trainer.Find("[data-testid=trainer-stop]").HasAttribute("disabled"));

        trainer.Find("[data-testid=trainer-stop]").Click();
        trainer.WaitForAssertion(() => Assert.Equal("Resume", Text(trainer, "trainer-start")), Patience);
        Assert.Equal(1, Training.LiveRuns);

        // The circuit ending disposes its components; that must end the learner's run.
        await DisposeComponentsAsync();
        Assert.Equal(0, Training.LiveRuns);
        _charts.VerifyInvoke("purge", calledTimes: 2);
    }

    [Fact]
    public void A_run_that_cannot_start_shows_why_and_leaves_other_runs_alone()
    {
        using var crowded = new CrowdedServer();
        var first = crowded.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });
        var second = crowded.RenderTrainer(new GanTrainingOptions { BatchSize = 16 });

        first.Find("[data-testid=trainer-start]").Click();
        first.WaitForAssertion(() => Assert.StartsWith("Running", Text(first, "trainer-status")), Patience);
        second.Find("[data-testid=trainer-start]").Click();

        second.WaitForAssertion(() => Assert.Contains("limit", Text(second, "trainer-error")), Patience);
        Assert.StartsWith("Faulted", Text(second, "trainer-status"));
        Assert.True(second.Find("[data-testid=trainer-start]").HasAttribute("disabled"));
        Assert.StartsWith("Running", Text(first, "trainer-status"));
    }

    /// <summary>A server allowed one run at a time.</summary>
    private sealed class CrowdedServer() : GanTrainerPanelTests(maxLiveRuns: 1)
    {
        public new IRenderedComponent<GanTrainerPanel> RenderTrainer(GanTrainingOptions settings) => base.RenderTrainer(settings);
    }
}
