using GanLab.Core.Training.Losses;
using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Tests;

/// <summary>Each loss on D outputs chosen by hand, against values worked out on paper.</summary>
public class LossTests
{
    // D's raw outputs for two real and two fake images.
    private static readonly float[] Real = [2f, -1f];
    private static readonly float[] Fake = [0.5f, -3f];
    private const double Tolerance = 1e-5;

    private static double Softplus(double z) => Math.Log(1 + Math.Exp(z));

    private static (double DReal, double DFake, double G) Evaluate(string name, double realLabel = 1, double fakeLabel = 0)
    {
        using var scope = NewDisposeScope();
        var loss = GanLosses.Create(name);
        var targets = new GanTargets(full([2, 1], realLabel), full([2, 1], fakeLabel), GeneratorAim: ones([2, 1]), GeneratorAvoid: full([2, 1], fakeLabel));
        var real = tensor(Real, [2, 1]);
        var fake = tensor(Fake, [2, 1]);
        var d = loss.Discriminator(real, fake, targets);
        return (d.Real.item(), d.Fake.item(), loss.Generator(fake, targets).item());
    }

    private static void AssertLoss((double DReal, double DFake, double G) actual, double dReal, double dFake, double g)
    {
        Assert.Equal(dReal, actual.DReal, Tolerance);
        Assert.Equal(dFake, actual.DFake, Tolerance);
        Assert.Equal(g, actual.G, Tolerance);
    }

    [Fact]
    public void Non_saturating_is_BCE_on_logits_with_G_aiming_at_one() =>
        // BCE(x, 1) = softplus(−x), BCE(x, 0) = softplus(x), each averaged over the batch.
        AssertLoss(Evaluate("non-saturating"),
            (Softplus(-2) + Softplus(1)) / 2, (Softplus(0.5) + Softplus(-3)) / 2, (Softplus(-0.5) + Softplus(3)) / 2);

    [Fact]
    public void Minimax_G_loss_is_minus_D_fake_loss() =>
        // G minimises log(1 − D(G(z))) = −BCE(D(G(z)), 0): exactly minus D's loss on fakes.
        AssertLoss(Evaluate("minimax"),
            (Softplus(-2) + Softplus(1)) / 2, (Softplus(0.5) + Softplus(-3)) / 2, -(Softplus(0.5) + Softplus(-3)) / 2);

    [Fact]
    public void Least_squares_halves_the_mean_squared_distance_to_the_targets()
    {
        // ½·mean((2 − 1)², (−1 − 1)²) = 1.25; ½·mean(0.5², 3²) = 2.3125; ½·mean((0.5 − 1)², (−3 − 1)²) = 4.0625.
        AssertLoss(Evaluate("least-squares"), 1.25, 2.3125, 4.0625);
        // With real label 0.9: ½·mean(1.1², 1.9²) = 1.205.
        Assert.Equal(1.205, Evaluate("least-squares", realLabel: 0.9).DReal, Tolerance);
    }

    [Fact]
    public void Hinge_counts_only_outputs_inside_the_margin() =>
        // mean(relu(1 − 2), relu(1 + 1)) = 1; mean(relu(1 + 0.5), relu(1 − 3)) = 0.75; −mean(0.5, −3) = 1.25.
        AssertLoss(Evaluate("hinge"), 1, 0.75, 1.25);

    [Theory]
    [InlineData("wasserstein")]
    [InlineData("wgan-gp")]
    public void Critics_score_the_mean_difference(string name) =>
        // −mean D(x) = −0.5; mean D(G(z)) = −1.25; −mean D(G(z)) = 1.25.
        AssertLoss(Evaluate(name), -0.5, -1.25, 1.25);

    [Fact]
    public void Critic_settings_are_those_of_the_papers()
    {
        Assert.Equal(0.01, GanLosses.Create("wasserstein").WeightClip);
        Assert.Null(GanLosses.Create("wgan-gp").WeightClip);
        Assert.Equal(10, GanLosses.Create("wgan-gp").GradientPenaltyWeight);
        Assert.Equal(0, GanLosses.Create("hinge").GradientPenaltyWeight);
    }

    [Fact]
    public void Gradient_penalty_of_a_linear_critic_is_the_squared_distance_of_its_weight_norm_from_one()
    {
        // D(x) = w·x + b has ∇D = w everywhere: with w = (3, 4), ‖w‖ = 5 and the penalty (5 − 1)² = 16 at any x̂.
        using var scope = NewDisposeScope();
        using var critic = new nn.Linear(2, 1);
        using (no_grad()) critic.parameters().First().copy_(tensor(new float[] { 3, 4 }, [1, 2]));
        var real = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [3, 2]);
        var fake = tensor(new float[] { 0, 0, -1, 1, 2, -2 }, [3, 2]);
        var epsilon = tensor(new float[] { 0.2f, 0.5f, 0.9f }, [3, 1]);
        var penalty = WassersteinGradientPenaltyLoss.Penalty(critic, real, fake, epsilon);
        Assert.Equal(16, penalty.item(), Tolerance);
        // create_graph: the penalty reaches D's weights, d/dw (‖w‖ − 1)² = 2(‖w‖ − 1)·w/‖w‖ = (4.8, 6.4).
        penalty.backward();
        Assert.Equal([4.8f, 6.4f], critic.parameters().First().grad!.ToFloatArray().Select(v => (float)Math.Round(v, 4)));
    }

    [Fact]
    public void Unknown_loss_names_the_allowed_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => GanLosses.Create("lsgan"));
        Assert.Contains("allowed: non-saturating, minimax, least-squares, hinge, wasserstein, wgan-gp", error.Message);
    }
}
