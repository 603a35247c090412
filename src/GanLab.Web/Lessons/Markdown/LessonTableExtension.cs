using System.Text.RegularExpressions;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// Pipe tables that can be read on a phone, with no change to the lesson's Markdown: see <see cref="LessonTableHtmlRenderer"/>.
/// </summary>
public sealed class LessonTableExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        // Nothing to parse: pipe tables are Markdig's own.
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // In place of Markdig's table renderer. It is a subclass, so UsePipeTables, whether its Setup runs before this
        // one or after, never adds a second.
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<LessonTableHtmlRenderer>())
            html.ObjectRenderers.ReplaceOrAdd<HtmlTableRenderer>(new LessonTableHtmlRenderer());
    }
}

/// <summary>
/// Markdig's table HTML plus two attributes: every body cell gets its column's heading as data-label, as plain text,
/// and a table of <see cref="StackedFromColumns"/> or more columns the class stack-on-phone. Below 600 px site.css
/// turns such a table into one card per row, each cell on a line of its own under its label; wider, it is the table
/// Markdig wrote.
/// </summary>
public sealed partial class LessonTableHtmlRenderer : HtmlTableRenderer
{
    /// <summary>
    /// At 375 px every lesson table of five or more columns was wider than the page (397 to 721 px of 343), one of the
    /// seven four-column tables too (406 px), and the other six fitted only by wrapping their cells; every table of two
    /// or three columns fitted. A two-column table reads better as a table than as cards.
    /// </summary>
    public const int StackedFromColumns = 4;

    public const string StackedClass = "stack-on-phone";

    protected override void Write(HtmlRenderer renderer, Table table)
    {
        if (renderer.EnableHtmlForBlock) Label(renderer, table);
        base.Write(renderer, table);
    }

    private static void Label(HtmlRenderer renderer, Table table)
    {
        var rows = table.OfType<TableRow>().ToList();
        if (rows.Count == 0) return;
        if (rows.Max(row => row.Count) >= StackedFromColumns) table.GetAttributes().AddClass(StackedClass);

        if (rows.FirstOrDefault(row => row.IsHeader) is not { } header) return;
        var labels = new Dictionary<int, string>();
        for (var i = 0; i < header.Count; i++) labels[ColumnOf(header, i)] = PlainText(renderer, (TableCell)header[i]);

        foreach (var row in rows.Where(row => !row.IsHeader))
        {
            for (var i = 0; i < row.Count; i++)
            {
                if (labels.GetValueOrDefault(ColumnOf(row, i)) is not { Length: > 0 } label) continue;
                var attributes = row[i].GetAttributes();
                // Rendering the same document twice must not write the attribute twice.
                attributes.Properties?.RemoveAll(property => property.Key == "data-label");
                attributes.AddProperty("data-label", label);
            }
        }
    }

    private static int ColumnOf(TableRow row, int index) => ((TableCell)row[index]).ColumnIndex is >= 0 and var column ? column : index;

    /// <summary>
    /// A heading cell as the text a reader sees, written by the page's own renderers with HTML off: emphasis loses its
    /// tags, a measured value is its number, math stays TeX without its dollars ($D(x)$ is "D(x)") and without the
    /// commands that only set words upright ($\text{Loss}_G$ is "Loss_G").
    /// </summary>
    private static string PlainText(HtmlRenderer page, TableCell cell)
    {
        using var writer = new StringWriter();
        var plain = new HtmlRenderer(writer) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
        plain.ObjectRenderers.Clear();
        plain.ObjectRenderers.AddRange(page.ObjectRenderers);
        plain.Write(cell);
        return WhiteSpace().Replace(UprightWords().Replace(writer.ToString(), "$1"), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    [GeneratedRegex(@"\\(?:text|mathrm|operatorname)\{([^{}]*)\}")]
    private static partial Regex UprightWords();
}
