using GanLab.Core.Toys;

namespace GanLab.Core.Tests;

/// <summary>The minimax lesson's loss panel, measured from the loss classes, against the closed forms it must equal.</summary>
public class GeneratorLossCurveTests
{
    [Fact]
    public void The_saturating_loss_is_log_one_minus_d_and_its_logit_gradient_vanishes_as_d_goes_to_zero()
    {
        var curve = GeneratorLossCurve.Measure("minimax", points: 49);

        Assert.Equal(49, curve.DOfGz.Length);
        for (var i = 0; i < curve.DOfGz.Length; i++)
        {
            var d = curve.DOfGz[i];
            Close(Math.Log(1 - d), curve.Loss[i]);
            Close(-d, curve.GradientToLogit[i]);
            Close(-1 / (1 - d), curve.GradientToProbability[i]);
        }
    }

    [Fact]
    public void The_non_saturating_loss_is_minus_log_d_and_pushes_hardest_where_d_rejects_the_fakes()
    {
        var curve = GeneratorLossCurve.Measure("non-saturating", points: 49);

        for (var i = 0; i < curve.DOfGz.Length; i++)
        {
            var d = curve.DOfGz[i];
            Close(-Math.Log(d), curve.Loss[i]);
            Close(-(1 - d), curve.GradientToLogit[i]);
        }
        Assert.True(Math.Abs(curve.GradientToLogit[0]) > 0.95);
    }

    /// <summary>float32 arithmetic on a float32 logit: agreement to 1e-5 relative, or absolute near zero.</summary>
    private static void Close(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"expected {expected}, measured {actual}");

    [Fact]
    public void A_loss_without_a_probability_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => GeneratorLossCurve.Measure("least-squares"));
        Assert.Contains("use non-saturating or minimax", error.Message);
    }
}
