using Bunit;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Training;
using Radzen.Blazor;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The trainer's settings form, presets and locks, Step, the sample timeline and the real-vs-fake view
/// (a real training run: the libtorch shim and the MNIST digits are needed).
/// </summary>
public class GanTrainerPanelControlsTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly BunitJSModuleInterop _charts;

    public GanTrainerPanelControlsTests()
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        _charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        _charts.SetupVoid("extendTraces", _ => true).SetVoidResult();
        _charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    private IRenderedComponent<GanTrainerPanel> RenderTrainer(string yaml)
    {
        var (settings, problems) = new Web.Lessons.Components.LessonSettingsBinder(typeof(GanTrainerSettings)).Bind(yaml, firstLine: 1);
        Assert.Empty(problems);
        return Render<GanTrainerPanel>(parameters => parameters.Add(p => p.Settings, (GanTrainerSettings)settings!));
    }

    private static string Text(IRenderedComponent<GanTrainerPanel> trainer, string testId) =>
        trainer.Find($"[data-testid={testId}]").TextContent.Trim();

    private static GanTrainingOptions Options(IRenderedComponent<GanTrainerPanel> trainer) => trainer.Instance.RunOptions;

    private static IRenderedComponent<TInput> Input<TInput>(IRenderedComponent<GanTrainerPanel> trainer, string name)
        where TInput : Microsoft.AspNetCore.Components.IComponent =>
        trainer.FindComponents<TInput>().Single(input => (string?)typeof(TInput).GetProperty("Name")!.GetValue(input.Instance) == name);

    [Fact]
    public void A_keras_gan_block_trains_with_its_recipe_and_the_blocks_override()
    {
        var trainer = RenderTrainer("model: keras-gan\nbatch-size: 32");

        Assert.Equal(GanTrainingOptions.For("keras-gan") with { BatchSize = 32 }, Options(trainer));
        Assert.Contains("keras-gan on mnist · batch 32 · lr 0.0002 · real label 1 ", Text(trainer, "gan-trainer"));
        Assert.Equal(2e-4, Input<RadzenNumeric<double>>(trainer, "option-learning-rate").Instance.Value);
        Assert.Equal("trainer?model=keras-gan&batchSize=32", trainer.Find("[data-testid=trainer-config-link]").GetAttribute("href"));
    }

    [Fact]
    public async Task Locked_fields_are_shown_read_only_and_refuse_edits()
    {
        var trainer = RenderTrainer("locked: [model, loss]");

        Assert.Equal("true", trainer.Find("[data-testid=trainer-option-model]").GetAttribute("data-locked"));
        Assert.Equal("false", trainer.Find("[data-testid=trainer-option-learning-rate]").GetAttribute("data-locked"));
        var model = Input<RadzenDropDown<string>>(trainer, "option-model");
        Assert.True(model.Instance.Disabled);
        Assert.False(Input<RadzenNumeric<double>>(trainer, "option-learning-rate").Instance.Disabled);

        // Even a change that reaches the component (a tampered page) leaves a locked setting as it was.
        await trainer.InvokeAsync(() => model.Instance.Change.InvokeAsync("dcgan"));
        Assert.False(await trainer.InvokeAsync(() => trainer.Instance.TrySetOption("loss", "hinge")));
        Assert.Equal(("mlp-gan", "non-saturating"), (Options(trainer).Model, Options(trainer).Loss));

        var learningRate = Input<RadzenNumeric<double>>(trainer, "option-learning-rate");
        await trainer.InvokeAsync(() => learningRate.Instance.Change.InvokeAsync(5e-4));
        Assert.Equal(5e-4, Options(trainer).LearningRate);
        Assert.Contains("lr 0.0005", Text(trainer, "gan-trainer"));
    }

    [Fact]
    public async Task Picking_a_model_loads_its_recipe_and_an_invalid_combination_is_explained()
    {
        var trainer = RenderTrainer("");

        await trainer.InvokeAsync(() => Input<RadzenDropDown<string>>(trainer, "option-model").Instance.Change.InvokeAsync("keras-gan"));
        Assert.Equal(GanTrainingOptions.For("keras-gan"), Options(trainer));

        Assert.True(await trainer.InvokeAsync(() => trainer.Instance.TrySetOption("learning-rate", 3.0)));
        trainer.WaitForAssertion(() => Assert.Contains("learning rate 3 must be in (0, 1]", Text(trainer, "trainer-options-problems")));
    }

    [Fact]
    public async Task A_preset_applies_its_settings_over_the_block()
    {
        var trainer = RenderTrainer("""
            seed: 5
            locked: [real-label]
            presets:
              - name: No smoothing
                real-label: 1
              - name: Swapped in D only
                labels: swapped-d-only
            """);
        var presets = Input<RadzenDropDown<string>>(trainer, "preset");
        Assert.Equal(["No smoothing", "Swapped in D only"], ((IEnumerable<string>)presets.Instance.Data).ToList());

        await trainer.InvokeAsync(() => presets.Instance.Change.InvokeAsync("No smoothing"));
        Assert.Equal(new GanTrainingOptions { Seed = 5, RealLabel = 1 }, Options(trainer));

        // A preset starts from the block again: the previous preset's change is gone.
        await trainer.InvokeAsync(() => presets.Instance.Change.InvokeAsync("Swapped in D only"));
        Assert.Equal(new GanTrainingOptions { Seed = 5, Labels = "swapped-d-only" }, Options(trainer));
        Assert.False(await trainer.InvokeAsync(() => trainer.Instance.TryApplyPreset("No such preset")));
    }

    [Fact]
    public async Task Step_trains_exactly_one_step_then_pauses_and_the_new_charts_get_its_numbers()
    {
        var trainer = RenderTrainer("batch-size: 16");

        await trainer.ClickAsync("[data-testid=trainer-step]");
        trainer.WaitForAssertion(() =>
        {
            Assert.StartsWith("Paused · step 1 ", Text(trainer, "trainer-status"));
            Assert.Equal("Resume", Text(trainer, "trainer-start"));
        }, Patience);
        var run = Assert.Single(Training.ActiveRuns);
        Assert.Equal(1, run.LastProgress!.Step);
        Assert.StartsWith("data:image/png;base64,", trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));

        // The settings belong to the run now.
        Assert.False(await trainer.InvokeAsync(() => trainer.Instance.TrySetOption("seed", 1)));
        Assert.NotEmpty(trainer.FindAll("[data-testid=trainer-options-frozen]"));

        await trainer.ClickAsync("[data-testid=trainer-step]");
        trainer.WaitForAssertion(() => Assert.StartsWith("Paused · step 2 ", Text(trainer, "trainer-status")), Patience);
        Assert.Equal(2, run.LastProgress!.Step);
        Assert.Equal(RunStatus.Paused, run.Status);

        var extensions = _charts.Invocations["extendTraces"].SelectMany(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!).ToList();
        var accuracy = extensions.Where((_, i) => i % 4 == 2).ToList();
        var gradients = extensions.Where((_, i) => i % 4 == 3).ToList();
        Assert.Equal([1L, 2], accuracy.SelectMany(update => update.X));
        Assert.All(accuracy, update => Assert.Equal(2, update.Y.Length));
        Assert.All(accuracy.SelectMany(update => update.Y).SelectMany(trace => trace), share => Assert.InRange(share, 0, 1));
        Assert.All(gradients.SelectMany(update => update.Y).SelectMany(trace => trace), norm => Assert.True(norm > 0 && double.IsFinite(norm), $"gradient norm {norm}"));
    }

    [Fact]
    public async Task The_timeline_slider_shows_an_older_grid_and_play_replays_up_to_the_newest()
    {
        var trainer = RenderTrainer("batch-size: 16");
        Assert.True(trainer.Find("[data-testid=trainer-timeline]").HasAttribute("disabled"));

        for (var step = 1; step <= 3; step++)
        {
            await trainer.ClickAsync("[data-testid=trainer-step]");
            trainer.WaitForAssertion(() =>
            {
                Assert.StartsWith($"Paused · step {step} ", Text(trainer, "trainer-status"));
                // The step's grid arrives on its own event, which a busy machine can deliver after the pause.
                Assert.EndsWith($"step {step}", Text(trainer, "sample-grid-caption"));
            }, Patience);
        }
        var newest = trainer.Find("img[data-testid=sample-grid]").GetAttribute("src");

        trainer.Find("[data-testid=trainer-timeline]").Input("0");

        // bUnit's Input does not wait for the handler: when a flush of the chart pump holds the renderer, it runs just after.
        trainer.WaitForAssertion(() =>
        {
            Assert.Matches("step [0-2] \\(replay\\)$", Text(trainer, "sample-grid-caption"));
            Assert.NotEqual(newest, trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
        }, Patience);

        await trainer.ClickAsync("[data-testid=trainer-timeline-play]");
        Assert.EndsWith("Stop replay", Text(trainer, "trainer-timeline-play"));
        trainer.WaitForAssertion(() =>
        {
            Assert.EndsWith("step 3", Text(trainer, "sample-grid-caption"));
            // The button's text follows its icon's name (play_arrow).
            Assert.EndsWith("Play", Text(trainer, "trainer-timeline-play"));
        }, Patience);
        Assert.Equal(newest, trainer.Find("img[data-testid=sample-grid]").GetAttribute("src"));
    }

    [Fact]
    public void Real_images_of_the_same_dataset_appear_beside_the_fakes()
    {
        var trainer = RenderTrainer("dataset: mnist");
        Assert.Empty(trainer.FindAll("[data-testid=real-grid]"));

        trainer.Find("[data-testid=trainer-compare-real]").Change(true);

        trainer.WaitForAssertion(() => Assert.StartsWith("data:image/png;base64,", trainer.Find("img[data-testid=real-grid]").GetAttribute("src")), Patience);
        Assert.Contains("Real training images of mnist", Text(trainer, "real-samples"));
    }

    [Fact]
    public void The_time_left_follows_the_pace_so_far_and_needs_a_step_budget()
    {
        var progress = new TrainingProgress(100, 1, 1, 1, 0.5, 0.5, 0.5, 640, TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromSeconds(90), GanTrainerPanel.EstimateTimeLeft(progress, maxSteps: 1000));
        Assert.Equal(TimeSpan.Zero, GanTrainerPanel.EstimateTimeLeft(progress, maxSteps: 100));
        Assert.Null(GanTrainerPanel.EstimateTimeLeft(progress, maxSteps: null));
        Assert.Null(GanTrainerPanel.EstimateTimeLeft(null, maxSteps: 1000));
    }
}
