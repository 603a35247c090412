using System.Globalization;

namespace GanLab.Core.Training;

/// <summary>
/// A run's telemetry as CSV, one row per logged step, for spreadsheets and plotting scripts.
/// A resumed run appends to the same file: rows the run wrote after the checkpoint it resumes from
/// (training that was lost) are dropped first, so every step appears once and the file always
/// describes the run that leads to the current weights.
/// </summary>
public sealed class TrainingMetricsCsv : IDisposable
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "step", "epoch", "loss_d", "loss_d_real", "loss_d_fake", "loss_g", "d_x", "d_g_z_before", "d_g_z_after",
        "d_acc_real", "d_acc_fake", "grad_norm_g", "grad_norm_d", "wasserstein", "images_per_s", "elapsed_s",
    ];

    public static string Header { get; } = string.Join(",", Columns);

    private readonly StreamWriter writer;

    private TrainingMetricsCsv(StreamWriter writer) => this.writer = writer;

    /// <summary>
    /// Opens <paramref name="path"/> to append rows after step <paramref name="resumedAtStep"/> (0 for a new run):
    /// a missing file is created with the header; an existing one must have this header and loses its rows past that step.
    /// </summary>
    public static TrainingMetricsCsv Open(string path, long resumedAtStep)
    {
        if (File.Exists(path))
        {
            var lines = File.ReadAllLines(path);
            if (lines.Length > 0 && lines[0] != Header)
                throw new InvalidDataException($"{path} has other columns than this GanLab writes ({lines[0]}); move it away or choose another output folder");
            var kept = lines.Skip(1).Where(line => line.Length > 0 && StepOf(line, path) <= resumedAtStep);
            File.WriteAllLines(path, [Header, .. kept]);
        }
        else
        {
            File.WriteAllLines(path, [Header]);
        }
        return new TrainingMetricsCsv(new StreamWriter(path, append: true));
    }

    public void Append(TrainingProgress p) => writer.WriteLine(Row(p));

    /// <summary>Puts appended rows on disk; called with every checkpoint, so the file is never behind a saved run.</summary>
    public void Flush() => writer.Flush();

    /// <summary>One CSV row: invariant culture, shortest round-trip doubles, so a reader gets back exactly the reported numbers.</summary>
    public static string Row(TrainingProgress p)
    {
        static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return string.Join(",",
            p.Step.ToString(CultureInfo.InvariantCulture), p.Epoch.ToString(CultureInfo.InvariantCulture),
            D(p.LossD), D(p.LossDReal), D(p.LossDFake), D(p.LossG), D(p.DOfX), D(p.DOfGzBeforeD), D(p.DOfGzAfterD),
            D(p.DAccuracyReal), D(p.DAccuracyFake), D(p.GradientNormG), D(p.GradientNormD), D(p.WassersteinEstimate),
            p.ImagesPerSecond.ToString("F1", CultureInfo.InvariantCulture), p.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture));
    }

    private static long StepOf(string line, string path)
    {
        var comma = line.IndexOf(',');
        return long.TryParse(comma < 0 ? line : line[..comma], NumberStyles.Integer, CultureInfo.InvariantCulture, out var step)
            ? step
            : throw new InvalidDataException($"{path}: a row does not start with a step number: '{line}'");
    }

    public void Dispose() => writer.Dispose();
}
