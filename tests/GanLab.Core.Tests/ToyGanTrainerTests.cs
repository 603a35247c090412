using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training.Losses;
using GanLab.Torch;

namespace GanLab.Core.Tests;

public class ToyGanTrainerTests
{
    private static float[][] Weights(GanLab.Torch.torch.nn.Module network) =>
        network.parameters().Select(p => p.ToFloatArray()).ToArray();

    [Fact]
    public void Two_runs_with_the_same_seed_match_step_for_step_and_another_seed_does_not()
    {
        var options = new ToyGanOptions { Seed = 5, Labels = "noisy" }; // noisy labels also draw from the run's stream
        using var a = new ToyGanTrainer(options);
        using var b = new ToyGanTrainer(options);
        for (var i = 0; i < 30; i++)
        {
            var kind = (ToyStep)(i % 3);
            var (x, y) = (a.TrainStep(kind), b.TrainStep(kind));
            Assert.Equal(x.LossD, y.LossD);
            Assert.Equal(x.LossG, y.LossG);
        }
        Assert.Equal(a.SampleFixedNoise(), b.SampleFixedNoise());
        Assert.Equal(a.Evaluate().JensenShannon, b.Evaluate().JensenShannon);

        using var c = new ToyGanTrainer(options with { Seed = 6 });
        Assert.NotEqual(a.SampleFixedNoise(), c.SampleFixedNoise());
    }

    [Fact]
    public void Looking_at_a_run_does_not_change_its_training()
    {
        var options = new ToyGanOptions { Seed = 8 };
        using var watched = new ToyGanTrainer(options);
        using var unwatched = new ToyGanTrainer(options with { FixedNoiseSize = 64 });
        for (var i = 0; i < 20; i++)
        {
            watched.View();
            watched.Evaluate(500);
            Assert.Equal(watched.TrainStep().LossD, unwatched.TrainStep().LossD);
        }
    }

    [Fact]
    public void A_discriminator_step_leaves_G_untouched_and_a_generator_step_leaves_D_untouched()
    {
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Seed = 2, DiscriminatorSteps = 3 });
        var (g0, d0) = (Weights(trainer.Generator), Weights(trainer.Discriminator));

        var dStep = trainer.TrainStep(ToyStep.Discriminator);
        Assert.Equal(g0, Weights(trainer.Generator));
        Assert.NotEqual(d0, Weights(trainer.Discriminator));
        Assert.Equal((1L, 0L), (trainer.DiscriminatorUpdates, trainer.GeneratorUpdates));
        Assert.True(double.IsNaN(dStep.GradientNormG) && dStep.GradientNormD > 0);
        Assert.True(double.IsFinite(dStep.LossG), "a D step still reports G's loss, measured");

        var d1 = Weights(trainer.Discriminator);
        var gStep = trainer.TrainStep(ToyStep.Generator);
        Assert.Equal(d1, Weights(trainer.Discriminator));
        Assert.NotEqual(g0, Weights(trainer.Generator));
        Assert.Equal((1L, 1L), (trainer.DiscriminatorUpdates, trainer.GeneratorUpdates));
        Assert.True(double.IsNaN(gStep.GradientNormD) && gStep.GradientNormG > 0);
        Assert.True(double.IsFinite(gStep.LossD), "a G step still reports D's loss, measured");

        trainer.TrainStep(ToyStep.Both);
        Assert.Equal((4L, 2L), (trainer.DiscriminatorUpdates, trainer.GeneratorUpdates)); // k = 3 D updates, then one G update
        Assert.Equal(3, trainer.Step);
    }

    [Fact]
    public void The_view_has_a_point_a_push_and_a_heatmap_cell_for_everything_it_draws()
    {
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Seed = 3, FixedNoiseSize = 100 });
        for (var i = 0; i < 50; i++) trainer.TrainStep();
        var view = trainer.View();
        Assert.Equal(2, view.Dimensions);
        Assert.Equal(200, view.Real.Count);
        Assert.Equal(200, view.Fake.Length);
        Assert.Equal(200, view.Gradients.Length);
        Assert.Equal(64 * 64, view.Decision.Values.Length);
        Assert.True(view.Decision.IsProbability);
        Assert.All(view.Decision.Values, v => Assert.InRange(v, 0f, 1f));
        Assert.Equal(ToyGanTrainer.ManifoldSide * ToyGanTrainer.ManifoldSide * 2, view.Manifold!.Length);
        Assert.Equal(trainer.SampleFixedNoise(), view.Fake);

        // A frame goes to the browser as JSON: it must serialise, and stay small (points, pushes, one heatmap, no grid centres).
        var json = System.Text.Json.JsonSerializer.Serialize(view);
        Assert.InRange(json.Length, 1_000, 120_000);

        using var wideZ = new ToyGanTrainer(new ToyGanOptions { LatentSize = 3 });
        Assert.Null(wideZ.WarpedManifold());

        using var line = new ToyGanTrainer(new ToyGanOptions { Distribution = "two-gaussians-1d", LatentSize = 1, FixedNoiseSize = 10 });
        var lineView = line.View();
        Assert.Equal((1, 10, 10, 256, ToyGanTrainer.ManifoldSide), (lineView.Dimensions, lineView.Fake.Length, lineView.Gradients.Length, lineView.Decision.Values.Length, lineView.Manifold!.Length));
    }

    [Fact]
    public void Each_fake_point_is_pushed_towards_where_D_calls_points_real()
    {
        // Non-saturating loss: −∂L_G/∂x = ∂ log D(x)/∂x, so a small move along the arrow must raise D(x).
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Seed = 4, FixedNoiseSize = 200 });
        for (var i = 0; i < 100; i++) trainer.TrainStep();
        var (points, pushes) = (trainer.SampleFixedNoise(), trainer.GeneratorGradients());
        Assert.Contains(pushes, v => v != 0);
        var moved = points.Select((v, i) => v + 1e-3f * pushes[i] / Norm(pushes, i / 2)).ToArray();
        var (before, after) = (DiscriminatorAt(trainer, points), DiscriminatorAt(trainer, moved));
        var raised = Enumerable.Range(0, before.Length).Count(i => after[i] > before[i]);
        Assert.True(raised >= 0.95 * before.Length, $"D rose at {raised} of {before.Length} points moved along their arrows");
    }

    private static float Norm(float[] vectors, int point) =>
        MathF.Max(MathF.Sqrt(vectors[2 * point] * vectors[2 * point] + vectors[2 * point + 1] * vectors[2 * point + 1]), 1e-12f);

    private static float[] DiscriminatorAt(ToyGanTrainer trainer, float[] points)
    {
        using var scope = torch.NewDisposeScope();
        using var _ = torch.no_grad();
        return trainer.Discriminator.forward(torch.tensor(points, [points.Length / 2, 2])).ToFloatArray();
    }

    [Fact]
    public void D_steps_on_a_fixed_G_move_D_towards_the_optimal_discriminator()
    {
        // Proposition 1 of the GAN paper: for a fixed G, D converges to D* = p_data / (p_data + p_g).
        // D-only steps keep G, hence p_g and D*, fixed while D learns.
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "two-gaussians-1d", Seed = 1 });
        var before = trainer.Evaluate();
        for (var i = 0; i < 300; i++) trainer.TrainStep(ToyStep.Discriminator);
        var after = trainer.Evaluate();
        Assert.Equal(before.ModelMass, after.ModelMass); // G did not move
        Assert.True(after.OptimalDiscriminatorGap < 0.6 * before.OptimalDiscriminatorGap,
            $"|D − D*| should shrink from {before.OptimalDiscriminatorGap:F3}, is {after.OptimalDiscriminatorGap:F3}");
        // And V(D, G) climbs towards its ceiling V(D*, G) = −log 4 + 2·JSD, never above it.
        Assert.True(after.Value > before.Value, $"V(D, G) should rise from {before.Value:F3}, is {after.Value:F3}");
        Assert.True(after.Value <= after.ValueAtOptimum + 1e-9);
    }

    [Fact]
    public void A_short_run_of_both_steps_brings_G_to_a_one_dimensional_Gaussian()
    {
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "gaussian-1d", Seed = 1 });
        var before = trainer.Evaluate();
        for (var i = 0; i < 600; i++) trainer.TrainStep();
        var after = trainer.Evaluate();
        Assert.True(after.JensenShannon < before.JensenShannon / 2, $"JS should fall from {before.JensenShannon:F3}, is {after.JensenShannon:F3}");
        Assert.True(after.OptimalDiscriminatorGap < before.OptimalDiscriminatorGap,
            $"|D − D*| should shrink from {before.OptimalDiscriminatorGap:F3}, is {after.OptimalDiscriminatorGap:F3}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Swapping_labels_in_both_objectives_trains_like_normal_labels_and_swapping_them_in_D_only_does_not(int seed)
    {
        // The consistent swap renames the classes: D learns to call data "fake", G aims at "fake", and the game is
        // unchanged. Swapping in D's objective only makes D and G agree that G's points are "real": G gets no
        // pull towards the data, its loss collapses, and its points wander off.
        var result = new Dictionary<string, (double JensenShannon, double LossG)>();
        foreach (var labels in new[] { "normal", "swapped", "swapped-d-only" })
        {
            using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "gaussian-1d", Labels = labels, Seed = seed });
            // A plain loop: LINQ's Range(…).Select(…).TakeLast(n) would call the step only for the last n indices.
            var lossG = new List<double>();
            for (var i = 0; i < 600; i++) lossG.Add(trainer.TrainStep().LossG);
            result[labels] = (trainer.Evaluate().JensenShannon, lossG.TakeLast(50).Average());
        }
        var (normal, swapped, dOnly) = (result["normal"], result["swapped"], result["swapped-d-only"]);
        Assert.True(Math.Abs(swapped.JensenShannon - normal.JensenShannon) < 0.1,
            $"swapped JS {swapped.JensenShannon:F3} should be close to normal JS {normal.JensenShannon:F3}");
        Assert.True(dOnly.JensenShannon > normal.JensenShannon + 0.3,
            $"swapped-d-only JS {dOnly.JensenShannon:F3} should be far above normal JS {normal.JensenShannon:F3}");
        // G's BCE towards "real" on points D already calls real: near 0, against about log 2 in a balanced game.
        Assert.True(dOnly.LossG < 0.5 * normal.LossG, $"swapped-d-only Loss_G {dOnly.LossG:F3} should collapse below normal's {normal.LossG:F3}");
    }

    [Theory]
    [MemberData(nameof(EveryLoss))]
    public void Every_loss_trains_a_toy_with_finite_numbers(string loss)
    {
        var options = new ToyGanOptions { Loss = loss, Seed = 7 };
        if (loss == "wasserstein") options = options with { Optimizer = "rmsprop", LearningRate = 5e-5 };
        using var trainer = new ToyGanTrainer(options);
        for (var i = 0; i < 20; i++)
        {
            var p = trainer.TrainStep((ToyStep)(i % 3));
            Assert.True(double.IsFinite(p.LossD) && double.IsFinite(p.LossG), $"{loss} step {p.Step}: Loss_D {p.LossD}, Loss_G {p.LossG}");
        }
        var e = trainer.Evaluate();
        Assert.InRange(e.JensenShannon, 0, Math.Log(2));
        var usesTargets = GanLosses.Create(loss).UsesTargets;
        // D* and V(D, G) belong to discriminators trained towards targets; hinge and the critics have neither.
        Assert.Equal(usesTargets, e.OptimalDiscriminatorGap is not null);
        Assert.Equal(loss is "non-saturating" or "minimax", e.Value is not null);
        Assert.All(trainer.GeneratorGradients(), v => Assert.True(float.IsFinite(v)));
    }

    public static TheoryData<string> EveryLoss() => new(GanLosses.Names);

    [Fact]
    public void A_drawn_point_set_trains_like_a_named_distribution()
    {
        var points = new PointSet([0f, 0f, 1f, 1f, -1f, 1f]);
        using var trainer = new ToyGanTrainer(new ToyGanOptions { Distribution = "my drawing" }, points);
        trainer.TrainStep();
        var e = trainer.Evaluate();
        Assert.Null(e.Modes);
        Assert.True(double.IsFinite(e.JensenShannon));
    }

    [Fact]
    public void Bad_options_are_refused_with_a_message_naming_them()
    {
        var error = Assert.Throws<ArgumentException>(() => new ToyGanTrainer(
            new ToyGanOptions { Distribution = "spiral", HiddenSize = 0, Loss = "hinge", Labels = "swapped" }));
        Assert.Contains("distribution 'spiral' is unknown; allowed: ring-8, grid-25", error.Message);
        Assert.Contains("hidden size 0", error.Message);
        Assert.Contains("labels 'swapped' have no effect with loss 'hinge'", error.Message);
    }
}

[Collection(nameof(NativeMemory))]
public class ToyGanTrainerMemoryTests
{
    [Fact]
    public void Many_steps_of_every_kind_and_many_views_leave_the_live_tensor_count_flat()
    {
        var start = LiveTensors.Settled();
        using (var trainer = new ToyGanTrainer(new ToyGanOptions { Seed = 1, Loss = "wgan-gp", DiscriminatorSteps = 2 }))
        {
            for (var i = 0; i < 10; i++) trainer.TrainStep((ToyStep)(i % 3));
            trainer.View();
            trainer.Evaluate();
            var before = LiveTensors.Settled();
            for (var i = 0; i < 300; i++)
            {
                trainer.TrainStep((ToyStep)(i % 3));
                if (i % 30 == 0)
                {
                    trainer.View();
                    trainer.Evaluate(500);
                }
            }
            Assert.Equal(before, LiveTensors.Settled());
        }
        Assert.True(LiveTensors.Settled() == start, $"live tensors {LiveTensors.Settled()} should return to {start} after Dispose");
    }
}
