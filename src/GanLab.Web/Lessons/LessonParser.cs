using GanLab.Core.Course;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Lessons.Markdown;
using Markdig;
using Markdig.Extensions.Yaml;
using Markdig.Renderers;
using Markdig.Syntax;

namespace GanLab.Web.Lessons;

/// <summary>
/// Markdown → <see cref="Lesson"/>: front matter, then the body as segments in page order.
/// Runs of prose blocks become one HTML chunk each; component blocks are looked up in the
/// registry and their settings bound now, so a page render only replays finished segments.
/// </summary>
public sealed class LessonParser(LessonComponentRegistry registry)
{
    private static readonly LessonSettingsBinder FrontMatterBinder = new(typeof(LessonFrontMatter));

    /// <param name="measurements">the numbers `ganlab claims` measured for this lesson, which its {{name}}s quote</param>
    public Lesson Parse(string slug, string sourcePath, string markdown, LessonMeasurements? measurements = null)
    {
        var document = Markdig.Markdown.Parse(markdown, LessonMarkdown.Pipeline);
        var (frontMatter, frontMatterProblems) = ReadFrontMatter(document);
        var segments = ReadSegments(document, measurements).ToList();
        return new Lesson(slug, sourcePath, frontMatter, segments, frontMatterProblems, measurements, UnmeasuredValues(document, sourcePath, measurements));
    }

    /// <summary>The names of the measured values a lesson's prose quotes ({{name}}; not inside code or math), in order.</summary>
    public static IReadOnlyList<string> QuotedMeasurements(string markdown) =>
        Markdig.Markdown.Parse(markdown, LessonMarkdown.Pipeline).Descendants<MeasuredValueInline>().Select(value => value.Name).ToList();

    /// <summary>Every {{name}} the lesson quotes that its measurements file does not hold, said so an author can fix it.</summary>
    private static List<LessonProblem> UnmeasuredValues(MarkdownDocument document, string sourcePath, LessonMeasurements? measurements)
    {
        var file = Path.GetFileName(LessonMeasurements.PathBeside(sourcePath));
        var measure = $"measure them with ./ganlab claims --lesson {Path.GetFileName(sourcePath).Split('-')[0]}";
        return document.Descendants<MeasuredValueInline>()
            .Where(value => measurements?.Values.ContainsKey(value.Name) != true)
            .Select(value => new LessonProblem(value.Line + 1, measurements is null
                ? $"the lesson quotes the measured value '{value.Name}', but it has no measurements file ({file}); {measure}."
                : $"the lesson quotes the measured value '{value.Name}', which {file} does not hold; {measure}."))
            .ToList();
    }

    private static (LessonFrontMatter, IReadOnlyList<LessonProblem>) ReadFrontMatter(MarkdownDocument document)
    {
        if (document.FirstOrDefault() is not YamlFrontMatterBlock block)
            return (new LessonFrontMatter(), [new LessonProblem(1, "the lesson has no front matter: start it with '---', title:, summary:, order:, minutes:, '---'.")]);

        var (settings, problems) = FrontMatterBinder.Bind(block.Lines.ToString(), firstLine: block.Line + 2);
        var frontMatter = settings as LessonFrontMatter ?? new LessonFrontMatter();
        if (settings is not null && string.IsNullOrWhiteSpace(frontMatter.Title))
            problems = [.. problems, new LessonProblem(block.Line + 1, "the front matter needs a title.", "title")];
        return (frontMatter, problems);
    }

    private IEnumerable<LessonSegment> ReadSegments(MarkdownDocument document, LessonMeasurements? measurements)
    {
        var prose = new List<Block>();
        foreach (var block in document)
        {
            if (block is YamlFrontMatterBlock) continue;
            if (block is LessonComponentBlock component)
            {
                if (prose.Count > 0) yield return RenderProse(prose, measurements);
                prose.Clear();
                yield return Bind(component);
                continue;
            }
            // Only top-level blocks become live components; one inside a list or quote would be
            // rendered as HTML, so say so rather than silently dropping the widget.
            foreach (var nested in block.Descendants<LessonComponentBlock>())
            {
                if (prose.Count > 0) yield return RenderProse(prose, measurements);
                prose.Clear();
                yield return new ProblemSegment(nested.FenceLineNumber, nested.Name,
                    [new LessonProblem(nested.FenceLineNumber, $"component '{nested.Name}' is inside a list or quote; put its fence at the start of a line, outside any list.")]);
            }
            prose.Add(block);
        }
        if (prose.Count > 0) yield return RenderProse(prose, measurements);
    }

    private LessonSegment Bind(LessonComponentBlock block)
    {
        if (!registry.TryGet(block.Name, out var descriptor))
        {
            return new ProblemSegment(block.FenceLineNumber, block.Name,
                [new LessonProblem(block.FenceLineNumber, $"unknown component '{block.Name}'.", Allowed: registry.Names.Order().ToList())]);
        }

        var (settings, problems) = descriptor.Binder.Bind(block.SettingsYaml, block.FirstSettingsLineNumber);
        if (settings is null) return new ProblemSegment(block.FenceLineNumber, block.Name, problems);

        var invalid = descriptor.Validate(settings);
        if (invalid.Count > 0)
        {
            var lines = SettingLines(block);
            return new ProblemSegment(block.FenceLineNumber, block.Name, invalid.Select(message =>
            {
                var key = LessonSettingsBinder.KeyNamedIn(message, descriptor.Binder.ParameterNames);
                var line = key is not null && lines.TryGetValue(key, out var at) ? at : block.FenceLineNumber;
                return new LessonProblem(line, message, key);
            }).ToList());
        }
        return new ComponentSegment(block.FenceLineNumber, block.Name, descriptor.ComponentType, settings, block.SettingsYaml);
    }

    /// <summary>Line of each key in a block's settings, so a validation message can point at it.</summary>
    private static Dictionary<string, int> SettingLines(LessonComponentBlock block)
    {
        var lines = new Dictionary<string, int>();
        var text = block.SettingsYaml.Split('\n');
        for (var i = 0; i < text.Length; i++)
        {
            var colon = text[i].IndexOf(':');
            if (colon <= 0) continue;
            var key = LessonSettingsBinder.KebabCase(text[i][..colon].Trim()).Replace('_', '-');
            lines.TryAdd(key, block.FirstSettingsLineNumber + i);
        }
        return lines;
    }

    private static MarkupSegment RenderProse(List<Block> blocks, LessonMeasurements? measurements)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        LessonMarkdown.Pipeline.Setup(renderer);
        renderer.ObjectRenderers.Insert(0, new MeasuredValueHtmlRenderer(measurements));
        foreach (var block in blocks) renderer.Render(block);
        writer.Flush();
        return new MarkupSegment(blocks[0].Line + 1, writer.ToString());
    }
}
