using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// A learner's first minute, in a real browser against the real server: open the course, go to
/// the first lesson, see its math typeset, train the GAN, watch samples and losses move, stop.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TrainerEndToEndTests(ITestOutputHelper output)
{
    internal static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private const float PageTimeoutMs = 30_000;
    private const float TrainingTimeoutMs = 60_000;

    // JS: the sample grid's <img> (the test id may sit on the img or on a wrapper) and its src.
    private const string SampleSrcJs = """
        () => {
          const host = document.querySelector('[data-testid="sample-grid"]');
          const img = host && (host.tagName === 'IMG' ? host : host.querySelector('img'));
          const src = img && img.getAttribute('src');
          return src ? src : null;
        }
        """;

    // JS: the most points in any trace of the Plotly chart in the loss-chart element, or -1.
    internal const string LossPointsJs = """
        () => {
          const host = document.querySelector('[data-testid="loss-chart"]');
          if (!host) return -1;
          const plot = host.classList.contains('js-plotly-plot') ? host : host.querySelector('.js-plotly-plot');
          if (!plot || !Array.isArray(plot.data) || plot.data.length === 0) return -1;
          return Math.max(...plot.data.map(t => ((t.x && t.x.length) || (t.y && t.y.length) || 0)));
        }
        """;

    // JS: the step number the status shows ("step 120", "Step: 1,200/5000"), or -1.
    internal const string StatusStepJs = """
        () => {
          const el = document.querySelector('[data-testid="trainer-status"]');
          const m = el && /step\D{0,3}(\d[\d,\u202f ]*)/i.exec(el.innerText || el.textContent || '');
          return m ? parseInt(m[1].replace(/[^\d]/g, ''), 10) : -1;
        }
        """;

    [ChromiumFact]
    public async Task Learner_opens_first_lesson_trains_and_stops()
    {
        // A closed page's run waits this long for the page to come back before its model is freed.
        const int graceSeconds = 5;
        await using var app = await WebAppProcess.StartAsync(null, $"--GanLab:RunReclaimGraceSeconds={graceSeconds}");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.ChromiumPath,
            Args = ChromiumArgs,
            Headless = true,
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        page.SetDefaultTimeout(PageTimeoutMs);

        var browserErrors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (browserErrors) browserErrors.Add(message.Text); };
        page.PageError += (_, error) => { lock (browserErrors) browserErrors.Add(error); };

        var stage = "opening the home page";
        try
        {
            await page.GotoAsync(app.BaseUrl.ToString());

            stage = "following the link to the first lesson (lessons/what-is-a-gan) and waiting for KaTeX to typeset its math (.katex)";
            await OpenFirstLessonAsync(page, output);

            stage = "starting training (trainer-start)";
            await StartTrainingAsync(page, output);

            stage = "waiting for the first sample grid (sample-grid src)";
            var sinceTrain = Stopwatch.StartNew();
            var first = await (await page.WaitForFunctionAsync(SampleSrcJs, null, new() { Timeout = TrainingTimeoutMs }))
                .JsonValueAsync<string>();

            output.WriteLine($"first sample grid {sinceTrain.Elapsed.TotalSeconds:0.0} s after the trainer reacted to Train");

            stage = "waiting for the sample grid to change";
            await page.WaitForFunctionAsync(
                $"prev => {{ const src = ({SampleSrcJs})(); return src !== null && src !== prev; }}",
                first, new() { Timeout = TrainingTimeoutMs });

            stage = "waiting for loss points in the Plotly chart (loss-chart)";
            var points = await (await page.WaitForFunctionAsync(
                $"() => {{ const n = ({LossPointsJs})(); return n > 0 ? n : null; }}",
                null, new() { Timeout = TrainingTimeoutMs })).JsonValueAsync<int>();

            stage = $"waiting for the loss chart to grow past {points} points";
            await page.WaitForFunctionAsync(
                $"n => ({LossPointsJs})() > n", points, new() { Timeout = TrainingTimeoutMs });

            stage = "waiting for the status to show a step above 0 (trainer-status)";
            await page.WaitForFunctionAsync($"() => ({StatusStepJs})() > 0", null, new() { Timeout = TrainingTimeoutMs });

            stage = "stopping training (trainer-stop) and waiting for the status to say paused";
            await page.GetByTestId("trainer-stop").ClickAsync();
            await page.WaitForFunctionAsync(
                """() => /paused/i.test(document.querySelector('[data-testid="trainer-status"]')?.innerText ?? '')""",
                null, new() { Timeout = PageTimeoutMs });

            stage = "resuming (trainer-start says Resume) and seeing the step count go on";
            Assert.Equal("Resume", (await page.GetByTestId("trainer-start").InnerTextAsync()).Trim());
            var pausedAt = await page.EvaluateAsync<int>(StatusStepJs);
            await page.GetByTestId("trainer-start").ClickAsync();
            await page.WaitForFunctionAsync($"n => ({StatusStepJs})() > n", pausedAt, new() { Timeout = TrainingTimeoutMs });

            stage = "closing the tab while training and waiting for the server to free the run once its grace is over (/healthz liveRuns 0)";
            Assert.True(await LiveRunsAsync(app) >= 1, "a run should be live while training");
            await page.CloseAsync(new() { RunBeforeUnload = true });
            // Usually the browser's goodbye ends the circuit at once. When it is lost, the dropped
            // connection pauses the run and the circuit is dropped after GanLab:DisconnectedTabSeconds.
            // Either way the paused run then waits the grace for its page to come back.
            var freed = Stopwatch.StartNew();
            var limit = TimeSpan.FromSeconds(WebAppProcess.DisconnectedTabSeconds + graceSeconds + 30);
            while (await LiveRunsAsync(app) > 0)
            {
                if (freed.Elapsed > limit) throw new TimeoutException($"the run was still live {limit.TotalSeconds:0} s after the tab closed");
                await Task.Delay(250);
            }
            output.WriteLine($"run freed {freed.Elapsed.TotalSeconds:0.0} s after the tab closed");
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw new XunitException(await DescribeFailureAsync(page, app, stage, e, browserErrors));
        }
    }

    /// <summary>
    /// Clicks the home page's link to the first lesson once and waits until the lesson shows with
    /// typeset math (.katex). One click must do: a lost click is a bug a learner would meet.
    /// </summary>
    private static async Task OpenFirstLessonAsync(IPage page, ITestOutputHelper output)
    {
        await page.Locator("a[href*='lessons/what-is-a-gan']").First.ClickAsync();
        await page.WaitForURLAsync("**/lessons/what-is-a-gan");
        await page.Locator(".katex").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    /// <summary>
    /// Clicks Start until the trainer reacts. A server-rendered page shows the button before the
    /// Blazor circuit is connected, and a click in that window is lost, so one click is not enough.
    /// The trainer has reacted when the status text changes or the Start button is disabled.
    /// </summary>
    internal static async Task StartTrainingAsync(IPage page, ITestOutputHelper output)
    {
        var start = page.GetByTestId("trainer-start");
        var status = page.GetByTestId("trainer-status");
        await start.WaitForAsync();
        await page.WaitForFunctionAsync("() => typeof window.Blazor !== 'undefined'");
        // The prerendered button is disabled until the circuit is interactive: a disabled button is no reaction yet.
        await page.WaitForFunctionAsync(
            "() => { const start = document.querySelector('[data-testid=\"trainer-start\"]'); return start && !start.disabled; }",
            null, new() { Timeout = 45_000 });
        var before = await status.InnerTextAsync();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                // Inside the try: on a busy machine the click itself can outlast its timeout (seen in CI); click again.
                if (await start.IsEnabledAsync()) await start.ClickAsync(new() { Timeout = 5_000 });
                await page.WaitForFunctionAsync(
                    """
                    before => {
                      const status = document.querySelector('[data-testid="trainer-status"]');
                      const start = document.querySelector('[data-testid="trainer-start"]');
                      return (status && status.innerText !== before) || !start || start.disabled;
                    }
                    """,
                    before, new() { Timeout = 5_000 });
                return;
            }
            catch (TimeoutException) when (clock.Elapsed < TimeSpan.FromSeconds(45))
            {
                // Circuit not connected yet: click again.
                output.WriteLine($"trainer-start: no reaction after {clock.Elapsed.TotalSeconds:0} s; clicking again");
            }
        }
    }

    private static async Task<int> LiveRunsAsync(WebAppProcess app)
    {
        using var http = new HttpClient();
        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(app.BaseUrl, "/healthz")));
        return health.RootElement.GetProperty("liveRuns").GetInt32();
    }

    internal static async Task<string> DescribeFailureAsync(
        IPage page, WebAppProcess app, string stage, Exception error, List<string> browserErrors)
    {
        string status, screenshot;
        try { status = await page.GetByTestId("trainer-status").InnerTextAsync(new() { Timeout = 1_000 }); }
        catch (Exception) { status = "(no trainer-status element)"; }
        try
        {
            var folder = Path.Combine(WebAppProcess.RepositoryRoot(), ".ganlab", "e2e");
            Directory.CreateDirectory(folder);
            screenshot = Path.Combine(folder, "trainer-failure.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
        }
        catch (Exception) { screenshot = "(screenshot failed)"; }

        string errors;
        lock (browserErrors) errors = browserErrors.Count == 0 ? "(none)" : string.Join("\n", browserErrors);
        var appOutput = app.Output;
        if (appOutput.Length > 8_000) appOutput = "…" + appOutput[^8_000..];
        return $"""
            End-to-end test failed while {stage}: {error.GetType().Name}: {error.Message}
            url: {page.Url}
            trainer-status: {status}
            screenshot: {screenshot}
            --- browser errors ---
            {errors}
            --- app output (tail) ---
            {appOutput}
            """;
    }
}
