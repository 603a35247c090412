using Bunit;
using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The toy components (toy-2d, optimal-discriminator, minimax-game) against real toy runs on the app's scheduler
/// (libtorch shim needed): what they draw, which plotly calls they make, how the buttons follow the run, and what
/// a block with bad settings says.
/// </summary>
public class ToyComponentsTests : WebTestContext
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly BunitJSModuleInterop _charts;
    private readonly BunitJSModuleInterop _math;

    public ToyComponentsTests()
    {
        _charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        foreach (var function in new[] { "newPlot", "extendTraces", "purge", "drawToy", "drawCurves" })
            _charts.SetupVoid(function, _ => true).SetVoidResult();
        _math = JSInterop.SetupModule(KatexMath.ModulePath);
        _math.SetupVoid("typeset", _ => true).SetVoidResult();
        JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
    }

    private static string Text<T>(IRenderedComponent<T> component, string testId) where T : Microsoft.AspNetCore.Components.IComponent =>
        component.Find($"[data-testid={testId}]").TextContent.Trim();

    private static bool Disabled<T>(IRenderedComponent<T> component, string testId) where T : Microsoft.AspNetCore.Components.IComponent =>
        component.Find($"[data-testid={testId}]").HasAttribute("disabled");

    private IReadOnlyList<T> Calls<T>(string function) =>
        _charts.Invocations[function].Select(call => (T)call.Arguments[1]!).ToList();

    private IReadOnlyList<IReadOnlyList<ChartExtension>> Extensions() =>
        _charts.Invocations["extendTraces"].Select(call => (IReadOnlyList<ChartExtension>)call.Arguments[0]!).ToList();

    // ---- toy-2d ----

    [Fact]
    public void An_idle_toy_2d_shows_its_buttons_and_layers_and_an_empty_loss_chart()
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings()));

        Assert.Equal("Play", Text(toy, "toy-play"));
        foreach (var id in new[] { "toy-step-d", "toy-step-g", "toy-step-both" }) Assert.False(Disabled(toy, id));
        Assert.True(Disabled(toy, "toy-reset"));
        Assert.StartsWith("Idle · step 0", Text(toy, "toy-status"));
        Assert.Equal(Toy2D.Layers.Count, toy.FindAll("input[type=checkbox][data-testid^=toy-layer-]").Count(box => box.HasAttribute("checked")));
        Assert.Equal("–", Text(toy, "toy-modes"));
        Assert.Contains("ring-8 · non-saturating", Text(toy, "toy-settings"));

        var plot = Assert.Single(_charts.Invocations["newPlot"]);
        Assert.Equal(Toy2D.LossChart, plot.Arguments[1]);
        _charts.VerifyNotInvoke("drawToy");
    }

    [Fact]
    public async Task A_d_step_draws_every_layer_and_the_metrics_and_switching_a_layer_off_redraws_without_it()
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));

        await toy.ClickAsync("[data-testid=toy-step-d]");

        toy.WaitForAssertion(() => Assert.StartsWith("Paused · step 1 ", Text(toy, "toy-status")), Patience);
        var frame = Calls<ToyPlotFrame>("drawToy")[^1];
        Assert.Equal(64 * 64, frame.Heatmap!.Length);
        Assert.True(frame.HeatmapIsProbability);
        Assert.All(frame.Heatmap, d => Assert.InRange(d, 0, 1));
        Assert.Equal(2 * 512, frame.Real!.Length);
        Assert.Equal(2 * 512, frame.Fake!.Length);
        Assert.Equal(4 * 512, frame.Arrows!.Length);
        Assert.Equal(2 * ToyGanTrainer.ManifoldSide * ToyGanTrainer.ManifoldSide, frame.Manifold!.Length);
        Assert.Matches(@"^\d / 8$", Text(toy, "toy-modes"));
        Assert.EndsWith("%", Text(toy, "toy-quality"));
        Assert.Equal("Play", Text(toy, "toy-play"));
        Assert.False(Disabled(toy, "toy-reset"));

        toy.Find("[data-testid=toy-layer-heatmap]").Change(false);
        toy.Find("[data-testid=toy-layer-arrows]").Change(false);

        // The redraw waits its turn in the chart pump (a frame's draw may still be in flight), so it can come after
        // Change returns, with no render to wake a WaitForAssertion: look for it, on the renderer's thread, until it comes.
        ToyPlotFrame Last() => toy.InvokeAsync(() => Calls<ToyPlotFrame>("drawToy")[^1]).GetAwaiter().GetResult();
        Assert.True(SpinWait.SpinUntil(() => Last() is { Heatmap: null, Arrows: null }, Patience), "the view is redrawn without the heatmap and arrows");
        Assert.Equal(frame.Fake, Last().Fake);
    }

    [Fact]
    public async Task Play_trains_and_extends_the_loss_chart_pause_keeps_the_weights_and_reset_starts_over()
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));

        await toy.ClickAsync("[data-testid=toy-play]");
        toy.WaitForAssertion(() => Assert.Matches(@"^Playing · step [1-9]", Text(toy, "toy-status")), Patience);
        Assert.True(Disabled(toy, "toy-step-d"), "no single steps while playing");
        toy.WaitForAssertion(() => Assert.NotEmpty(_charts.Invocations["extendTraces"]), Patience);

        await toy.ClickAsync("[data-testid=toy-pause]");
        toy.WaitForAssertion(() => Assert.StartsWith("Paused", Text(toy, "toy-status")), Patience);
        var extensions = Extensions().SelectMany(e => e).ToList();
        var steps = extensions.SelectMany(e => e.X).ToList();
        Assert.Equal(steps.Order(), steps);
        Assert.All(extensions, e => Assert.All(e.Y, trace => Assert.Equal(e.X.Length, trace.Length)));

        await toy.ClickAsync("[data-testid=toy-reset]");
        toy.WaitForAssertion(() => Assert.StartsWith("Idle · step 0", Text(toy, "toy-status")), Patience);
        Assert.Equal("–", Text(toy, "toy-modes"));
        Assert.Equal(2, _charts.Invocations["newPlot"].Count);
    }

    [Fact]
    public async Task Leaving_the_page_frees_the_toy_and_its_place_in_the_queue()
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));
        await toy.ClickAsync("[data-testid=toy-play]");
        toy.WaitForAssertion(() => Assert.StartsWith("Playing", Text(toy, "toy-status")), Patience);

        await DisposeComponentsAsync();

        Assert.Equal(0, Training.Scheduler.RunningCount + Training.Scheduler.QueuedCount);
        Assert.NotEmpty(_charts.Invocations["purge"]);
    }

    [Fact]
    public async Task A_dropped_connection_pauses_a_playing_toy_and_keeps_its_weights()
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));
        await toy.ClickAsync("[data-testid=toy-play]");
        toy.WaitForAssertion(() => Assert.Matches(@"^Playing · step [1-9]", Text(toy, "toy-status")), Patience);

        await new PauseTrainingWhenDisconnected(Circuit).OnConnectionDownAsync(null!, CancellationToken.None);

        toy.WaitForAssertion(() => Assert.StartsWith("Paused", Text(toy, "toy-status")), Patience);
        Assert.Equal(0, Training.Scheduler.RunningCount + Training.Scheduler.QueuedCount);
        Assert.Equal("Play", Text(toy, "toy-play"));
    }

    [Fact]
    public async Task A_toy_behind_an_occupied_slot_shows_its_queue_position()
    {
        using var server = new ToyServer(maxConcurrentRuns: 1);
        var first = server.Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));
        var second = server.Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32, Seed = 7 }));

        // Another browser's image run holds the training slot and its toy the toy slot: neither is free, the toy waits at position 1.
        var (image, blocker) = (new HoldingRun("another-browser"), new HoldingRun("another-browser") { Lane = RunLane.Toy });
        server.Training.Scheduler.Enqueue(image);
        server.Training.Scheduler.Enqueue(blocker);
        await first.ClickAsync("[data-testid=toy-play]");

        first.WaitForAssertion(() => Assert.Equal("· waiting for a turn: position 1", Text(first, "toy-queue-position")), Patience);
        Assert.StartsWith("Playing · step 0", Text(first, "toy-status"));
        await second.ClickAsync("[data-testid=toy-step-d]");
        second.WaitForAssertion(() => Assert.Equal("· waiting for a turn: position 2", Text(second, "toy-queue-position")), Patience);

        // The toy slot coming free serves the toys, though the image run still holds the training slot.
        blocker.Release();
        second.WaitForAssertion(() => Assert.StartsWith("Paused · step 1", Text(second, "toy-status")), Patience);
        Assert.Equal(ScheduleState.Running, server.Training.Scheduler.StateOf(image));
        image.Release();
        await first.ClickAsync("[data-testid=toy-pause]");
        first.WaitForAssertion(() => Assert.StartsWith("Paused", Text(first, "toy-status")), Patience);
    }

    [Fact]
    public async Task Toys_sharing_the_toy_slot_say_how_often_their_turn_comes()
    {
        using var server = new ToyServer(maxConcurrentRuns: 1);
        var first = server.Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32 }));
        var second = server.Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { BatchSize = 32, Seed = 7 }));
        var image = new HoldingRun("another-browser"); // the training slot is taken: the two toys share the toy slot
        server.Training.Scheduler.Enqueue(image);

        await first.ClickAsync("[data-testid=toy-play]");
        await second.ClickAsync("[data-testid=toy-play]");

        first.WaitForAssertion(() => Assert.Matches(@"^· taking turns with 1 other toy on this server: its turn comes about every 1(\.5)? s$",
            Text(first, "toy-turns")), Patience);
        await second.ClickAsync("[data-testid=toy-pause]");
        first.WaitForAssertion(() => Assert.Empty(first.FindAll("[data-testid=toy-turns]")), Patience);
        image.Release();
        await first.ClickAsync("[data-testid=toy-pause]");
    }

    [Theory]
    [InlineData("gaussian-1d", "cannot be shown by toy-2d")]
    [InlineData("spiral", "is unknown")]
    public void A_toy_2d_with_a_distribution_it_cannot_draw_names_the_allowed_ones(string distribution, string why)
    {
        var toy = Render<Toy2D>(p => p.Add(c => c.Settings, new Toy2DSettings { Distribution = distribution }));

        var error = Text(toy, "toy-settings-error");
        Assert.Contains(why, error);
        Assert.Contains("allowed: ring-8, grid-25, swiss-roll, two-moons", error);
        Assert.Empty(toy.FindAll("[data-testid=toy-play]"));
        _charts.VerifyNotInvoke("newPlot");
    }

    [Fact]
    public void A_lesson_block_with_bad_settings_shows_the_error_box_with_allowed_values_instead_of_the_toy()
    {
        var lesson = ParseLesson("""
            # Toys

            ```toy-2d
            distribution: two-gaussians-1d
            ```
            """);

        var problems = string.Join("\n", lesson.Problems.Select(problem => problem.ToString()));
        Assert.Contains("distribution 'two-gaussians-1d' cannot be shown by toy-2d", problems);
        Assert.Contains("allowed: ring-8, grid-25, swiss-roll, two-moons", problems);
        var body = Render<LessonBody>(p => p.Add(c => c.Lesson, lesson));
        Assert.Contains("allowed: ring-8, grid-25, swiss-roll, two-moons", body.Find("[data-testid=lesson-error]").TextContent);
        Assert.Empty(body.FindAll("[data-testid=toy-2d]"));

        var validation = new Toy2DSettings { Loss = "wasserstein-ish" }.Validate();
        Assert.Equal(["loss 'wasserstein-ish' is unknown; allowed: non-saturating, minimax, least-squares, hinge, wasserstein, wgan-gp"], validation);
    }

    // ---- optimal-discriminator ----

    [Fact]
    public async Task The_optimal_discriminator_draws_p_data_first_then_all_four_curves_and_the_gap_after_a_step()
    {
        var toy = Render<OptimalDiscriminatorView>(p => p.Add(c => c.Settings, new OptimalDiscriminatorSettings { BatchSize = 64 }));

        var first = Assert.Single(Calls<CurveFigure>("drawCurves"));
        Assert.Equal(["p_data(x)"], first.Curves.Select(c => c.Name));
        Assert.Equal(OptimalDiscriminatorView.GapChart, Assert.Single(_charts.Invocations["newPlot"]).Arguments[1]);
        _math.VerifyInvoke("typeset");
        Assert.Contains(@"D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}", Text(toy, "toy-formula"));

        await toy.ClickAsync("[data-testid=toy-step-both]");

        toy.WaitForAssertion(() => Assert.StartsWith("Paused · step 1 ", Text(toy, "toy-status")), Patience);
        var figure = Calls<CurveFigure>("drawCurves")[^1];
        Assert.Equal(4, figure.Curves.Count);
        var (d, optimal) = (figure.Curves[2], figure.Curves[3]);
        Assert.True(d.RightAxis && optimal.RightAxis);
        Assert.All(d.Y.Concat(optimal.Y), value => Assert.InRange(value, 0, 1));
        // p_data and p_g are densities: each integrates to 1 over the grid.
        var width = figure.Curves[0].X[1] - figure.Curves[0].X[0];
        Assert.InRange(figure.Curves[0].Y.Sum() * width, 0.99, 1.01);
        Assert.InRange(figure.Curves[1].Y.Sum() * width, 0.99, 1.01);
        var gap = double.Parse(Text(toy, "toy-gap"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(gap, 0, 1);
        var extension = Extensions().SelectMany(e => e).Last();
        Assert.Equal([1L], extension.X);
        Assert.Equal(gap, extension.Y[0][0], 4);
    }

    [Fact]
    public void With_smoothed_labels_the_formula_shows_the_targets_d_star_depends_on()
    {
        var toy = Render<OptimalDiscriminatorView>(p => p.Add(c => c.Settings, new OptimalDiscriminatorSettings { RealLabel = 0.9 }));

        Assert.Contains(@"0.9\,p_\text{data}(x) + 0\,p_g(x)", Text(toy, "toy-formula"));
    }

    [Theory]
    [InlineData("hinge")]
    [InlineData("wgan-gp")]
    public void The_optimal_discriminator_refuses_a_loss_without_d_star_and_names_the_allowed_ones(string loss)
    {
        var toy = Render<OptimalDiscriminatorView>(p => p.Add(c => c.Settings, new OptimalDiscriminatorSettings { Loss = loss }));

        var error = Text(toy, "toy-settings-error");
        Assert.Contains($"loss '{loss}' cannot be shown by optimal-discriminator", error);
        Assert.Contains("allowed: non-saturating, minimax, least-squares", error);
    }

    // ---- minimax-game ----

    [Fact]
    public async Task The_minimax_panels_are_drawn_at_once_and_a_step_adds_v_below_its_optimum_and_moves_the_marker()
    {
        var toy = Render<MinimaxGame>(p => p.Add(c => c.Settings, new MinimaxGameSettings { BatchSize = 64 }));

        var panels = Calls<CurveFigure>("drawCurves");
        Assert.Equal(2, panels.Count);
        Assert.All(panels, panel => Assert.Null(panel.MarkersX));
        Assert.Equal(MinimaxGame.ValueChart, Assert.Single(_charts.Invocations["newPlot"]).Arguments[1]);

        await toy.ClickAsync("[data-testid=toy-step-both]");

        toy.WaitForAssertion(() => Assert.StartsWith("Paused · step 1 ", Text(toy, "toy-status")), Patience);
        var point = Extensions().SelectMany(e => e).Last();
        var (value, optimum, minusLog4) = (point.Y[0][0], point.Y[1][0], point.Y[2][0]);
        // D* maximises V over every D constant on the grid's bins, so no trained D can beat it.
        Assert.True(value <= optimum + 1e-9, $"V(D, G) = {value} above V(D*, G) = {optimum}");
        Assert.True(optimum >= minusLog4 - 1e-9, "−log 4 + 2·JSD is never below −log 4");
        Assert.Equal(-Math.Log(4), minusLog4, 12);

        var marked = Calls<CurveFigure>("drawCurves")[^1];
        var dOfGz = double.Parse(Text(toy, "toy-dgz"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(dOfGz, Assert.Single(marked.MarkersX!), 3);
    }

    [Fact]
    public void The_loss_panels_are_the_losses_of_the_training_code_as_functions_of_d_of_g_of_z()
    {
        var (loss, gradient) = MinimaxGame.LossPanels(0.3);

        var (saturating, nonSaturating) = (loss.Curves[0], loss.Curves[1]);
        for (var i = 0; i < saturating.X.Length; i++)
        {
            var d = saturating.X[i];
            Assert.Equal(Math.Log(1 - d), saturating.Y[i], 4);
            Assert.Equal(-Math.Log(d), nonSaturating.Y[i], 4);
            Assert.Equal(-d, gradient.Curves[0].Y[i], 4);
            Assert.Equal(-(1 - d), gradient.Curves[1].Y[i], 4);
        }
        Assert.Equal([0.3], loss.MarkersX);
    }

    [Fact]
    public void The_minimax_game_refuses_a_loss_without_a_value_function()
    {
        var toy = Render<MinimaxGame>(p => p.Add(c => c.Settings, new MinimaxGameSettings { Loss = "least-squares" }));

        var error = Text(toy, "toy-settings-error");
        Assert.Contains("loss 'least-squares' cannot be shown by minimax-game", error);
        Assert.Contains("allowed: non-saturating, minimax", error);
    }

    /// <summary>A second server with its own limits, rendering into its own context.</summary>
    private sealed class ToyServer : WebTestContext
    {
        public ToyServer(int maxConcurrentRuns) : base(maxLiveRuns: 8, maxConcurrentRuns: maxConcurrentRuns, maxRunsPerBrowser: 3)
        {
            var charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
            foreach (var function in new[] { "newPlot", "extendTraces", "purge", "drawToy", "drawCurves" })
                charts.SetupVoid(function, _ => true).SetVoidResult();
        }
    }

    /// <summary>Another browser's run holding a slot until released.</summary>
    private sealed class HoldingRun(string browserId) : ISchedulableRun
    {
        private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string BrowserId { get; } = browserId;
        public RunLane Lane { get; init; } = RunLane.Training;
        public void Release() => _release.TrySetResult(true);
        public Task<bool> TrainSliceAsync(CancellationToken yieldRequested) => _release.Task;
    }
}
