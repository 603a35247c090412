using System.Text.Json;

namespace GanLab.Core.Course;

/// <summary>One number a lesson quotes: the value, the text the page shows, and how it was measured.</summary>
public sealed record MeasuredValue(double Value, string Text, string How);

/// <summary>
/// The numbers one lesson quotes, as `ganlab claims` measured them, kept beside the lesson as
/// content/NN-slug.measured.json. The lesson's text names them ({{name}}) instead of typing them in, so the page
/// can only show what was measured, and says where and when.
/// </summary>
public sealed record LessonMeasurements(
    string Lesson,
    DateTimeOffset MeasuredAt,
    string Machine,
    string Command,
    string Commit,
    Dictionary<string, MeasuredValue> Values)
{
    public const string Extension = ".measured.json";

    /// <summary>content/01-what-is-a-gan.md → content/01-what-is-a-gan.measured.json</summary>
    public static string PathBeside(string lessonPath) =>
        Path.Combine(Path.GetDirectoryName(lessonPath) ?? "", Path.GetFileNameWithoutExtension(lessonPath) + Extension);

    /// <summary>The measurements of a lesson file; null when none were made. A damaged file says which and why.</summary>
    public static LessonMeasurements? LoadBeside(string lessonPath)
    {
        var path = PathBeside(lessonPath);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), CoreJson.Default.LessonMeasurements)
                ?? throw new InvalidDataException($"{path} holds no measurements");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a measurements file ({ex.Message}); measure again with ./ganlab claims", ex);
        }
    }

    /// <summary>Writes through a temporary file, so a reader never sees half a file.</summary>
    public void SaveBeside(string lessonPath)
    {
        var path = PathBeside(lessonPath);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, CoreJson.Indented.LessonMeasurements) + "\n");
        File.Move(temporary, path, overwrite: true);
    }
}
