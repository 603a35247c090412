using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// The three toy components in a real browser against the real server, on the authoring reference page (which renders
/// every registry example live): plotly really draws what the server sends (the bUnit tests only see the calls), the
/// buttons work over the circuit, and the browser reports no script error. Leaves a screenshot in .ganlab/e2e.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ToysEndToEndTests(ITestOutputHelper output)
{
    private static string Traces(string component, string chart) =>
        $"document.querySelector('[data-testid=\"{component}\"] [data-testid=\"{chart}\"]')?.data";

    [ChromiumFact]
    public async Task Each_toy_draws_in_the_browser_and_trains_from_its_buttons()
    {
        await using var app = await WebAppProcess.StartAsync();
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        var stage = "opening /authoring";
        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, "authoring").ToString());

            stage = "waiting for the minimax panels and p_data, drawn before any training";
            await page.WaitForFunctionAsync($"() => {Traces("minimax-game", "toy-loss-curves")}?.length === 2 && {Traces("optimal-discriminator", "toy-densities")}?.length === 1");
            Assert.Equal(1, await page.Locator("[data-testid=optimal-discriminator] .katex").CountAsync());

            stage = "playing toy-2d until its view has all five layers";
            await ClickUntilAsync(page, "toy-2d", "toy-play", $"() => {Traces("toy-2d", "toy-view")}?.length === 5");
            await page.WaitForFunctionAsync("() => /modes covered/.test(document.querySelector('[data-testid=\"toy-2d\"] [data-testid=\"toy-metrics\"]')?.innerText) && /\\d \\/ 8/.test(document.querySelector('[data-testid=\"toy-modes\"]').innerText)");
            var heatmap = await page.EvaluateAsync<string>($"() => {Traces("toy-2d", "toy-view")}[0].type");
            Assert.Equal("heatmap", heatmap);

            stage = "switching toy-2d's arrows off";
            await page.Locator("[data-testid=toy-2d] [data-testid=toy-layer-arrows]").UncheckAsync();
            await page.WaitForFunctionAsync($"() => {Traces("toy-2d", "toy-view")}.length === 4");
            await page.Locator("[data-testid=toy-2d] [data-testid=toy-pause]").ClickAsync();

            stage = "one 'both' step of the optimal discriminator";
            await ClickUntilAsync(page, "optimal-discriminator", "toy-step-both", $"() => {Traces("optimal-discriminator", "toy-densities")}?.length === 4");

            stage = "playing the minimax game until V has points and the marker stands on the panels";
            await ClickUntilAsync(page, "minimax-game", "toy-play",
                $"() => {Traces("minimax-game", "toy-value-chart")}?.[0]?.x?.length > 2 && document.querySelector('[data-testid=\"minimax-game\"] [data-testid=\"toy-loss-curves\"]').layout.shapes.length === 1");
            await page.Locator("[data-testid=minimax-game] [data-testid=toy-pause]").ClickAsync();

            var folder = Path.Combine(WebAppProcess.RepositoryRoot(), ".ganlab", "e2e");
            Directory.CreateDirectory(folder);
            await page.Locator("[data-testid=toy-2d]").ScreenshotAsync(new() { Path = Path.Combine(folder, "toy-2d.png") });
            await page.Locator("[data-testid=optimal-discriminator]").ScreenshotAsync(new() { Path = Path.Combine(folder, "optimal-discriminator.png") });
            await page.Locator("[data-testid=minimax-game]").ScreenshotAsync(new() { Path = Path.Combine(folder, "minimax-game.png") });

            stage = "opening the toys on a phone-sized screen";
            var phone = await browser.NewPageAsync(390, 844);
            await phone.GotoAsync(new Uri(app.BaseUrl, "authoring").ToString());
            await phone.WaitForFunctionAsync($"() => {Traces("minimax-game", "toy-loss-curves")}?.length === 2");
            await phone.WaitForTimeoutAsync(500); // plotly sizes its charts to the column
            foreach (var toy in new[] { "toy-2d", "optimal-discriminator", "minimax-game" })
            {
                var overflow = await phone.EvaluateAsync<int>($"() => {{ const el = document.querySelector('[data-testid=\"{toy}\"]'); return el.scrollWidth - el.clientWidth; }}");
                Assert.True(overflow <= 1, $"{toy} is {overflow} px wider than a 390 px screen's column");
            }
            Assert.Empty(browser.Errors);
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw await browser.FailureAsync(page, app, stage, e, "toys-failure");
        }
    }

    /// <summary>Clicks a toy's button until the condition holds (a click before the circuit is connected is lost).</summary>
    private Task ClickUntilAsync(IPage page, string component, string button, string condition) =>
        TestBrowser.ClickUntilAsync(page, page.Locator($"[data-testid={component}] [data-testid={button}]"), condition, output, $"{component}: {button}");
}
