using System.Diagnostics;
using System.Globalization;
using GanLab.Core.Training;

namespace GanLab.Cli;

/// <summary>
/// How `train` shows its progress: on a terminal, one bar redrawn in place with the losses and an ETA;
/// when stdout is a file or a pipe (CI logs), a plain line every so many steps, since carriage returns
/// would fill a log with thousands of half-drawn bars.
/// </summary>
internal sealed class ProgressReport
{
    private const int BarWidth = 24;
    // A terminal redrawn at every step of a fast model spends more time printing than training.
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);

    private readonly TrainingBudget budget;
    private readonly bool bar;
    private readonly int logEvery;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan? lastDrawn;
    private int drawnWidth;

    public ProgressReport(TrainingBudget budget, bool onTerminal, int logEvery)
    {
        this.budget = budget;
        bar = onTerminal;
        this.logEvery = Math.Max(1, logEvery);
    }

    /// <summary>After step <paramref name="done"/> of this session, <paramref name="elapsed"/> into it.</summary>
    public void Update(long done, TimeSpan elapsed, TrainingProgress p)
    {
        var last = budget.IsSpent(done, elapsed);
        var fraction = budget.Fraction(done, elapsed);
        if (bar)
        {
            if (!last && clock.Elapsed - lastDrawn < RedrawInterval) return; // never drawn: null, the comparison is false
            lastDrawn = clock.Elapsed;
            var line = $"epoch {p.Epoch} {Bar(fraction)} {Percent(fraction),4} {budget.Describe(done, elapsed)}  {Numbers(p)}  ETA {Eta(fraction)}";
            // Pad over the previous line's tail, which a shorter line would otherwise leave on screen.
            Console.Write("\r" + line.PadRight(drawnWidth));
            drawnWidth = line.Length;
            if (last) EndLine();
        }
        else if (done % logEvery == 0 || last)
        {
            Console.WriteLine($"[{Clock(clock.Elapsed),8}] step {p.Step} ({budget.Describe(done, elapsed)}, {Percent(fraction)}) epoch {p.Epoch}: {Numbers(p)}, ETA {Eta(fraction)}");
        }
    }

    /// <summary>Ends a bar left half-way (a stop or an error), so the next message starts on a line of its own.</summary>
    public void EndLine()
    {
        if (!bar || drawnWidth == 0) return;
        Console.WriteLine();
        drawnWidth = 0;
    }

    private static string Numbers(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"Loss_D {p.LossD:F4} Loss_G {p.LossG:F4} D(x) {p.DOfX:F3} D(G(z)) {p.DOfGzBeforeD:F3}/{p.DOfGzAfterD:F3} {p.ImagesPerSecond:F0} img/s");

    private static string Bar(double fraction)
    {
        var filled = (int)(BarWidth * Math.Clamp(fraction, 0, 1));
        return "[" + new string('#', filled) + new string('.', BarWidth - filled) + "]";
    }

    private static string Percent(double fraction) => $"{(int)(100 * Math.Clamp(fraction, 0, 1))}%";

    /// <summary>This session's pace so far, extrapolated to what is left of the budget.</summary>
    private string Eta(double fraction) => fraction >= 1 || fraction <= 0 ? "0:00"
        : Clock(TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / fraction * (1 - fraction)));

    internal static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:D2}:{t.Seconds:D2}"
        : $"{t.Minutes}:{t.Seconds:D2}";
}
