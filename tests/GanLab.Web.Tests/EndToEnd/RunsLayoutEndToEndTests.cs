using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// /runs and /instructor with an image run and a toy run going fit a 1024 px laptop and a 390 px phone: the page never
/// scrolls sideways (a wide table scrolls inside its own box), and every cell of the toy's row shows all its text.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RunsLayoutEndToEndTests(ITestOutputHelper output)
{
    private const string InstructorKey = "layout-test-key";

    // JS: the page's width against the window's, and each cell of the table's toy row: its text, whether the text is cut
    // (wider than the cell), its font size, and whether the cell can be seen: inside the window, or inside its table's
    // scrolling box, which must then be no wider than the window.
    private const string LayoutJs = """
        ([table, row]) => {
          const wrap = document.querySelector(`[data-testid="${table}"]`).closest('.runs-table-wrap');
          const wrapBox = wrap.getBoundingClientRect();
          const toy = document.querySelector(`[data-testid="${row}"][data-kind="toy"]`);
          return JSON.stringify({
            pageWidth: document.documentElement.scrollWidth,
            window: window.innerWidth,
            wrapRight: Math.round(wrapBox.right),
            wrapScrolls: getComputedStyle(wrap).overflowX === 'auto' || getComputedStyle(wrap).overflowX === 'scroll',
            cells: [...toy.querySelectorAll('td')].map(td => ({
              text: td.innerText.trim(),
              cut: td.scrollWidth > td.clientWidth + 1,
              fontPx: parseFloat(getComputedStyle(td).fontSize),
              width: Math.round(td.getBoundingClientRect().width),
            })),
          });
        }
        """;

    private sealed record Cell(string Text, bool Cut, double FontPx, int Width);

    private sealed record Layout(int PageWidth, int Window, int WrapRight, bool WrapScrolls, Cell[] Cells);

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

            foreach (var (width, height) in new[] { (1024, 900), (390, 844) })
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
    }
}
