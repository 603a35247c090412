using GanLab.Core.Course;
using Markdig;
using Markdig.Helpers;
using Markdig.Parsers;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax.Inlines;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// {{name}} in a lesson's prose: a number `ganlab claims` measured and stored beside the lesson. Inside math
/// and code the braces stay text, since those inlines are parsed first.
/// </summary>
public sealed class MeasuredValueInline(string name) : LeafInline
{
    public string Name { get; } = name;
}

/// <summary>Parses {{name}}; the values are looked up when the lesson is rendered, by <see cref="MeasuredValueHtmlRenderer"/>.</summary>
public sealed class MeasuredValueExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.InlineParsers.Contains<MeasuredValueParser>()) pipeline.InlineParsers.Insert(0, new MeasuredValueParser());
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // The values belong to one lesson: LessonParser adds a renderer holding them when it renders that lesson.
    }

    private sealed class MeasuredValueParser : InlineParser
    {
        public MeasuredValueParser() => OpeningCharacters = ['{'];

        public override bool Match(InlineProcessor processor, ref StringSlice slice)
        {
            if (slice.PeekCharExtra(1) != '{') return false;
            var text = slice.Text;
            var nameStart = slice.Start + 2;
            var close = text.IndexOf("}}", nameStart, slice.End - nameStart + 1, StringComparison.Ordinal);
            if (close < 0) return false;
            var name = text[nameStart..close];
            if (!LessonClaims.IsName(name)) return false;

            var start = processor.GetSourcePosition(slice.Start, out var line, out var column);
            processor.Inline = new MeasuredValueInline(name)
            {
                Span = new Markdig.Syntax.SourceSpan(start, start + close + 1 - slice.Start),
                Line = line,
                Column = column,
            };
            slice.Start = close + 2;
            return true;
        }
    }
}

/// <summary>
/// Writes a measured value as the text `ganlab claims` recorded, with how it was measured as its tooltip; a name the
/// lesson's measurements lack shows as itself, marked, and the parser reports it as a problem of the lesson.
/// </summary>
public sealed class MeasuredValueHtmlRenderer(LessonMeasurements? measurements) : HtmlObjectRenderer<MeasuredValueInline>
{
    protected override void Write(HtmlRenderer renderer, MeasuredValueInline value)
    {
        if (!renderer.EnableHtmlForInline)
        {
            // Plain text, as a table's heading becomes its cells' labels: the number alone.
            var text = measurements?.Values.GetValueOrDefault(value.Name)?.Text ?? $"{{{{{value.Name}}}}}";
            if (renderer.EnableHtmlEscape) renderer.WriteEscape(text);
            else renderer.Write(text);
        }
        else if (measurements?.Values.GetValueOrDefault(value.Name) is { } measured)
        {
            renderer.Write("<span class=\"measured\" data-measured=\"").WriteEscape(value.Name)
                .Write("\" title=\"").WriteEscape(measured.How).Write("\">").WriteEscape(measured.Text).Write("</span>");
        }
        else
        {
            renderer.Write("<span class=\"measured-missing\" data-testid=\"measured-missing\">{{").WriteEscape(value.Name).Write("}}</span>");
        }
    }
}
