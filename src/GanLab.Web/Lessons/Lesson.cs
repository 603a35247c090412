using GanLab.Core.Course;

namespace GanLab.Web.Lessons;

/// <summary>One lesson of the course: content/NN-slug.md, parsed once and rendered many times.</summary>
public sealed record Lesson(
    string Slug,
    string SourcePath,
    LessonFrontMatter FrontMatter,
    IReadOnlyList<LessonSegment> Segments,
    IReadOnlyList<LessonProblem> FrontMatterProblems,
    LessonMeasurements? Measurements = null,
    IReadOnlyList<LessonProblem>? MeasurementProblems = null)
{
    /// <summary>Every problem in the lesson: front matter first, then those shown in place in the body, then numbers quoted but not measured.</summary>
    public IEnumerable<LessonProblem> Problems =>
        FrontMatterProblems.Concat(Segments.OfType<ProblemSegment>().SelectMany(segment => segment.Problems)).Concat(MeasurementProblems ?? []);

    /// <summary>Names of the components the lesson embeds, in order.</summary>
    public IEnumerable<string> ComponentNames => Segments.OfType<ComponentSegment>().Select(segment => segment.Name);
}

/// <summary>The YAML header of a lesson file.</summary>
public sealed class LessonFrontMatter
{
    /// <summary>Shown as the page heading and in the course outline.</summary>
    public string Title { get; init; } = "";

    /// <summary>One sentence for the course outline.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Position in the course outline; lessons sort by it, then by file name.</summary>
    public int Order { get; init; }

    /// <summary>Estimated reading and training time, shown in the outline.</summary>
    public int Minutes { get; init; }
}

/// <summary>
/// Something wrong in a lesson file, said so an author can fix it: the 1-based line,
/// what is wrong, and where it applies, the parameter and the values it allows.
/// </summary>
public sealed record LessonProblem(int Line, string Message, string? Parameter = null, IReadOnlyList<string>? Allowed = null)
{
    public override string ToString()
    {
        var where = Parameter is null ? $"Line {Line}" : $"Line {Line}, parameter '{Parameter}'";
        var allowed = Allowed is { Count: > 0 } ? $" Allowed: {string.Join(", ", Allowed)}." : "";
        return $"{where}: {Message}{allowed}";
    }
}

/// <summary>A piece of a lesson body, in page order. A lesson body is a list of these.</summary>
public abstract record LessonSegment(int Line);

/// <summary>Prose: consecutive Markdown blocks rendered to one HTML chunk.</summary>
public sealed record MarkupSegment(int Line, string Html) : LessonSegment(Line);

/// <summary>
/// A live component with its settings already bound and validated. <paramref name="SettingsYaml"/>
/// is the block's text, which tells an unchanged block from an edited one when the lesson is re-read.
/// </summary>
public sealed record ComponentSegment(int Line, string Name, Type ComponentType, object Settings, string SettingsYaml = "") : LessonSegment(Line);

/// <summary>A component block that could not be used; rendered as an error box in its place.</summary>
public sealed record ProblemSegment(int Line, string Name, IReadOnlyList<LessonProblem> Problems) : LessonSegment(Line);
