using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// A student reloads a lesson while its trainer trains, in chromium against the real server: the reloaded page's
/// trainer shows the same run (its step count, paused, its charts and sample timeline back), and Resume trains on.
/// A comparison does the same with both its runs.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ReloadEndToEndTests(ITestOutputHelper output)
{
    private const float TimeoutMs = 90_000;

    // JS: the timeline slider's highest index (kept grids - 1) and the hint beside it.
    private const string TimelineJs = """
        () => {
          const slider = document.querySelector('[data-testid="trainer-timeline"]');
          const hint = slider && slider.parentElement.querySelector('.gan-trainer__hint');
          return slider ? { max: parseInt(slider.max, 10), disabled: slider.disabled, hint: hint ? hint.innerText : '' } : null;
        }
        """;

    [ChromiumFact]
    public async Task A_reloaded_lesson_finds_its_trainers_run_and_trains_on_from_it()
    {
        await using var app = await WebAppProcess.StartAsync();
        await using var browser = await TestBrowser.LaunchAsync();
        await using var student = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 1000 } });
        var page = await student.NewPageAsync();
        page.SetDefaultTimeout(TimeoutMs);
        var browserErrors = new List<string>();
        page.PageError += (_, error) => { lock (browserErrors) browserErrors.Add(error); };

        var stage = "opening the first lesson and training its trainer a few steps";
        try
        {
            await page.GotoAsync(new Uri(app.BaseUrl, "/lessons/what-is-a-gan").ToString());
            await TestBrowser.StartTrainingAsync(page, output);
            await page.WaitForFunctionAsync($"() => ({TrainerEndToEndTests.StatusStepJs})() >= 5", null, new() { Timeout = TimeoutMs });
            var before = await page.EvaluateAsync<int>(TrainerEndToEndTests.StatusStepJs);

            stage = $"reloading the page (the trainer was at step {before}) and waiting for the trainer to show its run";
            await page.ReloadAsync();
            // The prerendered page says Idle until its circuit is up; then the trainer shows the run it had.
            await page.WaitForFunctionAsync(
                $$"""
                n => /^(paused|running) · step/i.test(document.querySelector('[data-testid="trainer-status"]')?.innerText ?? '')
                     && ({{TrainerEndToEndTests.StatusStepJs}})() >= n
                """,
                before, new() { Timeout = TimeoutMs });
            var status = await page.GetByTestId("trainer-status").InnerTextAsync();
            output.WriteLine($"after the reload: {status}");
            Assert.Matches("(?i)^paused", status); // the page went away while it trained: it waited paused
            Assert.Equal("Resume", (await page.GetByTestId("trainer-start").InnerTextAsync()).Trim());
            var pausedAt = await page.EvaluateAsync<int>(TrainerEndToEndTests.StatusStepJs);

            stage = "seeing the run's history: loss chart points and kept grids on the timeline";
            var points = await (await page.WaitForFunctionAsync(
                $"() => {{ const n = ({TrainerEndToEndTests.LossPointsJs})(); return n > 0 ? n : null; }}", null, new() { Timeout = TimeoutMs }))
                .JsonValueAsync<int>();
            output.WriteLine($"loss chart after the reload: {points} points");
            await page.WaitForFunctionAsync($"() => {{ const t = ({TimelineJs})(); return t && t.max >= 1 && !t.disabled; }}", null, new() { Timeout = TimeoutMs });
            Assert.Matches("^\\d+ grids kept$", await page.EvaluateAsync<string>($"() => ({TimelineJs})().hint"));
            Assert.StartsWith("data:image/png;base64,", await page.GetByTestId("sample-grid").GetAttributeAsync("src"));

            stage = $"pressing Resume and seeing the run go on from step {pausedAt}";
            await page.GetByTestId("trainer-start").ClickAsync();
            await page.WaitForFunctionAsync($"n => ({TrainerEndToEndTests.StatusStepJs})() > n", pausedAt, new() { Timeout = TimeoutMs });
            await page.WaitForFunctionAsync($"n => ({TrainerEndToEndTests.LossPointsJs})() > n", points, new() { Timeout = TimeoutMs });

            stage = "checking on the Runs page that it is one run, not a new one";
            var runs = await student.NewPageAsync();
            runs.SetDefaultTimeout(TimeoutMs);
            await runs.GotoAsync(new Uri(app.BaseUrl, "/runs").ToString());
            await runs.Locator("[data-testid=runs-row]").First.WaitForAsync();
            Assert.Equal(1, await runs.Locator("[data-testid=runs-row]").CountAsync());
        }
        catch (Exception e) when (e is not XunitException)
        {
            throw await TestBrowser.FailureAsync(page, app, stage, e, browserErrors, "reload-failure", "trainer-status");
        }
    }

    // JS: the step of each side of the (first) comparison, from its status lines, and its state word.
    private const string CompareSidesJs = """
        () => [...document.querySelectorAll('[data-testid="compare-status"]')].map(el => {
          const text = el.innerText;
          const step = /step ([\d,]+)/.exec(text);
          return { state: text.split(' · ')[0], step: step ? parseInt(step[1].replace(/,/g, ''), 10) : -1 };
        })
        """;

    // JS: points on each side's loss chart (Loss_D's trace).
    private const string CompareLossPointsJs = """
        () => [...document.querySelectorAll('[data-testid="compare-loss-chart"]')].map(c => c.data?.[0]?.x?.length ?? 0)
        """;

    private sealed record Side(string State, int Step);

    private static async Task<Side[]> SidesAsync(IPage page) => System.Text.Json.JsonSerializer.Deserialize<Side[]>(
        await page.EvaluateAsync<string>($"() => JSON.stringify(({CompareSidesJs})())"),
        new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;

    [ChromiumFact]
    public async Task A_reloaded_lesson_finds_both_runs_of_its_comparison_and_resumes_both()
    {
        var content = Directory.CreateTempSubdirectory("ganlab-e2e-compare-reload-").FullName;
        File.WriteAllText(Path.Combine(content, "01-compare.md"), """
            ---
            title: Compare
            summary: Two runs side by side.
            order: 1
            minutes: 5
            ---

            ```gan-compare
            steps: 100000
            both:
              batch-size: 16
            left:
              labels: normal
            right:
              labels: swapped
            ```
            """);
        // A short quantum: with one slot on the CPU, the two runs take turns quickly.
        await using var app = await WebAppProcess.StartAsync(null, $"--GanLab:Content={content}", "--GanLab:QuantumSeconds=1");
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        page.SetDefaultTimeout(TimeoutMs);
        await browser.RunAsync(page, app, output, "compare-reload-failure", async stage =>
        {
            stage("training both runs of the comparison a few steps");
            await page.GotoAsync(new Uri(app.BaseUrl, "lessons/compare").ToString());
            await TestBrowser.ClickUntilAsync(page, page.GetByTestId("compare-start"),
                "() => !/^Idle/.test(document.querySelector('[data-testid=\"compare-status\"]')?.innerText ?? 'Idle')", output, "compare-start");
            await page.WaitForFunctionAsync($"() => ({CompareSidesJs})().every(s => s.step >= 3)", null, new() { Timeout = TimeoutMs });
            var before = await SidesAsync(page);

            stage($"reloading (the runs were at steps {before[0].Step} and {before[1].Step}) and waiting for both to come back paused");
            await page.ReloadAsync();
            await page.WaitForFunctionAsync(
                $"b => ({CompareSidesJs})().every((s, i) => s.state === 'Paused' && s.step >= b[i])",
                before.Select(s => s.Step).ToArray(), new() { Timeout = TimeoutMs });
            var paused = await SidesAsync(page);
            output.WriteLine($"after the reload: {string.Join(", ", paused.Select(s => $"{s.State} at {s.Step}"))}");
            Assert.Equal("Resume both", (await page.GetByTestId("compare-start").InnerTextAsync()).Trim());

            stage("seeing both runs' history: loss chart points and sample grids");
            await page.WaitForFunctionAsync($"() => ({CompareLossPointsJs})().every(n => n > 0)", null, new() { Timeout = TimeoutMs });
            var points = await page.EvaluateAsync<int[]>(CompareLossPointsJs);
            foreach (var img in await page.GetByTestId("compare-samples").AllAsync())
                Assert.StartsWith("data:image/png;base64,", await img.GetAttributeAsync("src"));

            stage("pressing Resume both and seeing both runs go on");
            await page.GetByTestId("compare-start").ClickAsync();
            await page.WaitForFunctionAsync($"p => ({CompareSidesJs})().every((s, i) => s.step > p[i])",
                paused.Select(s => s.Step).ToArray(), new() { Timeout = TimeoutMs });
            await page.WaitForFunctionAsync($"p => ({CompareLossPointsJs})().every((n, i) => n > p[i])", points, new() { Timeout = TimeoutMs });

            stage("checking on the Runs page that they are two runs, not four");
            await page.GotoAsync(new Uri(app.BaseUrl, "/runs").ToString());
            await page.Locator("[data-testid=runs-row]").First.WaitForAsync();
            Assert.Equal(2, await page.Locator("[data-testid=runs-row]").CountAsync());
        });
        Directory.Delete(content, recursive: true);
    }
}
