using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// A gan-compare block in a real browser against the real server: both runs train, the final table appears, and the
/// four plotly charts share one step range and one hover (what bUnit cannot see: charts.js and plotly themselves).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CompareEndToEndTests : IDisposable
{
    private readonly string _content = Directory.CreateTempSubdirectory("ganlab-e2e-compare-").FullName;

    public void Dispose() => Directory.Delete(_content, recursive: true);

    // Every chart's x range, and after a hover on the first chart, the steps the other charts show in their hover.
    private const string ChartsJs = """
        () => {
          const charts = [...document.querySelectorAll('[data-testid="compare-loss-chart"], [data-testid="compare-dx-chart"]')];
          const ranges = charts.map(c => c.layout?.xaxis?.range ?? null);
          charts[0].emit('plotly_hover', { points: [{ x: 100 }] });
          const hovered = charts.slice(1).map(c => (c._hoverdata ?? []).map(p => p.x)[0] ?? null);
          return JSON.stringify({ ranges, hovered });
        }
        """;

    [ChromiumFact]
    public async Task Both_runs_train_end_in_one_table_and_their_charts_share_range_and_hover()
    {
        File.WriteAllText(Path.Combine(_content, "01-compare.md"), """
            ---
            title: Compare
            summary: Two runs side by side.
            order: 1
            minutes: 5
            ---

            ```gan-compare
            steps: 200
            both:
              batch-size: 32
            left:
              labels: normal
            right:
              labels: swapped-d-only
            ```
            """);
        await using var app = await WebAppProcess.StartAsync(null, $"--GanLab:Content={_content}");
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, "lessons/compare").ToString());
            await page.GetByTestId("outline-progress").WaitForAsync();
            // The button is on the page before the circuit connects; a click in that window is lost, so click until it reacts.
            await TestBrowser.ClickUntilAsync(page, page.GetByTestId("compare-start"),
                "() => !/^Idle/.test(document.querySelector('[data-testid=\"compare-status\"]')?.innerText ?? 'Idle')");

            await page.GetByTestId("compare-final").WaitForAsync(new() { Timeout = 120_000 });
            Assert.Equal(["200", "200"], await page.GetByTestId("final-steps").Locator("td").AllInnerTextsAsync());
            // Let the last chart flush land (200 ms ticks), then read the charts.
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('[data-testid=\"compare-loss-chart\"]')].every(c => c.data?.[0]?.x?.at(-1) === 200)");
            using var charts = JsonDocument.Parse(await page.EvaluateAsync<string>(ChartsJs));
            var ranges = charts.RootElement.GetProperty("ranges").EnumerateArray().Select(r => r.GetRawText()).ToList();
            Assert.Equal(4, ranges.Count);
            Assert.Single(ranges.Distinct());
            Assert.EndsWith(",200]", ranges[0]);
            // Each chart shows its own point nearest step 100 (points are averages over a flush, so not exactly 100).
            Assert.All(charts.RootElement.GetProperty("hovered").EnumerateArray(), step => Assert.InRange(step.GetDouble(), 80, 120));
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw await browser.FailureAsync(page, app, "training the comparison and reading its charts", e, "compare-failure");
        }
    }
}
