using Microsoft.Playwright;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace GanLab.Web.Tests.EndToEnd;

/// <summary>
/// Two classroom moments in chromium against the real server: a second student's run waits with its queue
/// position while the only slot is taken, and a server restart keeps a student's history (a finished run intact,
/// the run that was training marked interrupted).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RunsEndToEndTests(ITestOutputHelper output)
{
    private const float TimeoutMs = 90_000;

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright) => TestBrowser.LaunchChromiumAsync(playwright);

    private static async Task<IPage> OpenTrainerAsync(IBrowserContext context, WebAppProcess app, string query = "")
    {
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(TimeoutMs);
        await page.GotoAsync(new Uri(app.BaseUrl, "/trainer" + query).ToString());
        return page;
    }

    private static Task WaitForStatusAsync(IPage page, string pattern) => page.WaitForFunctionAsync(
        "re => new RegExp(re, 'i').test(document.querySelector('[data-testid=\"trainer-status\"]')?.innerText ?? '')",
        pattern, new() { Timeout = TimeoutMs });

    [ChromiumFact]
    public async Task A_run_waiting_for_the_only_slot_shows_its_queue_position_then_trains()
    {
        // A quantum longer than the test: Bob must wait for Alice's Stop, not for her time slice to end.
        await using var app = await WebAppProcess.StartAsync(null, "--GanLab:MaxConcurrentRuns=1", "--GanLab:QuantumSeconds=3600");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        // Two browser contexts: two students, two browser id cookies.
        await using var alice = await browser.NewContextAsync();
        await using var bob = await browser.NewContextAsync();
        IPage? page = null;
        var stage = "Alice opens a trainer and trains";
        try
        {
            var first = page = await OpenTrainerAsync(alice, app, "?batchSize=16");
            await TestBrowser.StartTrainingAsync(first, output);
            await WaitForStatusAsync(first, "^running · step [1-9]");

            stage = "Bob trains too and waits with his queue position";
            var second = page = await OpenTrainerAsync(bob, app, "?batchSize=16");
            await TestBrowser.StartTrainingAsync(second, output);
            await second.GetByTestId("trainer-queue-position").WaitForAsync();
            Assert.Equal("· queued: position 1", (await second.GetByTestId("trainer-queue-position").InnerTextAsync()).Trim());
            Assert.Matches("(?i)^queued", await second.GetByTestId("trainer-status").InnerTextAsync());

            stage = "Alice stops; Bob's run gets the slot";
            page = first;
            await first.GetByTestId("trainer-stop").ClickAsync();
            page = second;
            await WaitForStatusAsync(second, "^running · step [1-9]");
            Assert.Equal(0, await second.GetByTestId("trainer-queue-position").CountAsync());
        }
        catch (Exception e) when (e is not XunitException && page is not null)
        {
            throw await TestBrowser.FailureAsync(page, app, stage, e, [], "trainer-failure", "trainer-status");
        }
    }

    [ChromiumFact]
    public async Task A_restart_keeps_the_history_and_says_which_run_it_interrupted()
    {
        var data = Directory.CreateTempSubdirectory("ganlab-e2e-restart-").FullName;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        await using var student = await browser.NewContextAsync();
        string finishedId, interruptedId;

        var app = await WebAppProcess.StartAsync(data);
        IPage? page = null;
        var stage = "training a short run to the end";
        try
        {
            page = await OpenTrainerAsync(student, app, "?batchSize=16&maxSteps=20");
            await TestBrowser.StartTrainingAsync(page, output);
            await WaitForStatusAsync(page, "^finished · step 20");

            stage = "starting an open-ended run and killing the server under it";
            page = await OpenTrainerAsync(student, app, "?batchSize=16&seed=9");
            await TestBrowser.StartTrainingAsync(page, output);
            await WaitForStatusAsync(page, "^running · step [1-9]");
            // Another tab: leaving the trainer's page would cancel its run.
            page = await student.NewPageAsync();
            await page.GotoAsync(new Uri(app.BaseUrl, "/runs").ToString());
            await page.Locator("[data-testid=runs-row]").Nth(1).WaitForAsync();
            var ids = await page.Locator("[data-testid=runs-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runId)");
            (interruptedId, finishedId) = (ids[0], ids[1]);
        }
        catch (Exception e) when (e is not XunitException && page is not null)
        {
            throw await TestBrowser.FailureAsync(page, app, stage, e, [], "trainer-failure", "trainer-status");
        }
        finally
        {
            await app.DisposeAsync(); // kills the process tree: no goodbye, as in a crash
        }

        await using var restarted = await WebAppProcess.StartAsync(data);
        stage = "reading the history after the restart";
        try
        {
            page = await student.NewPageAsync();
            page.SetDefaultTimeout(TimeoutMs);
            await page.GotoAsync(new Uri(restarted.BaseUrl, "/runs").ToString());
            await page.Locator("[data-testid=runs-row]").First.WaitForAsync();
            var statuses = await page.Locator("[data-testid=runs-row]").EvaluateAllAsync<string[]>(
                "rows => rows.map(r => r.dataset.runId + ' ' + r.querySelector('[data-testid=runs-status]').textContent)");
            Assert.Equal([$"{interruptedId} interrupted", $"{finishedId} finished"], statuses);

            await page.GotoAsync(new Uri(restarted.BaseUrl, $"/runs/{interruptedId}").ToString());
            Assert.Contains("Interrupted", await page.GetByTestId("run-interrupted").InnerTextAsync());

            await page.GotoAsync(new Uri(restarted.BaseUrl, $"/runs/{finishedId}").ToString());
            Assert.Equal("20", await page.GetByTestId("run-steps").InnerTextAsync());
            await page.GetByTestId("run-grid").WaitForAsync();
            var csv = await page.APIRequest.GetAsync(new Uri(restarted.BaseUrl, $"/runs/{finishedId}/metrics.csv").ToString());
            Assert.Equal(200, csv.Status);
            Assert.Equal(21, (await csv.TextAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // header + 20 steps
            var checkpoint = await page.APIRequest.GetAsync(new Uri(restarted.BaseUrl, $"/runs/{finishedId}/checkpoint").ToString());
            Assert.Equal(200, checkpoint.Status);
        }
        catch (Exception e) when (e is not XunitException && page is not null)
        {
            throw await TestBrowser.FailureAsync(page, restarted, stage, e, [], "trainer-failure", "trainer-status");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}
