using System.Globalization;
using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Web.Interop;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```optimal-discriminator in a lesson: a GAN on 1-D data with live curves of p_data, p_g (the histogram of G's
/// points), the trained D(x) and the best D for the current G, D*(x) = p_data / (p_data + p_g) (Goodfellow et al.
/// 2014, Proposition 1), the formula beside them, and how far D is from D* over training.
/// </summary>
public sealed partial class OptimalDiscriminatorView : ToyLessonComponent<OptimalDiscriminatorSettings>
{
    /// <summary>G's points per evaluation: 10,000 over 256 bins keeps p_g's histogram readable as a curve.</summary>
    public const int Samples = 10_000;

    public static readonly LineChartSpec GapChart = new(
        "How far D is from D*", "step", "Σ ½(p_data + p_g)·|D − D*|", [new ChartTrace("gap |D − D*|")], Markers: true);

    public const int MaxChartPoints = 5000;

    private ElementReference _densities;
    private ElementReference _gapChart;
    private ToyEvaluator? _data; // p_data on the grid, for the curves before the first step

    protected override int EvaluationSamples => Samples;

    /// <summary>D* for the run's label targets: r·p_data + f·p_g over p_data + p_g, which is the paper's D* for r = 1, f = 0.</summary>
    private string Formula => Run?.Options is { } options && OptimalDiscriminator.Targets(options.ToGameOptions()) is { } targets && (targets.Real, targets.Fake) != (1, 0)
        ? string.Create(CultureInfo.InvariantCulture,
            $@"\[D^*(x) = \frac{{{targets.Real:0.###}\,p_\text{{data}}(x) + {targets.Fake:0.###}\,p_g(x)}}{{p_\text{{data}}(x) + p_g(x)}}\]")
        : @"\[D^*(x) = \frac{p_\text{data}(x)}{p_\text{data}(x) + p_g(x)}\]";

    protected override Task StartChartsAsync(PlotlyCharts charts) => Task.WhenAll(
        charts.NewPlotAsync(_gapChart, GapChart),
        charts.DrawCurvesAsync(_densities, Densities(null)));

    protected override async Task DrawAsync(PlotlyCharts charts, ToyFrame frame, IReadOnlyList<ChartPoint> points)
    {
        await charts.DrawCurvesAsync(_densities, Densities(frame.Evaluation));
        if (frame.Evaluation.OptimalDiscriminatorGap is { } gap)
            await charts.ExtendTracesAsync([new ChartExtension(_gapChart, [frame.Progress.Step], [[gap]])], MaxChartPoints);
    }

    /// <summary>
    /// The four curves on the grid's bin centres: densities (bin mass over bin width) on the left axis, D and D* on
    /// the right one from 0 to 1. Before the first step there is no G yet: only p_data.
    /// </summary>
    public CurveFigure Densities(ToyEvaluation? evaluation)
    {
        _data ??= new ToyEvaluator(ToyDistributions.Create(Settings.Distribution));
        var grid = evaluation?.Grid ?? _data.Grid;
        var x = Enumerable.Range(0, grid.BinCount).Select(bin => Math.Round(grid.Centres[bin], 4)).ToArray();
        double[] Density(IReadOnlyList<double> mass) => [.. mass.Select(m => Math.Round(m / grid.BinWidth, 5))];
        double[] Probability(IReadOnlyList<double> values) => [.. values.Select(v => Math.Round(v, 4))];
        var curves = new List<Curve>();
        if (evaluation is null)
        {
            curves.Add(new Curve("p_data(x)", x, Density(_data.DataMass)));
        }
        else
        {
            curves.Add(new Curve("p_data(x)", x, Density(evaluation.DataMass)));
            curves.Add(new Curve("p_g(x), histogram of G's points", x, Density(evaluation.ModelMass)));
            if (evaluation.Discriminator is { } d) curves.Add(new Curve("D(x), trained", x, Probability(d), RightAxis: true));
            curves.Add(new Curve("D*(x) = p_data / (p_data + p_g)", x, Probability(evaluation.Optimal), Dash: "dash", RightAxis: true));
        }
        return new CurveFigure("Densities and discriminators", "x", "density", curves, Y2Title: "D(x), D*(x)", Y2Range: [0, 1]);
    }

    private string GapText => Shown?.Evaluation.OptimalDiscriminatorGap is { } gap ? gap.ToString("F4", CultureInfo.InvariantCulture) : "–";

    private string JsText => Shown is { } frame
        ? string.Create(CultureInfo.InvariantCulture, $"{frame.Evaluation.JensenShannon:F4} nats (floor {frame.Evaluation.JensenShannonFloor:F4})")
        : "–";
}
