using System.Text;
using GanLab.Web.Lessons;

namespace GanLab.Web.Tests.Lessons;

/// <summary>
/// Runs the examples of the lesson-syntax spec pages (Lessons/Specs/*.md, Markdig's spec format):
/// Markdown, a line with ".", then the segments the renderer must make from it.
/// </summary>
public class LessonSyntaxSpecTests
{
    private const string Fence = "````````````````````````````````";
    private static readonly string SpecFolder = Path.Combine(WebTestContext.Paths.Root, "tests", "GanLab.Web.Tests", "Lessons", "Specs");

    public sealed record Example(string Spec, int Line, string Markdown, string Expected)
    {
        public override string ToString() => $"{Spec}:{Line}";
    }

    public static TheoryData<Example> Examples()
    {
        var examples = new TheoryData<Example>();
        foreach (var path in Directory.EnumerateFiles(SpecFolder, "*.md").Order())
        {
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i] != Fence + " example") continue;
                var start = i + 1;
                var dot = Array.IndexOf(lines, ".", start);
                var end = Array.IndexOf(lines, Fence, dot);
                examples.Add(new Example(Path.GetFileName(path), i + 1,
                    string.Join('\n', lines[start..dot]) + "\n",
                    string.Join('\n', lines[(dot + 1)..end])));
                i = end;
            }
        }
        return examples;
    }

    [Fact]
    public void The_spec_pages_have_examples() => Assert.True(Examples().Count >= 8);

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_renders_as_specified(Example example)
    {
        var lesson = WebTestContext.ParseLesson(example.Markdown);

        Assert.Equal(example.Expected.Replace("{component names}", WebTestContext.AllowedComponentNames), Dump(lesson));
    }

    /// <summary>The segments as the spec writes them: HTML for prose, a bracketed line for the rest.</summary>
    private static string Dump(Lesson lesson)
    {
        var text = new StringBuilder();
        foreach (var segment in lesson.Segments)
        {
            switch (segment)
            {
                case MarkupSegment prose:
                    text.AppendLine(prose.Html.TrimEnd('\n'));
                    break;
                case ComponentSegment component:
                    text.AppendLine($"[component {component.Name}, line {component.Line}]");
                    break;
                case ProblemSegment problem:
                    foreach (var each in problem.Problems) text.AppendLine($"[error {each}]");
                    break;
            }
        }
        return text.ToString().TrimEnd('\n').Replace("\r", "");
    }
}
