using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// Turns fenced blocks whose info string is a component name into <see cref="LessonComponentBlock"/>s.
/// No parser of its own: the built-in fenced-code parser does the parsing, and the rewrite runs
/// once the document is complete, so nesting, indentation and fence lengths behave as CommonMark says.
/// </summary>
public sealed class LessonComponentExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // Setup runs on every Build(); unsubscribing first keeps the rewrite from running twice.
        pipeline.DocumentProcessed -= RelabelComponentFences;
        pipeline.DocumentProcessed += RelabelComponentFences;
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<LessonComponentHtmlRenderer>())
        {
            // Ahead of the code-block renderer: a LessonComponentBlock is a LeafBlock, not a CodeBlock,
            // but keeping it first makes the dispatch obvious and independent of later additions.
            html.ObjectRenderers.Insert(0, new LessonComponentHtmlRenderer());
        }
    }

    private static void RelabelComponentFences(MarkdownDocument document)
    {
        // Materialise first: the loop edits the tree it walks.
        var fences = document.Descendants<FencedCodeBlock>()
            .Where(fence => LessonComponentBlock.IsComponentName(fence.Info))
            .ToList();

        foreach (var fence in fences)
        {
            var parent = fence.Parent!;
            var index = parent.IndexOf(fence);
            var block = new LessonComponentBlock(fence.Info!, fence.Lines.ToString(), fence.Line)
            {
                Span = fence.Span,
                Column = fence.Column,
            };
            parent.RemoveAt(index);
            parent.Insert(index, block);
        }
    }
}
