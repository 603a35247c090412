using Bunit;
using GanLab.Core.Course;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanLab.Web.Tests.Lessons;

/// <summary>Every lesson in content/ parses without problems, names only known components, and renders.</summary>
public class ContentLessonsTests : WebTestContext
{
    private static List<string> Files() =>
        Directory.EnumerateFiles(Paths.Content, "*.md").Select(path => Path.GetFileName(path)).Order().ToList();

    public static TheoryData<string> LessonFiles() => new(Files());

    [Fact]
    public void The_course_has_lessons_and_every_markdown_file_is_one()
    {
        var files = Files();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.NotNull(LessonCatalog.SlugOf(file)));
        Assert.Contains("01-what-is-a-gan.md", files);
    }

    [Theory]
    [MemberData(nameof(LessonFiles))]
    public void Lesson_parses_names_only_known_components_and_renders(string file)
    {
        var registry = LessonComponentRegistry.CreateDefault();
        var path = Path.Combine(Paths.Content, file);
        var lesson = new LessonParser(registry).Parse(LessonCatalog.SlugOf(file)!, path, File.ReadAllText(path), LessonMeasurements.LoadBeside(path));

        Assert.Empty(lesson.Problems.Select(problem => problem.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(lesson.FrontMatter.Title));
        Assert.False(string.IsNullOrWhiteSpace(lesson.FrontMatter.Summary));
        Assert.True(lesson.FrontMatter.Minutes > 0, "front matter needs minutes");
        Assert.All(lesson.ComponentNames, name => Assert.Contains(name, registry.Names));

        JSInterop.SetupModule(KatexMath.ModulePath).SetupVoid("typeset", _ => true).SetVoidResult();
        JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
        var plotly = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        plotly.SetupVoid("newPlot", _ => true).SetVoidResult();
        // gan-compare ties its two runs' charts to one step axis.
        plotly.SetupVoid("syncCharts", _ => true).SetVoidResult();
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, lesson));
        Assert.Equal(lesson.ComponentNames.Count(name => name == "gan-trainer"), body.FindComponents<GanTrainerPanel>().Count);
        Assert.Equal(lesson.ComponentNames.Count(name => name == "conv-transpose"), body.FindComponents<ConvTransposeExplorer>().Count);
        Assert.Empty(body.FindAll("[data-testid=lesson-error]"));
    }

    public static TheoryData<string> MeasuredLessons() => new(CourseClaims.All.Select(claims => claims.Lesson));

    /// <summary>
    /// Each lesson's measurements still run (tiny, in seconds) and still produce every value its text quotes, and the
    /// file beside the lesson holds each of them: a renamed or dropped measurement fails here, not on a student's page.
    /// </summary>
    [Theory]
    [MemberData(nameof(MeasuredLessons))]
    public void Every_value_a_lesson_quotes_is_measured_by_its_claims_and_stored_beside_it(string lessonName)
    {
        var path = Path.Combine(Paths.Content, lessonName + ".md");
        Assert.True(File.Exists(path), $"{lessonName}.md is missing");
        var quoted = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @"\{\{([a-z0-9-]+)\}\}").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(quoted);

        var recorder = new ClaimRecorder();
        CourseClaims.Find(lessonName).Measure(recorder, ClaimScale.Smoke, Paths);
        Assert.Empty(quoted.Except(recorder.Values.Keys));
        var stored = LessonMeasurements.LoadBeside(path);
        Assert.NotNull(stored);
        Assert.Empty(quoted.Except(stored.Values.Keys));
    }

    [Fact]
    public void Every_lesson_that_quotes_a_measured_value_has_measurements()
    {
        foreach (var file in Files())
        {
            var text = File.ReadAllText(Path.Combine(Paths.Content, file));
            if (System.Text.RegularExpressions.Regex.IsMatch(text, @"\{\{[a-z0-9-]+\}\}"))
                Assert.Contains(CourseClaims.All, claims => claims.Lesson + ".md" == file);
        }
    }

    [Fact]
    public void The_first_lesson_states_the_value_function_as_display_math_and_embeds_a_trainer()
    {
        var lesson = new LessonCatalog(
                Microsoft.Extensions.Options.Options.Create(Options),
                new LessonParser(LessonComponentRegistry.CreateDefault()),
                NullLogger<LessonCatalog>.Instance)
            .Find("what-is-a-gan");

        Assert.NotNull(lesson);
        var html = string.Concat(lesson.Segments.OfType<MarkupSegment>().Select(segment => segment.Html));
        Assert.Matches(@"<div class=""math"">\s*\\\[\s*\\min_G \\max_D V\(D, G\)", html);
        Assert.Contains(@"\log D(x)", html);
        Assert.Contains(@"\log\left(1 - D(G(z))\right)", html);
        Assert.Equal(["gan-trainer"], lesson.ComponentNames);
    }
}
