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
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1440, 1000);

        var stage = "opening the home page";
        try
        {
            await page.GotoAsync(app.BaseUrl.ToString());

            stage = "following the link to the first lesson (lessons/what-is-a-gan) and waiting for KaTeX to typeset its math (.katex)";
            await OpenFirstLessonAsync(page, output);

            stage = "starting training (trainer-start)";
            await TestBrowser.StartTrainingAsync(page, output);

            stage = "waiting for the first sample grid (sample-grid src)";
            var sinceTrain = Stopwatch.StartNew();
            var first = await (await page.WaitForFunctionAsync(SampleSrcJs, null, new() { Timeout = TestBrowser.TrainingTimeoutMs }))
                .JsonValueAsync<string>();

            output.WriteLine($"first sample grid {sinceTrain.Elapsed.TotalSeconds:0.0} s after the trainer reacted to Train");

            stage = "waiting for the sample grid to change";
            await page.WaitForFunctionAsync(
                $"prev => {{ const src = ({SampleSrcJs})(); return src !== null && src !== prev; }}",
                first, new() { Timeout = TestBrowser.TrainingTimeoutMs });

            stage = "waiting for loss points in the Plotly chart (loss-chart)";
            var points = await (await page.WaitForFunctionAsync(
                $"() => {{ const n = ({LossPointsJs})(); return n > 0 ? n : null; }}",
                null, new() { Timeout = TestBrowser.TrainingTimeoutMs })).JsonValueAsync<int>();

            stage = $"waiting for the loss chart to grow past {points} points";
            await page.WaitForFunctionAsync(
                $"n => ({LossPointsJs})() > n", points, new() { Timeout = TestBrowser.TrainingTimeoutMs });

            stage = "waiting for the status to show a step above 0 (trainer-status)";
            await page.WaitForFunctionAsync($"() => ({StatusStepJs})() > 0", null, new() { Timeout = TestBrowser.TrainingTimeoutMs });

            stage = "stopping training (trainer-stop) and waiting for the status to say paused";
            await page.GetByTestId("trainer-stop").ClickAsync();
            await page.WaitForFunctionAsync(
                """() => /paused/i.test(document.querySelector('[data-testid="trainer-status"]')?.innerText ?? '')""",
                null, new() { Timeout = TestBrowser.PageTimeoutMs });

            stage = "resuming (trainer-start says Resume) and seeing the step count go on";
            Assert.Equal("Resume", (await page.GetByTestId("trainer-start").InnerTextAsync()).Trim());
            var pausedAt = await page.EvaluateAsync<int>(StatusStepJs);
            await page.GetByTestId("trainer-start").ClickAsync();
            await page.WaitForFunctionAsync($"n => ({StatusStepJs})() > n", pausedAt, new() { Timeout = TestBrowser.TrainingTimeoutMs });

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
            throw await browser.FailureAsync(page, app, stage, e, "trainer-failure", "trainer-status");
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

    private static async Task<int> LiveRunsAsync(WebAppProcess app)
    {
        using var http = new HttpClient();
        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri(app.BaseUrl, "/healthz")));
        return health.RootElement.GetProperty("liveRuns").GetInt32();
    }
}
