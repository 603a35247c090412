using System.Text.Json;
using Microsoft.Playwright;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// A page's tables as the layout tests check them. On a phone (below 600 px) a table of class stack-on-phone (a
/// lesson's wide Markdown table, a parameter table) is one card per row: no wider than its box, its heading row hidden,
/// each labelled cell showing its label; any other table may scroll, but only in a box that ends inside the window.
/// On a laptop every table is the table it was: headings shown, cells side by side, no labels.
/// </summary>
internal static class TableLayout
{
    // JS: each visible table: whether it stacks, how wide its content is against its box (the table itself, as a
    // lesson's tables are blocks, or the box it scrolls in), whether its headings show, and its body cells that have
    // text: the label they carry, the label they show before their text, and how they are laid out.
    private const string TablesJs = """
        () => {
          const scrollBox = t => {
            for (let box = t; box && box !== document.body; box = box.parentElement)
              if (['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) return box;
            return t;
          };
          return JSON.stringify([...document.querySelectorAll('table')].filter(t => t.getClientRects().length > 0).map(t => {
            const box = scrollBox(t);
            const thead = t.querySelector('thead');
            return {
              name: (t.dataset.testid || [...t.querySelectorAll('th')].map(th => th.textContent.trim()).find(s => s) || t.className).slice(0, 40),
              stacks: t.classList.contains('stack-on-phone'),
              width: t.scrollWidth,
              boxWidth: box.clientWidth,
              boxScrollWidth: box.scrollWidth,
              boxRight: Math.round(box.getBoundingClientRect().right),
              headingsShown: !thead || getComputedStyle(thead).display !== 'none',
              cells: [...t.querySelectorAll('tbody td')].filter(td => td.textContent.trim() !== '').map(td => ({
                label: td.getAttribute('data-label'),
                shown: getComputedStyle(td, '::before').content,
                // content is the label as a CSS string, in quotes and with a backslash before a quote or backslash.
                showsLabel: getComputedStyle(td, '::before').content.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1') === td.getAttribute('data-label'),
                display: getComputedStyle(td).display,
              })),
            };
          }));
        }
        """;

    public sealed record Cell(string? Label, string Shown, bool ShowsLabel, string Display);

    public sealed record Table(string Name, bool Stacks, int Width, int BoxWidth, int BoxScrollWidth, int BoxRight, bool HeadingsShown, Cell[] Cells)
    {
        public override string ToString() => $"{Name}{(Stacks ? " (stacks)" : "")} {Width} px in {BoxWidth}";
    }

    public static async Task<Table[]> MeasureAsync(IPage page) =>
        JsonSerializer.Deserialize<Table[]>(await page.EvaluateAsync<string>(TablesJs), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <param name="where">the page and width, for the messages</param>
    public static void Check(IReadOnlyList<Table> tables, int width, string where)
    {
        foreach (var table in tables)
        {
            var what = $"{where}, table '{table.Name}'";
            Assert.True(table.BoxRight <= width, $"{what}: its box ends at {table.BoxRight} px");
            if (width < 600 && table.Stacks)
            {
                Assert.True(table.BoxScrollWidth <= table.BoxWidth, $"{what} scrolls sideways: {table.BoxScrollWidth} px in a box of {table.BoxWidth}");
                Assert.True(table.Width <= table.BoxWidth, $"{what} is {table.Width} px wide in a box of {table.BoxWidth}");
                Assert.False(table.HeadingsShown, $"{what} still shows its heading row");
                Assert.Contains(table.Cells, cell => cell.Label is not null);
                Assert.All(table.Cells.Where(cell => cell.Label is not null), cell =>
                    Assert.True(cell.ShowsLabel, $"{what}: a cell labelled '{cell.Label}' shows {cell.Shown}"));
            }
            else if (width >= 1024)
            {
                Assert.True(table.HeadingsShown, $"{what} hides its heading row");
                Assert.All(table.Cells, cell => Assert.True(cell.Display == "table-cell" && cell.Shown is "none" or "normal",
                    $"{what}: a cell is laid out as {cell.Display} with the label {cell.Shown}"));
            }
        }
    }
}
