using System.Globalization;
using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Web.Interop;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```minimax-game in a lesson: V(D, G) of a live toy run against −log 4 and against V(D*, G) = −log 4 + 2·JSD (what
/// the best D would reach for the current G), and a panel of the saturating (log(1 − D(G(z)))) and non-saturating
/// (−log D(G(z))) generator losses and their gradients as functions of D(G(z)), with a marker where the run's mean
/// D(G(z)) is now. Named minimax-game because lesson component names need a hyphen (a single word is a code block's language).
/// </summary>
public sealed partial class MinimaxGame : ToyLessonComponent<MinimaxGameSettings>
{
    public static readonly double MinusLog4 = -Math.Log(4);

    public static readonly LineChartSpec ValueChart = new(
        "The value of the game", "step", "V (nats)",
        [new ChartTrace("V(D, G), trained D"), new ChartTrace("V(D*, G) = −log 4 + 2·JSD"), new ChartTrace("−log 4", "dash")], Markers: true);

    public const int MaxChartPoints = 5000;

    /// <summary>The marker moves on screen only when D(G(z)) moved this much: each redraw resends both panels.</summary>
    public const double MarkerResolution = 0.005;

    private static readonly Lazy<(GeneratorLossCurve Saturating, GeneratorLossCurve NonSaturating)> Curves = new(() =>
        (GeneratorLossCurve.Measure("minimax"), GeneratorLossCurve.Measure("non-saturating")));

    private const string ValueFormula =
        @"\[\min_G \max_D V(D, G) = \mathbb{E}_{x \sim p_\text{data}}[\log D(x)] + \mathbb{E}_{z \sim p_z}[\log(1 - D(G(z)))]\]";

    private ElementReference _valueChart;
    private ElementReference _lossCurves;
    private ElementReference _gradientCurves;
    private double? _marker;

    protected override async Task StartChartsAsync(PlotlyCharts charts)
    {
        _marker = null;
        await charts.NewPlotAsync(_valueChart, ValueChart);
        await DrawLossPanelsAsync(charts);
    }

    protected override async Task DrawAsync(PlotlyCharts charts, ToyFrame frame, IReadOnlyList<ChartPoint> points)
    {
        var evaluation = frame.Evaluation;
        // Settings allow only the log-loss GANs, whose V exists; JSON has no NaN to send in its place.
        if (evaluation.Value is { } value)
            await charts.ExtendTracesAsync(
                [new ChartExtension(_valueChart, [frame.Progress.Step], [[value], [evaluation.ValueAtOptimum], [MinusLog4]])],
                MaxChartPoints);
        var dOfGz = frame.Progress.DOfGzAfterD;
        if (_marker is not { } shown || Math.Abs(shown - dOfGz) >= MarkerResolution)
        {
            _marker = dOfGz;
            await DrawLossPanelsAsync(charts);
        }
    }

    private async Task DrawLossPanelsAsync(PlotlyCharts charts)
    {
        var (loss, gradient) = LossPanels(_marker);
        await charts.DrawCurvesAsync(_lossCurves, loss);
        await charts.DrawCurvesAsync(_gradientCurves, gradient);
    }

    /// <summary>The two static panels, with a marker at <paramref name="dOfGz"/> when a run has one.</summary>
    public static (CurveFigure Loss, CurveFigure Gradient) LossPanels(double? dOfGz)
    {
        var (saturating, nonSaturating) = Curves.Value;
        double[]? markers = dOfGz is { } d && double.IsFinite(d) ? [Math.Round(d, 4)] : null;
        var label = dOfGz is { } m ? string.Create(CultureInfo.InvariantCulture, $"now: D(G(z)) = {m:F3}") : null;
        return (
            new CurveFigure("G's loss for one fake point", "D(G(z))", "L_G",
                [new Curve("saturating: log(1 − D(G(z)))", saturating.DOfGz, saturating.Loss),
                 new Curve("non-saturating: −log D(G(z))", nonSaturating.DOfGz, nonSaturating.Loss)],
                MarkersX: markers, MarkerLabel: label),
            new CurveFigure("Its gradient at D's logit a (D(G(z)) = σ(a))", "D(G(z))", "∂L_G / ∂a",
                [new Curve("saturating: −D(G(z))", saturating.DOfGz, saturating.GradientToLogit),
                 new Curve("non-saturating: −(1 − D(G(z)))", nonSaturating.DOfGz, nonSaturating.GradientToLogit)],
                YRange: [-1.05, 0.05], MarkersX: markers, MarkerLabel: label));
    }

    private string ValueText => Shown?.Evaluation.Value is { } value ? value.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private string OptimumText => Shown is { } frame
        ? string.Create(CultureInfo.InvariantCulture, $"{frame.Evaluation.ValueAtOptimum:F4} (JSD {frame.Evaluation.JensenShannon:F4}, floor {frame.Evaluation.JensenShannonFloor:F4})")
        : "–";

    private string DOfGzText => Shown is { } frame ? frame.Progress.DOfGzAfterD.ToString("F3", CultureInfo.InvariantCulture) : "–";
}
