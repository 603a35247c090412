using AngleSharp.Dom;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// What a table must carry to stack on a phone (site.css, .stack-on-phone): the class, and on every body cell its
/// column's heading as data-label, none under an empty heading. Read from the table's own heading row, so a renamed
/// column whose cells keep the old label fails here.
/// </summary>
internal static class StackedTables
{
    public static void AssertLabelled(IElement table)
    {
        Assert.Contains("stack-on-phone", table.ClassList);
        var headings = table.QuerySelectorAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        var rows = table.QuerySelectorAll("tbody tr");
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var cells = row.QuerySelectorAll("td");
            Assert.Equal(headings.Count, cells.Length);
            for (var i = 0; i < cells.Length; i++)
                Assert.Equal(headings[i] is "" ? null : headings[i], cells[i].GetAttribute("data-label"));
        }
    }
}
