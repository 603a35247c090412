using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// Plain-HTML rendering of a component block: a placeholder naming the component.
/// The web app never shows it (components there are real Blazor components, see LessonBody);
/// it keeps HTML output of a lesson well-formed for tools and specs that render to a string.
/// </summary>
public sealed class LessonComponentHtmlRenderer : HtmlObjectRenderer<LessonComponentBlock>
{
    protected override void Write(HtmlRenderer renderer, LessonComponentBlock block)
    {
        renderer.EnsureLine();
        renderer.Write("<div class=\"lesson-component\" data-component=\"")
            .WriteEscape(block.Name)
            .Write("\"></div>")
            .WriteLine();
    }
}
