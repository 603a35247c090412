using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// An instructor's view, in a real browser against the real server with a lesson folder of the
/// test's own: a saved edit appears on the open page while a training run in it goes on; a bad
/// block shows an error box and the rest of the page still trains; the layout of every lesson and
/// of the authoring reference holds from a 1024 px screen down to a 375 px phone.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class AuthoringEndToEndTests(ITestOutputHelper output) : IDisposable
{
    // The step the trainer's status shows, or -1.
    private const string StatusStepJs = """
        () => {
          const el = document.querySelector('[data-testid="trainer-status"]');
          const m = el && /step\D{0,3}(\d[\d,\u202f ]*)/i.exec(el.innerText || '');
          return m ? parseInt(m[1].replace(/[^\d]/g, ''), 10) : -1;
        }
        """;

    private readonly string _content = Directory.CreateTempSubdirectory("ganlab-e2e-content-").FullName;

    public void Dispose() => Directory.Delete(_content, recursive: true);

    private string CopyCourse()
    {
        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebAppProcess.RepositoryRoot(), "content"), "*.md"))
            File.Copy(file, Path.Combine(_content, Path.GetFileName(file)));
        return $"--GanLab:Content={_content}";
    }

    [ChromiumFact]
    public async Task A_saved_edit_shows_on_the_open_page_while_its_trainer_keeps_training()
    {
        await using var app = await WebAppProcess.StartAsync(null, CopyCourse());
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        var lessonFile = Path.Combine(_content, "01-what-is-a-gan.md");

        await browser.RunAsync(page, app, output, "authoring-failure", async stage =>
        {
            stage("opening the first lesson and waiting for the live page (the outline shows progress once the circuit runs)");
            await page.GotoAsync(new Uri(app.BaseUrl, "lessons/what-is-a-gan").ToString());
            await page.GetByTestId("outline-progress").WaitForAsync();
            // Survives only if the page is never reloaded.
            await page.EvaluateAsync("() => { window.__sameDocument = true; }");

            stage("training, so the edit has a run to keep");
            await TestBrowser.StartTrainingAsync(page, output);
            await page.WaitForFunctionAsync($"() => ({StatusStepJs})() > 0", null, new() { Timeout = TestBrowser.TrainingTimeoutMs });

            stage("saving an edit of the title and a paragraph (not the trainer's block)");
            var text = await File.ReadAllTextAsync(lessonFile);
            text = text.Replace("title: What is a GAN?", "title: What is a GAN? (edited live)")
                .Replace("## The value function", "A paragraph added while the page was open.\n\n## The value function");
            await File.WriteAllTextAsync(lessonFile, text);
            var saved = Stopwatch.StartNew();

            stage("waiting for the heading and the new paragraph to appear without a reload");
            await page.WaitForFunctionAsync(
                "() => document.querySelector('[data-testid=lesson-title]')?.innerText === 'What is a GAN? (edited live)'",
                null, new() { Timeout = 10_000 });
            output.WriteLine($"edit shown {saved.Elapsed.TotalMilliseconds:0} ms after saving");
            Assert.Contains("A paragraph added while the page was open.", await page.GetByTestId("lesson-body").InnerTextAsync());
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page was reloaded");
            // The outline follows the new title too.
            await page.Locator("[data-testid=outline-lesson][data-slug=what-is-a-gan]", new() { HasText = "(edited live)" }).WaitForAsync();

            stage("checking the trainer kept its run: still running, the step count going on from where it was");
            var step = await page.EvaluateAsync<int>(StatusStepJs);
            Assert.True(step > 0, $"the trainer was reset by the edit (step {step})");
            Assert.DoesNotMatch("Idle", await page.GetByTestId("trainer-status").InnerTextAsync());
            await page.WaitForFunctionAsync($"n => ({StatusStepJs})() > n", step, new() { Timeout = TestBrowser.TrainingTimeoutMs });
            await page.GetByTestId("trainer-stop").ClickAsync();
        });
    }

    [ChromiumFact]
    public async Task A_bad_block_shows_an_error_box_and_the_rest_of_the_page_still_trains()
    {
        File.WriteAllText(Path.Combine(_content, "01-broken.md"), """
            ---
            title: A lesson with mistakes
            summary: One bad block, one good trainer.
            order: 1
            minutes: 5
            ---

            Prose before the mistakes, with math: $D(G(z))$.

            ```gan-trainer
            real-label: 2
            ```

            ```gan-sampler
            seed: 1
            ```

            The trainer below is fine.

            ```gan-trainer
            seed: 7
            ```
            """);
        await using var app = await WebAppProcess.StartAsync(null, $"--GanLab:Content={_content}");
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);

        await browser.RunAsync(page, app, output, "authoring-failure", async stage =>
        {
            stage("opening the lesson with the bad blocks");
            await page.GotoAsync(new Uri(app.BaseUrl, "lessons/broken").ToString());

            stage("reading the two error boxes in place");
            var errors = page.GetByTestId("lesson-error");
            await errors.First.WaitForAsync();
            Assert.Equal(2, await errors.CountAsync());
            var first = await errors.Nth(0).InnerTextAsync();
            Assert.Contains("Line 11, parameter 'real-label'", first);
            Assert.Contains("real label 2 must be in (0, 1]", first);
            var second = await errors.Nth(1).InnerTextAsync();
            Assert.Contains("unknown component 'gan-sampler'", second);
            Assert.Contains($"Allowed: {WebTestContext.AllowedComponentNames}.", second);

            stage("checking the rest rendered: prose, typeset math, one trainer");
            Assert.Contains("The trainer below is fine.", await page.GetByTestId("lesson-body").InnerTextAsync());
            await page.Locator(".katex").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
            Assert.Equal(1, await page.GetByTestId("gan-trainer").CountAsync());

            stage("training with the good trainer");
            await TestBrowser.StartTrainingAsync(page, output);
            await page.WaitForFunctionAsync($"() => ({StatusStepJs})() > 0", null, new() { Timeout = TestBrowser.TrainingTimeoutMs });
            await page.GetByTestId("trainer-stop").ClickAsync();
        });
    }

    [ChromiumFact]
    public async Task Lessons_and_the_authoring_reference_fit_a_1024_px_screen_and_a_phone()
    {
        await using var app = await WebAppProcess.StartAsync();
        await using var browser = await TestBrowser.LaunchAsync();
        var folder = Path.Combine(WebAppProcess.RepositoryRoot(), ".ganlab", "e2e");
        Directory.CreateDirectory(folder);
        var pages = CourseLessons().Select(slug => $"lessons/{slug}").Append("authoring").ToList();

        foreach (var (width, height, name) in new[] { (1024, 768, "desktop"), (375, 812, "phone") })
        {
            var page = await browser.NewPageAsync(width, height);
            var stacked = 0;
            await browser.RunAsync(page, app, output, "authoring-failure", async stage =>
            {
                foreach (var address in pages)
                {
                    stage($"opening /{address} at {width}×{height}");
                    await page.GotoAsync(new Uri(app.BaseUrl, address).ToString());
                    await page.GetByTestId("outline-progress").WaitForAsync();
                    // Widths are final once the math is typeset and the layer tables are traced.
                    await page.WaitForFunctionAsync("() => !document.querySelector('.math:not([data-typeset]), [data-testid=architecture-pending]')");
                    // Let plotly size its charts to the column before measuring.
                    await page.WaitForTimeoutAsync(500);

                    stage($"checking /{address} at {width}×{height} has no sideways scrolling");
                    var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
                    var tables = await TableLayout.MeasureAsync(page);
                    var path = Path.Combine(folder, $"layout-{address.Replace('/', '-')}-{name}.png");
                    await page.ScreenshotAsync(new() { Path = path, FullPage = true });
                    output.WriteLine($"{path}: page is {overflow} px wider than the {width} px window; tables: {string.Join("; ", tables.AsEnumerable())}");
                    Assert.True(overflow <= 0, $"/{address} at {width}×{height} scrolls sideways by {overflow} px (see {path})");
                    TableLayout.Check(tables, width, $"/{address} at {width} px (see {path})");
                    stacked += tables.Count(table => table.Stacks);
                }
            });
            // The lessons' tables of results and every parameter table: a check that met none would prove nothing.
            Assert.True(stacked >= 20, $"only {stacked} tables of class stack-on-phone at {width} px");
            await page.CloseAsync();
        }
    }

    /// <summary>The slug of every lesson of the course.</summary>
    private static IEnumerable<string> CourseLessons() =>
        Directory.EnumerateFiles(Path.Combine(WebAppProcess.RepositoryRoot(), "content"), "*.md").Order()
            .Select(path => GanLab.Web.Lessons.LessonCatalog.SlugOf(Path.GetFileName(path)))
            .OfType<string>();

    /// <summary>
    /// The button that starts each kind of experiment, the status line that shows it started, and the button that ends
    /// it again: a browser may have only MaxRunsPerBrowser runs at once, as a student may.
    /// </summary>
    private static readonly (string Start, string Status, int StatusesEach, string End)[] ExperimentControls =
        [("trainer-start", "trainer-status", 1, "trainer-reset"), ("toy-play", "toy-status", 1, "toy-pause"), ("compare-start", "compare-status", 2, "compare-reset")];

    [ChromiumFact]
    public async Task Every_lesson_loads_typesets_its_math_and_starts_its_experiments()
    {
        await using var app = await WebAppProcess.StartAsync();
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.NewPageAsync(1280, 900);
        await browser.RunAsync(page, app, output, "authoring-failure", async stage =>
        {
            foreach (var slug in CourseLessons())
            {
                stage($"opening {slug}");
                await page.GotoAsync(new Uri(app.BaseUrl, $"lessons/{slug}").ToString());
                await page.GetByTestId("lesson-title").WaitForAsync();
                Assert.Equal(0, await page.GetByTestId("lesson-error").CountAsync());
                // Markdig marks the maths it found (not dollar signs in code) with class "math"; KaTeX typesets each.
                if (await page.Locator(".math").CountAsync() > 0)
                {
                    stage($"waiting for KaTeX to typeset {slug}'s math");
                    await page.Locator(".katex").First.WaitForAsync(new() { State = WaitForSelectorState.Attached });
                }
                foreach (var (start, status, statusesEach, end) in ExperimentControls)
                {
                    var buttons = page.GetByTestId(start);
                    var experiments = await buttons.CountAsync();
                    for (var i = 0; i < experiments; i++)
                    {
                        stage($"starting {slug}'s experiment {start} #{i + 1}");
                        // A started toy's Play turns into Pause: the buttons not yet pressed are the last ones left.
                        var left = await buttons.CountAsync();
                        // A comparison shows a status line per side: its first is the left run's.
                        var statusLine = page.GetByTestId(status).Nth(i * statusesEach);
                        await StartExperimentAsync(buttons.Nth(left - (experiments - i)), statusLine);
                        // A playing toy's Pause is the only one on the page; the other components keep theirs in place.
                        var stop = end == "toy-pause" ? page.GetByTestId(end).First : page.GetByTestId(end).Nth(i);
                        await stop.ClickAsync(new() { Timeout = 10_000 });
                        // Reset hands the runs back to the scheduler before the page says Idle again.
                        if (end != "toy-pause")
                            await Assertions.Expect(statusLine).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^Idle"), new() { Timeout = 30_000 });
                    }
                }
            }
        });
    }

    /// <summary>Clicks an experiment's start button until its status line changes ("queued" counts: the scheduler has the run).</summary>
    private async Task StartExperimentAsync(ILocator start, ILocator status)
    {
        await start.WaitForAsync();
        var before = await status.InnerTextAsync();
        await TestBrowser.ClickUntilAsync(start, () => Assertions.Expect(status).Not.ToHaveTextAsync(before, new() { Timeout = 5_000 }), output);
    }
}
