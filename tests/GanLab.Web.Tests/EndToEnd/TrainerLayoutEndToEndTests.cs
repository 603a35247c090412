using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// The trainer with its settings open fits a 1024 px laptop and a 390 px phone: nothing wider than the
/// window (no sideways scrolling), and the buttons, settings, charts and sample grid all on the page.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TrainerLayoutEndToEndTests(ITestOutputHelper output)
{
    // JS: elements of the trainer whose right edge passes the window's, by test id or tag; [] when none.
    private const string OverflowingJs = """
        () => {
          const width = document.documentElement.clientWidth;
          const trainer = document.querySelector('[data-testid="gan-trainer"]');
          return [trainer, ...trainer.querySelectorAll('*')]
            .filter(el => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length > 0)
            .map(el => el.getAttribute('data-testid') || el.tagName.toLowerCase() + '.' + el.className)
            .slice(0, 10);
        }
        """;

    [ChromiumFact]
    public async Task The_trainer_fits_a_laptop_and_a_phone_without_sideways_scrolling()
    {
        await using var app = await WebAppProcess.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await TestBrowser.LaunchChromiumAsync(playwright);

        foreach (var (width, height) in new[] { (1024, 900), (390, 844) })
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
            page.SetDefaultTimeout(30_000);
            await page.GotoAsync(new Uri(app.BaseUrl, "trainer?model=keras-gan&maxSteps=500").ToString());
            // Train is enabled once the circuit is interactive; a click before that lands on the prerendered page and is lost.
            await page.Locator("[data-testid=trainer-start]:not([disabled])").WaitForAsync();
            await page.GetByTestId("trainer-options").Locator("summary").ClickAsync();
            await page.GetByTestId("trainer-option-learning-rate").WaitForAsync();
            await page.GetByTestId("trainer-compare-real").CheckAsync();
            await page.GetByTestId("real-grid").WaitForAsync();

            var overflowing = await page.EvaluateAsync<string[]>(OverflowingJs);
            var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var path = Path.Combine(Path.GetTempPath(), $"ganlab-trainer-{width}px.png");
            await page.ScreenshotAsync(new() { Path = path, FullPage = true });
            output.WriteLine($"{width} px: page {scrollWidth} px wide, screenshot {path}");

            Assert.True(overflowing.Length == 0, $"at {width} px these pass the window's edge: {string.Join(", ", overflowing)}");
            Assert.True(scrollWidth <= width, $"at {width} px the page is {scrollWidth} px wide and scrolls sideways");
            foreach (var id in new[] { "trainer-start", "trainer-step", "trainer-option-model", "loss-chart", "gradient-chart", "sample-grid", "trainer-timeline" })
                Assert.True(await page.GetByTestId(id).IsVisibleAsync(), $"{id} is not visible at {width} px");
            await page.CloseAsync();
        }
    }
}
