using GanLab.Core.Training;

namespace GanLab.Core.Tests;

/// <summary>The metrics CSV: the columns, exact numbers, and a resumed run that appends without repeating steps.</summary>
public sealed class TrainingMetricsCsvTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("ganlab-csv-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static TrainingProgress Step(long step) =>
        new(step, (int)(step / 3), 1.0 / step, 0.7, 0.5, 0.4, 0.45, 1234.56, TimeSpan.FromSeconds(step * 0.25))
        {
            LossDReal = 0.25, LossDFake = double.NaN, DAccuracyReal = 1, DAccuracyFake = 0.5,
            GradientNormG = 3e-7, GradientNormD = 12, WassersteinEstimate = -0.1,
        };

    private static void Write(string path, long resumedAt, IEnumerable<long> steps)
    {
        using var csv = TrainingMetricsCsv.Open(path, resumedAt);
        foreach (var s in steps) csv.Append(Step(s));
    }

    [Fact]
    public void A_row_has_every_column_in_order_with_round_trip_numbers()
    {
        Assert.Equal("step,epoch,loss_d,loss_d_real,loss_d_fake,loss_g,d_x,d_g_z_before,d_g_z_after,d_acc_real,d_acc_fake," +
                     "grad_norm_g,grad_norm_d,wasserstein,images_per_s,elapsed_s", TrainingMetricsCsv.Header);
        var cells = TrainingMetricsCsv.Row(Step(3)).Split(',');
        Assert.Equal(TrainingMetricsCsv.Columns.Count, cells.Length);
        Assert.Equal(["3", "1"], cells[..2]);
        Assert.Equal(1.0 / 3, double.Parse(cells[2], System.Globalization.CultureInfo.InvariantCulture)); // no digits lost
        Assert.Equal("NaN", cells[4]);
        Assert.Equal("3E-07", cells[11]);
        Assert.Equal(["1234.6", "0.750"], cells[^2..]);
    }

    [Fact]
    public void A_resumed_run_drops_the_rows_after_its_checkpoint_and_appends_after_them()
    {
        var path = Path.Combine(folder, "metrics.csv");
        Write(path, 0, [1, 2, 3, 4, 5, 6]);  // saved at step 4, then trained on to 6 and stopped without saving
        Write(path, 4, [5, 6, 7]);           // resumed from the step-4 checkpoint

        var steps = File.ReadAllLines(path).Skip(1).Select(l => long.Parse(l.Split(',')[0])).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6, 7], steps);
        Assert.Equal(TrainingMetricsCsv.Header, File.ReadLines(path).First());
    }

    [Fact]
    public void A_file_with_other_columns_is_refused_and_left_as_it_was()
    {
        var path = Path.Combine(folder, "metrics.csv");
        File.WriteAllLines(path, ["step,loss", "1,0.5"]);
        var error = Assert.Throws<InvalidDataException>(() => TrainingMetricsCsv.Open(path, 1));
        Assert.Contains("other columns", error.Message);
        Assert.Equal(["step,loss", "1,0.5"], File.ReadAllLines(path));
    }
}
