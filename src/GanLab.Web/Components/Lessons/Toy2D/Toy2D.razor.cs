using System.Globalization;
using GanLab.Core.Toys;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Web.Interop;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// ```toy-2d in a lesson, in the manner of Polo Club's GAN Lab: a small GAN learning 2-D points, drawn as D's decision
/// heatmap, real and fake points, G's gradient arrows and the warped manifold (each a layer that can be switched off),
/// with play/pause, GAN Lab's slow-motion steps (D step, G step, both), the losses, and modes covered and high-quality
/// share as it trains. The run is a <see cref="ToyRun"/> on the server's scheduler.
/// </summary>
public sealed partial class Toy2D : ToyLessonComponent<Toy2DSettings>
{
    /// <summary>A layer of the view: its key (data-testid toy-layer-KEY), label and hint.</summary>
    public sealed record Layer(string Key, string Label, string Hint);

    public static IReadOnlyList<Layer> Layers { get; } =
    [
        new("heatmap", "D's decision", "D(x) on a grid: where D would call a point real"),
        new("real", "real points", "a fixed sample of the data"),
        new("fake", "fake points", "G(z) for one fixed batch of noise, the same z every frame"),
        new("arrows", "G's gradients", "−∂L_G/∂x for each fake point: where G's loss pushes it"),
        new("manifold", "warped manifold", "G applied to a regular grid of z: how G bends the noise space"),
    ];

    /// <summary>The longest arrow of a frame, as a share of the box's width.</summary>
    public const double LongestArrow = 0.08;

    public static readonly LineChartSpec LossChart = new(
        "Losses", "step", "loss", [new ChartTrace("Loss_D (Discriminator)"), new ChartTrace("Loss_G (Generator)")]);

    /// <summary>Points kept per trace; the oldest scroll off.</summary>
    public const int MaxChartPoints = 5000;

    private readonly HashSet<string> _visible = [.. Layers.Select(layer => layer.Key)];
    private ElementReference _view;
    private ElementReference _lossChart;

    protected override Task StartChartsAsync(PlotlyCharts charts) => charts.NewPlotAsync(_lossChart, LossChart);

    protected override async Task DrawAsync(PlotlyCharts charts, ToyFrame frame, IReadOnlyList<ChartPoint> points)
    {
        await charts.DrawToyAsync(_view, PlotFrame(frame.View, _visible));
        if (points.Count > 0)
            await charts.ExtendTracesAsync(
                [new ChartExtension(_lossChart, [.. points.Select(p => p.Step)], [[.. points.Select(p => p.LossD)], [.. points.Select(p => p.LossG)]])],
                MaxChartPoints);
    }

    private async Task ToggleAsync(string layer, bool visible)
    {
        if (visible) _visible.Add(layer);
        else _visible.Remove(layer);
        await RedrawAsync();
    }

    /// <summary>
    /// What plotly draws of a view with the visible layers: values rounded to what a few hundred pixels can show
    /// (three decimals for points, two for D), which halves each frame's size on the circuit.
    /// </summary>
    public static ToyPlotFrame PlotFrame(ToyView view, IReadOnlySet<string> visible)
    {
        if (view.Dimensions != 2) throw new ArgumentException($"toy-2d draws 2-D points; this view is {view.Dimensions}-D");
        var grid = view.Decision.Grid;
        var width = grid.XMax - grid.XMin;
        return new ToyPlotFrame(
            grid.XMin, grid.XMax, grid.YMin, grid.YMax,
            grid.Side, visible.Contains("heatmap") ? Rounded(view.Decision.Values, 2) : null, view.Decision.IsProbability,
            visible.Contains("real") ? Rounded(view.Real, 3) : null,
            visible.Contains("fake") ? Rounded(view.Fake, 3) : null,
            visible.Contains("arrows") ? Arrows(view.Fake, view.Gradients, LongestArrow * width) : null,
            visible.Contains("manifold") && view.Manifold is { } manifold ? Rounded(manifold, 3) : null,
            ToyGanTrainer.ManifoldSide);
    }

    /// <summary>Segments (x, y, x + s·gx, y + s·gy) with s making the longest one <paramref name="longest"/> long.</summary>
    public static float[] Arrows(IReadOnlyList<float> points, IReadOnlyList<float> gradients, double longest)
    {
        var count = points.Count / 2;
        var largest = 0.0;
        for (var i = 0; i < count; i++) largest = Math.Max(largest, Math.Sqrt(gradients[2 * i] * (double)gradients[2 * i] + gradients[2 * i + 1] * (double)gradients[2 * i + 1]));
        var scale = largest > 0 && double.IsFinite(largest) ? longest / largest : 0;
        var segments = new float[count * 4];
        for (var i = 0; i < count; i++)
        {
            var (x, y) = (points[2 * i], points[2 * i + 1]);
            segments[4 * i] = Round(x, 3);
            segments[4 * i + 1] = Round(y, 3);
            segments[4 * i + 2] = Round(x + scale * gradients[2 * i], 3);
            segments[4 * i + 3] = Round(y + scale * gradients[2 * i + 1], 3);
        }
        return segments;
    }

    private static float[] Rounded(IReadOnlyList<float> values, int digits)
    {
        var rounded = new float[values.Count];
        for (var i = 0; i < rounded.Length; i++) rounded[i] = Round(values[i], digits);
        return rounded;
    }

    private static float Round(double value, int digits) => (float)Math.Round(value, digits);

    private string ModesText => Shown?.Evaluation.Modes is { } modes
        ? $"{modes.ModesCovered} / {modes.ModeCount}"
        : Shown is null ? "–" : "no modes (not a mixture)";

    private string QualityText => Shown?.Evaluation.Modes is { } modes
        ? modes.HighQualityShare.ToString("P1", CultureInfo.InvariantCulture)
        : "–";

    private string JsText => Shown is { } frame
        ? string.Create(CultureInfo.InvariantCulture, $"{frame.Evaluation.JensenShannon:F3} nats (floor {frame.Evaluation.JensenShannonFloor:F3}, at most 0.693)")
        : "–";

    private string KlText => Shown is { } frame ? frame.Evaluation.KullbackLeibler.ToString("F3", CultureInfo.InvariantCulture) + " nats" : "–";
}
