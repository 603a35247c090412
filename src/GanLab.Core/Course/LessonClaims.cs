using System.Globalization;

namespace GanLab.Core.Course;

/// <summary>
/// How big a measurement runs. <see cref="FullSize"/> makes the numbers lessons quote; <see cref="Smoke"/> shrinks
/// every budget to a few steps and samples, so a test can check in seconds that each lesson's measurements still
/// run and still name every value its text quotes.
/// </summary>
public sealed record ClaimScale(bool Full)
{
    public static ClaimScale FullSize { get; } = new(true);
    public static ClaimScale Smoke { get; } = new(false);

    public int Steps(int full) => Full ? full : Math.Min(full, 3);
    public int Samples(int full) => Full ? full : Math.Min(full, 64);
    public int Seeds(int full) => Full ? full : Math.Min(full, 2);
    public double Seconds(double full) => Full ? full : Math.Min(full, 1);
}

/// <summary>Collects one lesson's numbers as they are measured, each with the text the page shows and how it was made.</summary>
public sealed class ClaimRecorder(Action<string>? log = null)
{
    public Dictionary<string, MeasuredValue> Values { get; } = new(StringComparer.Ordinal);

    /// <param name="name">what the lesson writes between double braces: lower-case words joined by hyphens</param>
    /// <param name="format">a .NET numeric format for the page ("F3", "P1", "N0")</param>
    /// <param name="how">one sentence a curious student or instructor can repeat the measurement from</param>
    public void Record(string name, double value, string format, string how)
    {
        if (!LessonClaims.IsName(name)) throw new ArgumentException($"measurement name '{name}' must be lower-case words joined by hyphens");
        var text = double.IsFinite(value) ? value.ToString(format, CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);
        Values[name] = new MeasuredValue(value, text, how);
        log?.Invoke($"  {name} = {text}   ({how})");
    }
}

/// <summary>
/// The measurements behind one lesson's numbers. Each lesson that quotes a number has one of these; the lesson's
/// text names the values ({{name}}) and `ganlab claims` writes them beside it (<see cref="LessonMeasurements"/>).
/// </summary>
public abstract class LessonClaims
{
    /// <summary>The lesson file's name without .md, e.g. "01-what-is-a-gan".</summary>
    public abstract string Lesson { get; }

    /// <summary>What is measured, in a line, for `ganlab claims --list`.</summary>
    public abstract string Describes { get; }

    /// <summary>Runs the measurements. Full size may take minutes of CPU; <see cref="ClaimScale.Smoke"/> seconds.</summary>
    public abstract void Measure(ClaimRecorder record, ClaimScale scale, GanLabPaths paths);

    public static bool IsName(string name) =>
        name.Length > 0 && name.Split('-').All(word => word.Length > 0 && word.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9'));
}
