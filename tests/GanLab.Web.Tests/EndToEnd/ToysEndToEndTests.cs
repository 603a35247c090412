using System.Diagnostics;
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
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private const float PageTimeoutMs = 30_000;
    private const float TrainingTimeoutMs = 60_000;

    private static string Traces(string component, string chart) =>
        $"document.querySelector('[data-testid=\"{component}\"] [data-testid=\"{chart}\"]')?.data";

    [ChromiumFact]
    public async Task Each_toy_draws_in_the_browser_and_trains_from_its_buttons()
    {
        await using var app = await WebAppProcess.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath, Args = ChromiumArgs, Headless = true,
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(PageTimeoutMs);
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };
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
            var phone = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 390, Height = 844 } });
            phone.SetDefaultTimeout(PageTimeoutMs);
            phone.PageError += (_, error) => { lock (errors) errors.Add(error); };
            await phone.GotoAsync(new Uri(app.BaseUrl, "authoring").ToString());
            await phone.WaitForFunctionAsync($"() => {Traces("minimax-game", "toy-loss-curves")}?.length === 2");
            await phone.WaitForTimeoutAsync(500); // plotly sizes its charts to the column
            foreach (var toy in new[] { "toy-2d", "optimal-discriminator", "minimax-game" })
            {
                var overflow = await phone.EvaluateAsync<int>($"() => {{ const el = document.querySelector('[data-testid=\"{toy}\"]'); return el.scrollWidth - el.clientWidth; }}");
                Assert.True(overflow <= 1, $"{toy} is {overflow} px wider than a 390 px screen's column");
            }
            lock (errors) Assert.Empty(errors);
        }
        catch (Exception e) when (e is not XunitException)
        {
            string browserErrors;
            lock (errors) browserErrors = errors.Count == 0 ? "(none)" : string.Join("\n", errors);
            var appOutput = app.Output;
            if (appOutput.Length > 6_000) appOutput = "…" + appOutput[^6_000..];
            throw new XunitException($"""
                End-to-end test failed while {stage}: {e.GetType().Name}: {e.Message}
                --- browser errors ---
                {browserErrors}
                --- app output (tail) ---
                {appOutput}
                """);
        }
    }

    /// <summary>
    /// Clicks a toy's button until the condition holds: the button is on the page before the circuit is connected,
    /// and a click in that window is lost.
    /// </summary>
    private async Task ClickUntilAsync(IPage page, string component, string button, string condition)
    {
        var target = page.Locator($"[data-testid={component}] [data-testid={button}]");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if (await target.IsVisibleAsync() && await target.IsEnabledAsync()) await target.ClickAsync(new() { Timeout = 10_000 });
                await page.WaitForFunctionAsync(condition, null, new() { Timeout = 5_000 });
                output.WriteLine($"{component}: {button} took effect after {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }
            catch (TimeoutException) when (clock.Elapsed.TotalMilliseconds < TrainingTimeoutMs)
            {
            }
        }
    }
}
