using Bunit;
using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Runs;
using GanLab.Web.Tests.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The metrics block and the comparison's FID row on a tiny world: 60 training digits per class (the npm digits'
/// 200 per class held out stay the test set), a classifier trained here in seconds and cached in the test's own
/// folder, and generators trained for a few steps. The repository's cached classifiers are never touched.
/// One training slot, as on the 2-core server: measurements take it like training runs.
/// </summary>
public class MetricsPanelTests() : WebTestContext(maxConcurrentRuns: 1, datasets: SmallWorld, classifierRecipes: _ => Quick)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static readonly DatasetCatalog SmallWorld = new DatasetCatalog(Paths).With(SmallMnist(260));

    /// <summary>The Core tests' quick recipe: far above chance in seconds on a CPU.</summary>
    private static readonly ClassifierTrainingOptions Quick = new() { Epochs = 2, BatchSize = 32, FinalLearningRate = 1e-3, Dropout = 0, Seed = 3 };

    private static ImageDataset SmallMnist(int perClass)
    {
        var mnist = new DatasetCatalog(Paths).Get("mnist");
        var chosen = Enumerable.Range(0, mnist.Count).GroupBy(i => mnist.Labels[i]).SelectMany(g => g.Take(perClass)).ToArray();
        var pixels = chosen.SelectMany(i => mnist.Pixels.AsSpan(i * mnist.ImageSize, mnist.ImageSize).ToArray()).ToArray();
        return new ImageDataset("mnist", 1, 28, 28, pixels, [.. chosen.Select(i => mnist.Labels[i])]);
    }

    private void TrainClassifier()
    {
        using var classifier = Classifiers.Get("mnist", "cpu");
        Assert.True(Evaluator.HasClassifier("mnist"));
    }

    /// <summary>A finished run of this browser whose checkpoint is a generator trained for <paramref name="steps"/> steps.</summary>
    private RunRecord FinishedRun(string id, int steps)
    {
        var options = new GanTrainingOptions { Model = "mlp-gan", BatchSize = 32, Seed = 5, Device = "cpu", MaxSteps = steps };
        var checkpoint = Path.Combine(DataFolder, $"{id}.ganlab");
        using (var trainer = new GanTrainer(options, Datasets.Get("mnist")))
        {
            for (var i = 0; i < steps; i++) trainer.TrainStep();
            trainer.SaveCheckpoint(checkpoint);
        }
        var run = new RunRecord(id, BrowserId, options, RunStatus.Finished, DateTimeOffset.UtcNow, Steps: steps, CheckpointPath: checkpoint);
        Store.Write([new RunWrite.Run(run)]);
        return run;
    }

    private IRenderedComponent<MetricsPanel> RenderMetrics(MetricsSettings settings) =>
        Render<MetricsPanel>(parameters => parameters.Add(p => p.Settings, settings));

    [Fact]
    public void Without_a_finished_run_it_says_how_to_get_one()
    {
        var block = RenderMetrics(new MetricsSettings { Model = "dcgan" });

        Assert.Contains("No dcgan run of yours to measure yet", block.Find("[data-testid=metrics-nothing]").TextContent);
        Assert.Empty(block.FindAll("[data-testid=metrics-table]"));

        var course = RenderMetrics(new MetricsSettings { Checkpoint = "no-such.ganlab" });
        Assert.Contains("content/checkpoints/no-such.ganlab is not on this server", course.Find("[data-testid=metrics-nothing]").TextContent);
    }

    [Theory]
    [InlineData(null, null, "../runs/x.ganlab", null, "must be a .ganlab file named relative to content/checkpoints/")]
    [InlineData(null, null, "x.pt", null, "must be a .ganlab file")]
    [InlineData("dcgan", null, "x.ganlab", null, "give either, not both")]
    [InlineData("gan", null, null, null, "model 'gan' is unknown; allowed: mlp-gan")]
    [InlineData(null, "digits", null, null, "dataset 'digits' is unknown; allowed: mnist, fashion-mnist")]
    [InlineData(null, null, null, 3, "samples 3 must be between 6 and 10,000")]
    public void Bad_settings_say_what_is_wrong(string? model, string? dataset, string? checkpoint, int? samples, string expected)
    {
        var block = RenderMetrics(new MetricsSettings { Model = model, Dataset = dataset, Checkpoint = checkpoint, Samples = samples });

        Assert.Contains(expected, block.Find("[data-testid=metrics-settings-error]").TextContent);
        Assert.Empty(block.FindAll("[data-testid=metrics-measure]"));
    }

    [Fact]
    public void Without_a_cached_classifier_it_names_the_command_that_trains_one_and_does_not_measure()
    {
        FinishedRun("aaaaaaaa01", steps: 3);

        var block = RenderMetrics(new MetricsSettings { Model = "mlp-gan" });

        Assert.Contains("your latest finished mlp-gan run", block.Find("[data-testid=metrics-source]").TextContent);
        Assert.Contains("./ganlab classifier --dataset mnist", block.Find("[data-testid=metrics-no-classifier]").TextContent);
        Assert.True(block.Find("[data-testid=metrics-measure]").HasAttribute("disabled"));
        Assert.False(Classifiers.IsCached("mnist"));
    }

    [Fact]
    public async Task Measure_shows_fid_beside_its_floor_the_score_and_a_class_histogram_at_the_sample_size_asked()
    {
        TrainClassifier();
        FinishedRun("aaaaaaaa02", steps: 5);

        var block = RenderMetrics(new MetricsSettings { Samples = 200 });
        await block.ClickAsync("[data-testid=metrics-measure]");

        block.WaitForAssertion(() => Assert.NotNull(block.Find("[data-testid=metrics-table]")), Patience);
        Assert.Equal("200", block.Find("[data-testid=metrics-samples]").TextContent.Trim());
        var fid = block.Find("[data-testid=metrics-fid]").QuerySelectorAll("td").Select(c => double.Parse(c.TextContent, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(fid[0] > 5 * fid[1], $"a 5-step generator is far above the real floor: {fid[0]} vs {fid[1]}");
        var bars = block.FindAll("[data-testid=class-bar]");
        Assert.Equal(10, bars.Count);
        Assert.Equal(200, bars.Sum(b => int.Parse(b.GetAttribute("data-count")!)));
        Assert.Equal(200, block.FindAll("[data-testid=class-bar-real]").Sum(b => int.Parse(b.GetAttribute("data-count")!)));
        Assert.False(block.Find("[data-testid=metrics-measure]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_paused_run_is_measured_from_a_snapshot_of_its_weights_and_a_running_one_is_named()
    {
        TrainClassifier();
        using var session = Training.OpenSession(new GanTrainingOptions { BatchSize = 16, Device = "cpu" }, BrowserId);
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step >= 5, Patience), "the run trains");

        var block = RenderMetrics(new MetricsSettings { Samples = 100 });
        Assert.Matches("Your mlp-gan run is running \\(step [\\d,]+\\)\\. Press Stop", block.Find("[data-testid=metrics-nothing]").TextContent);

        await session.StopAsync();
        var snapshots = Path.Combine(Path.GetTempPath(), "ganlab-measure");
        int Snapshots() => Directory.Exists(snapshots) ? Directory.GetFiles(snapshots, $"{session.Run!.Id}-*").Length : 0;
        await block.ClickAsync("[data-testid=metrics-measure]");

        block.WaitForAssertion(() => Assert.NotNull(block.Find("[data-testid=metrics-table]")), Patience);
        Assert.Contains("your paused run as it stands: mlp-gan on mnist", block.Find("[data-testid=metrics-source]").TextContent);
        Assert.Contains("at step " + session.LastProgress!.Step.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), block.Find("[data-testid=metrics-table] caption").TextContent);
        Assert.Equal(RunStatus.Paused, session.Status); // measuring leaves the run as it was
        Assert.Equal(0, Snapshots()); // the snapshot made for measuring is gone
    }

    [Fact]
    public async Task Measurements_wait_in_one_queue_and_are_served_in_order()
    {
        TrainClassifier();
        var run = FinishedRun("aaaaaaaa03", steps: 2);
        var done = new List<int>();

        var tickets = Enumerable.Range(0, 3).Select(_ => Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60)).ToList();
        for (var i = 0; i < tickets.Count; i++)
        {
            var index = i;
            tickets[i].Changed += () => { if (tickets[index].State == Web.Evaluation.EvaluationState.Done) lock (done) if (!done.Contains(index)) done.Add(index); };
        }
        // The last is behind at least the second; nobody is ahead of the first.
        Assert.InRange(tickets[2].QueuePosition ?? 0, 2, 3);
        Assert.True(tickets[0].QueuePosition is null or 1, $"first ticket at position {tickets[0].QueuePosition}");

        await Task.WhenAll(tickets.Select(t => t.Completion)).WaitAsync(Patience);
        Assert.All(tickets, t => Assert.Equal((Web.Evaluation.EvaluationState.Done, 60, (int?)null), (t.State, t.Report!.Samples, t.QueuePosition)));
        Assert.Equal([0, 1, 2], done);
        Assert.Throws<InvalidOperationException>(() => Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "fashion-mnist"));
    }

    [Fact]
    public async Task A_measurement_takes_a_training_slot_in_its_browsers_turn_and_training_waits_while_it_runs()
    {
        TrainClassifier();
        var run = FinishedRun("aaaaaaaa05", steps: 2);
        var scheduler = Training.Scheduler;
        var training = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);

        var ticket = Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60);
        var later = new HeldRun("a-third-browser");
        scheduler.Enqueue(later);

        // Queued in the one queue, with its place among the training runs.
        Assert.Equal(Web.Evaluation.EvaluationState.Queued, ticket.State);
        Assert.Equal(ScheduleState.Queued, scheduler.StateOf(ticket));
        Assert.Equal(1, ticket.QueuePosition);
        Assert.Equal(2, scheduler.QueuePosition(later));

        var whileMeasuring = new List<(ScheduleState Ticket, ScheduleState Later, int Running)>();
        ticket.Changed += () =>
        {
            if (ticket.State == Web.Evaluation.EvaluationState.Running)
                lock (whileMeasuring) whileMeasuring.Add((scheduler.StateOf(ticket), scheduler.StateOf(later), scheduler.RunningCount));
        };
        training.Finish();
        await ticket.Completion.WaitAsync(Patience);

        Assert.Equal(Web.Evaluation.EvaluationState.Done, ticket.State);
        Assert.NotEmpty(whileMeasuring);
        Assert.All(whileMeasuring, seen => Assert.Equal((ScheduleState.Running, ScheduleState.Queued, 1), seen));
        await later.Started.WaitAsync(Patience); // the slot goes on to the training run
        later.Finish();
    }

    [Fact]
    public async Task Measurements_do_not_use_up_a_browsers_share_of_runs_but_a_browser_may_queue_only_a_few()
    {
        TrainClassifier();
        var run = FinishedRun("aaaaaaaa06", steps: 2);
        var held = Enumerable.Range(0, Options.MaxRunsPerBrowser).Select(_ => new HeldRun(BrowserId)).ToList();
        foreach (var r in held) Training.Scheduler.Enqueue(r);
        await held[0].Started.WaitAsync(Patience);

        // The browser's share of runs is full, yet its measurements queue (a comparison measures both its runs at the end).
        var tickets = Enumerable.Range(0, Web.Evaluation.RunEvaluator.MaxWaitingPerBrowser)
            .Select(_ => Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60)).ToList();
        var refused = Assert.Throws<Web.Evaluation.EvaluationQueueFullException>(() => Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60));
        Assert.Contains($"the most one browser may have ({Web.Evaluation.RunEvaluator.MaxWaitingPerBrowser})", refused.Message);
        var other = Evaluator.Enqueue("ffffffffffffffffffffffffffffffff", run.CheckpointPath!, "mnist", samples: 60);
        // Fair share: the other browser's measurement goes before this browser's second one.
        Assert.True(other.QueuePosition < tickets[1].QueuePosition, $"{other.QueuePosition} vs {tickets[1].QueuePosition}");

        foreach (var r in held) r.Finish();
        await Task.WhenAll([.. tickets.Select(t => t.Completion), other.Completion]).WaitAsync(Patience);
        Assert.All([.. tickets, other], t => Assert.Equal(Web.Evaluation.EvaluationState.Done, t.State));
    }

    [Fact]
    public async Task A_queued_measurement_withdrawn_leaves_the_queue_and_the_ones_behind_it_move_up()
    {
        TrainClassifier();
        var run = FinishedRun("aaaaaaaa07", steps: 2);
        var scheduler = Training.Scheduler;
        var training = await HeldRun.HoldingSlotAsync(scheduler, "another-browser", Patience);
        var first = Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60);
        var second = Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60);
        Assert.Equal(((int?)1, (int?)2), (first.QueuePosition, second.QueuePosition));
        var told = 0;
        first.Changed += () => Interlocked.Increment(ref told);

        Assert.True(Evaluator.Withdraw(first));

        Assert.Equal(Web.Evaluation.EvaluationState.Cancelled, first.State);
        Assert.True(first.Completion.IsCompleted);
        Assert.True(told > 0, "the page hears that its measurement ended");
        Assert.Equal(ScheduleState.None, scheduler.StateOf(first));
        Assert.Equal(1, scheduler.QueuedCount);
        Assert.Equal(1, second.QueuePosition);
        Assert.Null(first.QueuePosition);
        // It left the evaluator's waiting list too: the browser's places are free again for others.
        var more = Enumerable.Range(0, Web.Evaluation.RunEvaluator.MaxWaitingPerBrowser - 1)
            .Select(_ => Evaluator.Enqueue(BrowserId, run.CheckpointPath!, "mnist", samples: 60)).ToList();
        Assert.All(more, t => Assert.True(Evaluator.Withdraw(t)));

        training.Finish();
        await second.Completion.WaitAsync(Patience);
        Assert.Equal(Web.Evaluation.EvaluationState.Done, second.State);
        Assert.False(Evaluator.Withdraw(second)); // a measurement that ended stays as it is
        Assert.Equal((Web.Evaluation.EvaluationState.Cancelled, (GanLab.Core.Evaluation.EvaluationReport?)null), (first.State, first.Report));
        Assert.Equal(0, scheduler.RunningCount + scheduler.QueuedCount);
    }

    [Fact]
    public async Task Closing_the_page_withdraws_its_queued_measurement_and_deletes_the_paused_runs_snapshot()
    {
        TrainClassifier();
        using var session = Training.OpenSession(new GanTrainingOptions { BatchSize = 16, Device = "cpu" }, BrowserId);
        await session.StartAsync();
        Assert.True(SpinWait.SpinUntil(() => session.LastProgress?.Step >= 3, Patience), "the run trains");
        await session.StopAsync();
        var training = await HeldRun.HoldingSlotAsync(Training.Scheduler, "another-browser", Patience);
        var snapshots = Path.Combine(Path.GetTempPath(), "ganlab-measure");
        int Snapshots() => Directory.Exists(snapshots) ? Directory.GetFiles(snapshots, $"{session.Run!.Id}-*").Length : 0;

        var block = RenderMetrics(new MetricsSettings { Samples = 60 });
        await block.ClickAsync("[data-testid=metrics-measure]");
        block.WaitForAssertion(() => Assert.Equal("Queued for measuring: position 1.", block.Find("[data-testid=metrics-progress]").TextContent.Trim()), Patience);
        var ticket = Assert.Single(Training.Scheduler.Snapshot().Select(r => r.Run).OfType<Web.Evaluation.EvaluationTicket>());
        Assert.Equal(1, Snapshots());

        await DisposeComponentsAsync();

        Assert.Equal(Web.Evaluation.EvaluationState.Cancelled, ticket.State);
        Assert.Equal(ScheduleState.None, Training.Scheduler.StateOf(ticket));
        Assert.Equal(0, Snapshots());
        training.Finish();
    }

    [Fact]
    public async Task A_comparison_reset_or_closed_while_its_measurements_wait_withdraws_them()
    {
        TrainClassifier();
        foreach (var leave in new Func<GanComparison, Task>[] { c => c.ResetAsync(), c => { c.Dispose(); return Task.CompletedTask; } })
        {
            // The left run ends at once, the right trains on; another browser's run queues meanwhile and, served least
            // recently, takes the one slot when the right run ends: the two measurements then wait behind it.
            var comparison = new GanComparison(Training, Evaluator, BrowserId, new GanTrainingOptions { BatchSize = 16, Seed = 5, MaxSteps = 2 },
                new GanTrainingOptions { BatchSize = 16, Seed = 5, MaxSteps = 400 }, seconds: null, samples: 60);
            await comparison.StartAsync();
            Assert.True(SpinWait.SpinUntil(() => comparison.Left.Session.Status == RunStatus.Finished && comparison.Right.Session.Status == RunStatus.Running, Patience),
                "the left run finishes while the right one trains");
            var other = await HeldRun.HoldingSlotAsync(Training.Scheduler, "another-browser", Patience);
            Assert.True(SpinWait.SpinUntil(() => comparison.Sides.All(s => s.Evaluation is not null), Patience), "both runs are queued for measuring");
            var tickets = comparison.Sides.Select(s => s.Evaluation!).ToList();
            Assert.All(tickets, t => Assert.Equal(Web.Evaluation.EvaluationState.Queued, t.State));

            await leave(comparison);

            Assert.All(tickets, t => Assert.Equal((Web.Evaluation.EvaluationState.Cancelled, ScheduleState.None), (t.State, Training.Scheduler.StateOf(t))));
            other.Finish();
            comparison.Dispose();
        }
    }

    [Fact]
    public async Task A_comparison_measures_both_generators_when_both_end()
    {
        GanComparePanelTests.SetupCharts(this);
        TrainClassifier();
        var panel = Render<GanComparePanel>(parameters => parameters.Add(p => p.Settings, GanComparePanelTests.Bind("""
            steps: 3
            samples: 100
            both:
              batch-size: 16
            left:
              loss: minimax
            right:
              loss: non-saturating
            """)));

        await panel.ClickAsync("[data-testid=compare-start]");

        panel.WaitForAssertion(() =>
        {
            var cells = panel.Find("[data-testid=final-fid]").QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            Assert.All(cells, cell => Assert.Matches(@"^\d+\.\d\d \(\d+\.\d\d\) · 100 samples$", cell));
        }, Patience);
        Assert.Empty(panel.FindAll("[data-testid=compare-no-classifier]"));
        Assert.All(panel.Find("[data-testid=final-score]").QuerySelectorAll("td"), cell => Assert.Contains("100 samples", cell.TextContent));
    }
}
