using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// /runs and /instructor with an image run and a toy run going fit a 1024 px laptop and a 375 px phone: the page never
/// scrolls sideways, and every cell of the toy's row shows all its text. On the laptop the runs are a table (a wide one
/// would scroll inside its own box); on the phone each run is a card, no wider than the window, whose cells show their
/// columns' names.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RunsLayoutEndToEndTests(ITestOutputHelper output)
{
    private const string InstructorKey = "layout-test-key";

    // JS: the page's width against the window's; the table's width against its scrolling box's, and whether its heading
    // row shows; and each cell of the table's toy row: its text, whether the text is cut (wider than the cell), its font
    // size, whether the cell can be seen (inside the window, or inside the table's scrolling box, which must then be no
    // wider than the window), its column's heading, the label it shows before its text, and how it is laid out.
    private const string LayoutJs = """
        ([table, row]) => {
          const element = document.querySelector(`[data-testid="${table}"]`);
          const wrap = element.closest('.runs-table-wrap');
          const wrapBox = wrap.getBoundingClientRect();
          const headings = [...element.querySelectorAll('thead th')].map(th => th.textContent.trim());
          const toy = document.querySelector(`[data-testid="${row}"][data-kind="toy"]`);
          return JSON.stringify({
            pageWidth: document.documentElement.scrollWidth,
            window: window.innerWidth,
            tableWidth: element.scrollWidth,
            wrapWidth: wrap.clientWidth,
            wrapRight: Math.round(wrapBox.right),
            wrapScrolls: getComputedStyle(wrap).overflowX === 'auto' || getComputedStyle(wrap).overflowX === 'scroll',
            headingsShown: getComputedStyle(element.querySelector('thead')).display !== 'none',
            cells: [...toy.querySelectorAll('td')].map((td, i) => ({
              text: td.innerText.trim(),
              cut: td.scrollWidth > td.clientWidth + 1,
              fontPx: parseFloat(getComputedStyle(td).fontSize),
              width: Math.round(td.getBoundingClientRect().width),
              heading: headings[i],
              // content is the label as a CSS string, in quotes and with a backslash before a quote or backslash; "none" without one.
              label: getComputedStyle(td, '::before').content.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1'),
              display: getComputedStyle(td).display,
            })),
          });
        }
        """;

    private sealed record Cell(string Text, bool Cut, double FontPx, int Width, string Heading, string Label, string Display);

    private sealed record Layout(int PageWidth, int Window, int TableWidth, int WrapWidth, int WrapRight, bool WrapScrolls, bool HeadingsShown, Cell[] Cells);

    [ChromiumFact]
    public async Task Runs_and_instructor_pages_with_a_toy_row_fit_a_laptop_and_a_phone()
    {
        await using var app = await WebAppProcess.StartAsync(null, $"--GanLab:InstructorKey={InstructorKey}");
        await using var browser = await TestBrowser.LaunchAsync();
        // One browser context: one student (one browser id cookie) whose runs /runs lists.
        await using var student = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var trainer = await student.NewPageAsync();
        trainer.SetDefaultTimeout(TestBrowser.PageTimeoutMs);
        // The page the lists open in, the one a failure's screenshot shows.
        var page = await student.NewPageAsync();
        page.SetDefaultTimeout(TestBrowser.PageTimeoutMs);
        await browser.RunAsync(page, app, output, "runs-layout-failure", async stage =>
        {
            stage("training an image run a few steps and stopping it (its page stays open)");
            await trainer.GotoAsync(new Uri(app.BaseUrl, "trainer?batchSize=16").ToString());
            await TestBrowser.StartTrainingAsync(trainer, output);
            await trainer.WaitForFunctionAsync($"() => ({TrainerEndToEndTests.StatusStepJs})() >= 3");
            await trainer.GetByTestId("trainer-stop").ClickAsync();
            await trainer.WaitForFunctionAsync("() => /^paused/i.test(document.querySelector('[data-testid=\"trainer-status\"]').innerText)");

            stage("playing the toy-2d of /authoring and pausing it (its page stays open: a toy ends with its page)");
            var toys = await student.NewPageAsync();
            toys.SetDefaultTimeout(TestBrowser.PageTimeoutMs);
            await toys.GotoAsync(new Uri(app.BaseUrl, "authoring").ToString());
            await TestBrowser.ClickUntilAsync(toys, toys.Locator("[data-testid=toy-2d] [data-testid=toy-play]"),
                "() => !!document.querySelector('[data-testid=\"toy-2d\"] [data-testid=\"toy-pause\"]')", output, "toy-2d: toy-play");
            await toys.WaitForFunctionAsync("() => /step [1-9]/.test(document.querySelector('[data-testid=\"toy-2d\"] [data-testid=\"toy-status\"]')?.innerText)");
            // The toy redraws many times a second: on a busy machine a single click may not get through in time.
            await TestBrowser.ClickUntilAsync(toys, toys.Locator("[data-testid=toy-2d] [data-testid=toy-pause]"),
                "() => !!document.querySelector('[data-testid=\"toy-2d\"] [data-testid=\"toy-play\"]')", output, "toy-2d: toy-pause");

            foreach (var (width, height) in new[] { (1024, 900), (375, 812) })
            {
                await page.SetViewportSizeAsync(width, height);

                stage($"/runs at {width} px");
                await page.GotoAsync(new Uri(app.BaseUrl, "runs").ToString());
                await page.Locator("[data-testid=runs-row][data-kind=toy]").WaitForAsync();
                await page.Locator("[data-testid=runs-row][data-kind=image]").WaitForAsync();
                await CheckAsync(page, "runs", width, "runs-table", "runs-row");

                stage($"/instructor at {width} px");
                await page.GotoAsync(new Uri(app.BaseUrl, "instructor").ToString());
                // Open is enabled once the circuit is interactive: a key typed before would not reach the server.
                await page.Locator("[data-testid=instructor-open]:not([disabled])").WaitForAsync();
                await page.GetByTestId("instructor-key").FillAsync(InstructorKey);
                await page.GetByTestId("instructor-open").ClickAsync();
                await page.GetByTestId("instructor-load").WaitForAsync();
                await page.Locator("[data-testid=instructor-run][data-kind=toy]").WaitForAsync();
                await page.Locator("[data-testid=instructor-run][data-kind=image]").WaitForAsync();
                await CheckAsync(page, "instructor", width, "instructor-runs", "instructor-run");
            }
        });
        Assert.Empty(browser.Errors);
    }

    private async Task CheckAsync(IPage page, string name, int width, string table, string row)
    {
        var layout = System.Text.Json.JsonSerializer.Deserialize<Layout>(await page.EvaluateAsync<string>(LayoutJs, new[] { table, row }),
            new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        var path = Path.Combine(WebAppProcess.RepositoryRoot(), ".ganlab", "e2e", $"{name}-{width}px.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"{name} at {width} px: page {layout.PageWidth} px, table box to {layout.WrapRight} px; toy row: "
            + string.Join(" | ", layout.Cells.Select(c => $"{c.Text} ({c.Width} px{(c.Cut ? ", cut" : "")})")) + $"; screenshot {path}");

        Assert.True(layout.PageWidth <= layout.Window, $"{name} at {width} px is {layout.PageWidth} px wide and scrolls sideways");
        Assert.True(layout.WrapRight <= layout.Window && layout.WrapScrolls, $"{name} at {width} px: the table's box ends at {layout.WrapRight} px or does not scroll");
        Assert.Contains(layout.Cells, c => c.Text == "toy");
        Assert.All(layout.Cells, c =>
        {
            Assert.False(c.Cut, $"{name} at {width} px: the toy row's cell '{c.Text}' is cut ({c.Width} px wide)");
            Assert.True(c.FontPx >= 12, $"{name} at {width} px: the toy row's cell '{c.Text}' is in {c.FontPx} px type");
        });
        if (width < 600)
        {
            // A card per run: nothing to scroll to, and each cell says which column it was.
            Assert.True(layout.TableWidth <= layout.WrapWidth, $"{name} at {width} px: the table is {layout.TableWidth} px wide in a box of {layout.WrapWidth} and scrolls sideways");
            Assert.False(layout.HeadingsShown, $"{name} at {width} px still shows the heading row");
            Assert.All(layout.Cells.Where(c => c.Text != "" && c.Heading != ""), c =>
                Assert.True(c.Label == c.Heading, $"{name} at {width} px: the cell '{c.Text}' of the column '{c.Heading}' shows the label '{c.Label}'"));
        }
        else
        {
            Assert.True(layout.HeadingsShown, $"{name} at {width} px hides the heading row");
            Assert.All(layout.Cells, c => Assert.True(c.Display == "table-cell" && c.Label is "none" or "normal",
                $"{name} at {width} px: the cell '{c.Text}' is laid out as {c.Display} with the label {c.Label}"));
        }
    }
}
