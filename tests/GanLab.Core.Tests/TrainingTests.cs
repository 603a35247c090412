using GanLab.Core.Data;
using GanLab.Core.Training;
using GanLab.Torch;

namespace GanLab.Core.Tests;

/// <summary>Live-tensor counts are process-wide, so these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(NativeMemory), DisableParallelization = true)]
public class NativeMemory;

[Collection(nameof(NativeMemory))]
public class TrainingTests
{
    private static readonly DatasetCatalog Datasets = new(DataTests.Paths);

    [Fact]
    public void A_short_run_on_MNIST_moves_the_losses_and_D_outputs_the_expected_way()
    {
        // At 2e-4, D pulls ahead of G clearly within 300 steps; at the default 1e-3 the two stay closer.
        using var trainer = new GanTrainer(new GanTrainingOptions { Seed = 1, LearningRate = 2e-4 }, Datasets.Get("mnist"));
        var first = trainer.TrainStep();
        // Untrained, D cannot tell: both outputs sit near 1/2 and Loss_D near 2·log 2 (with the 0.9 target, a bit above).
        Assert.InRange(first.DOfX, 0.35, 0.65);
        Assert.InRange(first.DOfGzBeforeD, 0.35, 0.65);
        Assert.InRange(first.LossD, 1.2, 1.6);

        var before = trainer.SampleFixedNoise().Png;
        var history = trainer.Train(300);
        var late = history.TakeLast(50).ToList();

        // D learns to separate real from fake first: D(x) above D(G(z)), and its loss falls.
        Assert.True(late.Average(p => p.DOfX) > late.Average(p => p.DOfGzBeforeD) + 0.2,
            $"D(x) {late.Average(p => p.DOfX):F3} should exceed D(G(z)) {late.Average(p => p.DOfGzBeforeD):F3}");
        Assert.True(late.Average(p => p.LossD) < first.LossD - 0.2, $"Loss_D should fall from {first.LossD:F3}, is {late.Average(p => p.LossD):F3}");
        Assert.All(history, p => Assert.True(double.IsFinite(p.LossG)));
        Assert.NotEqual(before, trainer.SampleFixedNoise().Png);
        Assert.Equal(301, trainer.Step);
        Assert.Equal(2, trainer.Epoch); // 301 batches of 64 pass the 8,000 training digits twice (125 full batches an epoch)
    }

    [Fact]
    public void Two_runs_with_the_same_seed_give_identical_losses_on_the_CPU()
    {
        var options = new GanTrainingOptions { Seed = 9, Device = "cpu" };
        using var a = new GanTrainer(options, Datasets.Get("mnist"));
        using var b = new GanTrainer(options, Datasets.Get("mnist"));
        for (var i = 0; i < 20; i++)
        {
            var (x, y) = (a.TrainStep(), b.TrainStep());
            Assert.Equal(x.LossD, y.LossD);
            Assert.Equal(x.LossG, y.LossG);
        }
        using var c = new GanTrainer(options with { Seed = 10 }, Datasets.Get("mnist"));
        Assert.NotEqual(a.TrainStep().LossD, c.TrainStep().LossD);
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message_naming_them()
    {
        var options = new GanTrainingOptions { BatchSize = 0, LearningRate = -1, Device = "tpu" };
        var error = Assert.Throws<ArgumentException>(() => new TrainingRun(options, Datasets));
        Assert.Contains("batch size 0", error.Message);
        Assert.Contains("learning rate -1", error.Message);
        Assert.Contains("allowed: auto, cpu, cuda", error.Message);
    }

    [Fact]
    public async Task Divergence_stops_the_run_with_a_message_naming_the_step_and_cause()
    {
        // Pixels of NaN poison D's loss at the first step, as a runaway learning rate does later on.
        var poisoned = new ImageDataset("mnist", 1, 28, 28, Enumerable.Repeat(float.NaN, 784 * 64).ToArray(), new byte[64]);
        using var run = new TrainingRun(new GanTrainingOptions { TrainOn = "all" }, new DatasetCatalog(DataTests.Paths).With(poisoned));
        var faulted = new TaskCompletionSource();
        run.StateChanged += () => { if (run.State == TrainingState.Faulted) faulted.TrySetResult(); };
        run.Start();
        await faulted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("diverged at step 1", run.FaultMessage);
        Assert.Contains("learning rate", run.FaultMessage);
        Assert.Throws<InvalidOperationException>(run.Start);
    }

    [Fact]
    public void Seed_001s_DCGAN_keeps_process_memory_steady_over_many_steps()
    {
        // The live-tensor count sees only our handles; native memory can also leak inside libtorch or
        // through autograd graphs kept alive. One leaked activation batch a step (about 0.8 MB at
        // batch 16) would add over 100 MiB in 150 steps; the allocator's own churn stays far below.
        using var trainer = new GanTrainer(new GanTrainingOptions { Model = "dcgan", BatchSize = 16, Seed = 4 }, Datasets.Get("mnist"));
        for (var step = 0; step < 50; step++) trainer.TrainStep();
        var before = ResidentBytes();
        var liveBefore = LiveTensors.Settled();
        for (var step = 0; step < 150; step++) trainer.TrainStep();
        var growth = ResidentBytes() - before;
        Assert.Equal(liveBefore, LiveTensors.Settled());
        Assert.True(growth < 48L << 20, $"resident memory grew by {growth >> 20} MiB over 150 DCGAN steps");
    }

    private static long ResidentBytes()
    {
        LiveTensors.Settled();
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    [Fact]
    public async Task A_run_trains_on_its_own_thread_stops_resumes_and_frees_its_tensors()
    {
        var before = LiveTensors.Settled();
        var run = new TrainingRun(new GanTrainingOptions { Seed = 3 }, Datasets);
        var steps = 0;
        var grids = 0;
        run.Progress += _ => Interlocked.Increment(ref steps);
        run.Samples += _ => Interlocked.Increment(ref grids);

        run.Start();
        Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref steps) >= 20, TimeSpan.FromSeconds(60)), "the run should make steps");
        await run.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(TrainingState.Stopped, run.State);
        var pausedAt = run.LastProgress!.Step;
        Assert.True(grids >= 2, "a grid at start and one at stop");

        run.Start();
        Assert.True(SpinWait.SpinUntil(() => run.LastProgress!.Step > pausedAt + 5, TimeSpan.FromSeconds(60)), "resume continues the step count");
        run.Dispose();
        Assert.True(LiveTensors.Settled() == before, $"live tensors {LiveTensors.Settled()} should return to {before} after Dispose");
    }

    [Fact]
    public async Task A_run_started_until_a_step_stops_there_by_itself_and_goes_on_from_it()
    {
        using var run = new TrainingRun(new GanTrainingOptions { Seed = 3, BatchSize = 16 }, Datasets);
        var steps = new List<long>();
        run.Progress += progress => { lock (steps) steps.Add(progress.Step); };

        run.Start(untilStep: 1);
        await run.WhenStopped.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(TrainingState.Stopped, run.State);
        Assert.Equal([1L], steps);

        run.Start(untilStep: 3);
        await run.WhenStopped.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal([1L, 2, 3], steps);
        Assert.Equal(3, run.LastSamples!.Step);
    }
}
