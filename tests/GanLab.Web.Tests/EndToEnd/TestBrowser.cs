using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// What the end-to-end tests share: Debian's chromium, headless, under Playwright; pages that collect the browser's
/// script errors; clicking a button until the live page reacts; and a failure message that says at which stage a test
/// stopped, with the page's URL, a screenshot and the app's output.
/// </summary>
public sealed class TestBrowser : IAsyncDisposable
{
    public static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    public const float PageTimeoutMs = 30_000;
    public const float TrainingTimeoutMs = 60_000;

    /// <summary>How long a start button is clicked again before the test gives up on the page reacting.</summary>
    public static readonly TimeSpan ClickBudget = TimeSpan.FromSeconds(60);

    private readonly IPlaywright _playwright;
    private readonly List<string> _errors = [];

    private TestBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>The script errors and console errors of every page opened with <see cref="NewPageAsync"/> so far.</summary>
    public IReadOnlyList<string> Errors
    {
        get { lock (_errors) return [.. _errors]; }
    }

    public static async Task<TestBrowser> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            return new TestBrowser(playwright, await LaunchChromiumAsync(playwright));
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ChromiumFactAttribute.ChromiumPath,
        Args = ChromiumArgs,
        Headless = true,
    });

    /// <summary>A page of the given size whose errors go to <see cref="Errors"/>.</summary>
    public async Task<IPage> NewPageAsync(int width, int height)
    {
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = width, Height = height } });
        page.SetDefaultTimeout(PageTimeoutMs);
        page.Console += (_, message) => { if (message.Type == "error") lock (_errors) _errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (_errors) _errors.Add(error); };
        return page;
    }

    /// <summary>
    /// Clicks a button until <paramref name="tookEffect"/> (which waits a few seconds at most) says the page reacted. A
    /// server-rendered page shows its buttons before the Blazor circuit is connected, and a click in that window is lost;
    /// on a busy machine the click itself can outlast its timeout (seen in CI). Either way: click again, within
    /// <see cref="ClickBudget"/>.
    /// </summary>
    public static async Task ClickUntilAsync(ILocator button, Func<Task> tookEffect, ITestOutputHelper? output = null, string? what = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // A button the first click replaced (Play turns into Pause) is not waited for: its effect may just be slow.
                if (await button.IsVisibleAsync() && await button.IsEnabledAsync()) await button.ClickAsync(new() { Timeout = 10_000 });
                await tookEffect();
                output?.WriteLine($"{what ?? "click"}: took effect after {clock.Elapsed.TotalSeconds:0.0} s");
                return;
            }
            catch (Exception e) when (e is TimeoutException or PlaywrightException && clock.Elapsed < ClickBudget)
            {
                output?.WriteLine($"{what ?? "click"}: no reaction after {clock.Elapsed.TotalSeconds:0} s; clicking again");
            }
        }
    }

    /// <summary>Clicks a button until the page's JS <paramref name="condition"/> holds.</summary>
    public static Task ClickUntilAsync(IPage page, ILocator button, string condition, ITestOutputHelper? output = null, string? what = null) =>
        ClickUntilAsync(button, () => page.WaitForFunctionAsync(condition, null, new() { Timeout = 5_000 }), output, what);

    /// <summary>
    /// Clicks the (first) trainer's Train until the trainer reacts: its status text changes or Train is disabled. The
    /// prerendered button is disabled until the circuit is interactive, so first wait for it to be enabled.
    /// </summary>
    public static async Task StartTrainingAsync(IPage page, ITestOutputHelper? output = null)
    {
        var start = page.GetByTestId("trainer-start").First;
        await start.WaitForAsync();
        await page.WaitForFunctionAsync("() => typeof window.Blazor !== 'undefined'");
        await page.WaitForFunctionAsync(
            "() => { const start = document.querySelector('[data-testid=\"trainer-start\"]'); return start && !start.disabled; }",
            null, new() { Timeout = 45_000 });
        var before = await page.GetByTestId("trainer-status").First.InnerTextAsync();
        await ClickUntilAsync(start, () => page.WaitForFunctionAsync(
            """
            before => {
              const status = document.querySelector('[data-testid="trainer-status"]');
              const start = document.querySelector('[data-testid="trainer-start"]');
              return (status && status.innerText !== before) || !start || start.disabled;
            }
            """,
            before, new() { Timeout = 5_000 }), output, "trainer-start");
    }

    /// <summary>
    /// What a failed test says: the stage it was at, the error, the page's URL and (when given) a status line, a
    /// full-page screenshot in .ganlab/e2e, the browser's errors and the tail of the app's output.
    /// </summary>
    public static async Task<XunitException> FailureAsync(
        IPage page, WebAppProcess app, string stage, Exception error, IReadOnlyList<string> browserErrors,
        string screenshotName = "failure", string? statusTestId = null)
    {
        var status = "";
        if (statusTestId is not null)
        {
            try { status = $"\n{statusTestId}: " + await page.GetByTestId(statusTestId).First.InnerTextAsync(new() { Timeout = 1_000 }); }
            catch (Exception) { status = $"\n{statusTestId}: (no such element)"; }
        }
        string screenshot;
        try
        {
            var folder = Path.Combine(WebAppProcess.RepositoryRoot(), ".ganlab", "e2e");
            Directory.CreateDirectory(folder);
            screenshot = Path.Combine(folder, screenshotName + ".png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }
        catch (Exception)
        {
            screenshot = "(screenshot failed)";
        }
        var errors = browserErrors.Count == 0 ? "(none)" : string.Join("\n", browserErrors);
        var appOutput = app.Output;
        if (appOutput.Length > 8_000) appOutput = "…" + appOutput[^8_000..];
        return new XunitException($"""
            End-to-end test failed while {stage}: {error.GetType().Name}: {error.Message}
            url: {page.Url}{status}
            screenshot: {screenshot}
            --- browser errors ---
            {errors}
            --- app output (tail) ---
            {appOutput}
            """);
    }

    /// <inheritdoc cref="FailureAsync(IPage, WebAppProcess, string, Exception, IReadOnlyList{string}, string, string?)"/>
    public Task<XunitException> FailureAsync(IPage page, WebAppProcess app, string stage, Exception error, string screenshotName = "failure", string? statusTestId = null) =>
        FailureAsync(page, app, stage, error, Errors, screenshotName, statusTestId);

    /// <summary>Runs a test's steps, each named first; a failure of any kind says at which step (see <see cref="FailureAsync(IPage, WebAppProcess, string, Exception, string, string?)"/>).</summary>
    public async Task RunAsync(IPage page, WebAppProcess app, ITestOutputHelper output, string screenshotName, Func<Action<string>, Task> steps)
    {
        var stage = "starting";
        try
        {
            await steps(next =>
            {
                stage = next;
                output.WriteLine(next);
            });
        }
        catch (Exception e)
        {
            throw await FailureAsync(page, app, stage, e, screenshotName);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
