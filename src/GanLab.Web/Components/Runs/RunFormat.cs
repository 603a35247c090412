using System.Globalization;
using System.Reflection;
using GanLab.Core.Training;
using GanLab.Web.Runs;

namespace GanLab.Web.Components.Runs;

/// <summary>How the Runs pages write numbers, times and settings: invariant culture, the course's names.</summary>
public static class RunFormat
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Losses(TrainingProgress? m) => m is null ? "–" : string.Create(Culture, $"{m.LossD:0.###} / {m.LossG:0.###}");

    public static string DOutputs(TrainingProgress? m) => m is null ? "–" : string.Create(Culture, $"{m.DOfX:0.###} / {m.DOfGzAfterD:0.###}");

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Culture);

    public static string Duration(TimeSpan? d) => d is not { } span ? "–"
        : span.TotalHours >= 1 ? span.ToString(@"h\:mm\:ss", Culture) : span.ToString(@"m\:ss", Culture);

    /// <summary>Every setting of the options record, by property name, as the checkpoint and trainer link name them.</summary>
    public static IEnumerable<(string Name, string Value)> Settings(GanTrainingOptions options) => SettingsOf(options);

    /// <summary>Every setting of a stored run: a toy run's own settings (ToyGanOptions), an image run's options.</summary>
    public static IEnumerable<(string Name, string Value)> Settings(RunRecord run) =>
        run.ToyOptions is { } toy ? SettingsOf(toy) : SettingsOf(run.Options);

    private static IEnumerable<(string Name, string Value)> SettingsOf<T>(T options) where T : notnull =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.PropertyType.IsValueType || p.PropertyType == typeof(string))
            .Select(p => (p.Name, p.GetValue(options) switch
            {
                null => "none",
                double d => d.ToString("G6", Culture),
                IFormattable f => f.ToString(null, Culture),
                var v => v.ToString() ?? "",
            }));

    /// <summary>Names of the settings in which two runs differ.</summary>
    public static IReadOnlySet<string> Differences(GanTrainingOptions a, GanTrainingOptions b) =>
        Settings(a).Zip(Settings(b)).Where(pair => pair.First.Value != pair.Second.Value).Select(pair => pair.First.Name).ToHashSet();

    /// <summary>Names of the settings in which two stored runs differ: a setting only one of them has differs.</summary>
    public static IReadOnlySet<string> Differences(RunRecord a, RunRecord b)
    {
        var other = Settings(b).ToDictionary(s => s.Name, s => s.Value);
        var mine = Settings(a).ToDictionary(s => s.Name, s => s.Value);
        return mine.Keys.Union(other.Keys).Where(name => mine.GetValueOrDefault(name) != other.GetValueOrDefault(name)).ToHashSet();
    }
}
