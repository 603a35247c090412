using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using GanLab.Core.Toys;
using GanLab.Web.Hosting;
using GanLab.Web.Training;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Runs;

/// <summary>
/// The hook benchmarks/classroom_load.py drives the server through, on only when GanLab:LoadTestHooks is true.
/// A simulated student has a cookie like a browser and starts a run exactly as the trainer's Train does
/// (TrainingService.CreateRun: same validation, scheduler, per-browser cap, recorder), left to finish, because a
/// script has no page to stay on. Driving thirty real Blazor circuits from a script would mean reimplementing
/// SignalR's binary protocol, and thirty chromium pages do not fit on two cores beside the server they measure.
/// </summary>
public static class LoadTestEndpoints
{
    public static WebApplication MapLoadTestHooks(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<GanLabWebOptions>>().Value.LoadTestHooks) return app;
        app.Logger.LogWarning("GanLab:LoadTestHooks is on: /load-test/runs and /load-test/toys let any client start training. Never use this for a class.");
        var hooks = app.MapGroup("/load-test/runs");

        // POST /load-test/runs?maxSteps=300&batchSize=64…: the query is a trainer link's (TrainerLink).
        hooks.MapPost("/", (HttpContext http, TrainingService training) =>
        {
            var (options, problems) = TrainerLink.Parse(http.Request.Query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.ToString())));
            if (problems.Count > 0) return Results.BadRequest(string.Join("; ", problems));
            if (options.MaxSteps is null) return Results.BadRequest("a load-test run needs maxSteps, so that it ends by itself");
            try
            {
                var run = training.CreateRun(options, BrowserId.Of(http));
                run.LetFinish = true;
                return Results.Json(new { id = run.Id, status = run.Status.Name(), queuePosition = run.QueuePosition }, statusCode: StatusCodes.Status201Created);
            }
            catch (RunQueueFullException ex)
            {
                return Results.Json(new { error = ex.Message }, statusCode: StatusCodes.Status429TooManyRequests);
            }
        });

        hooks.MapGet("/{id}", (string id, HttpContext http, TrainingService training, RunStore store) =>
        {
            if (training.FindActive(id) is { } run && run.BrowserId == BrowserId.Of(http))
                return Results.Json(new { id, status = run.Status.Name(), step = run.LastProgress?.Step ?? 0, queuePosition = run.QueuePosition });
            if (store.Find(id) is { } record && record.BrowserId == BrowserId.Of(http))
                return Results.Json(new { id, status = record.Status.Name(), step = record.Steps, queuePosition = (int?)null });
            return Results.NotFound();
        });

        // A student leaving the page before the end.
        hooks.MapDelete("/{id}", async (string id, HttpContext http, TrainingService training) =>
        {
            if (training.FindActive(id) is not { } run || run.BrowserId != BrowserId.Of(http)) return Results.NotFound();
            await run.EndAsync(RunStatus.Cancelled, "The page was closed while the run was going.");
            return Results.NoContent();
        });
        MapToyHooks(app);
        return app;
    }

    /// <summary>
    /// POST /load-test/toys?distribution=ring-8&amp;seconds=20: a student plays a toy-2d for that long, then closes the page
    /// (the run ends Cancelled, as a closed page's toy does). The toy goes through TrainingService.CreateToyRun, the
    /// scheduler and the recorder exactly as the component's Play does. GET /load-test/toys/{id} reads its state.
    /// </summary>
    private static void MapToyHooks(WebApplication app)
    {
        var toys = app.MapGroup("/load-test/toys");
        // What each student would have seen, kept after the toy's page closes (a load test's few dozen entries).
        var watches = new ConcurrentDictionary<string, ToyWatch>();
        toys.MapPost("/", async (HttpContext http, TrainingService training, IHostApplicationLifetime lifetime) =>
        {
            var query = http.Request.Query;
            var options = new ToyGanOptions
            {
                Distribution = query.TryGetValue("distribution", out var d) ? d.ToString() : "ring-8",
                Seed = int.TryParse(query["seed"], out var seed) ? seed : 1,
            };
            if (options.Validate() is { Count: > 0 } problems) return Results.BadRequest(string.Join("; ", problems));
            if (!double.TryParse(query["seconds"], CultureInfo.InvariantCulture, out var seconds) || seconds is <= 0 or > 600)
                return Results.BadRequest("seconds must be a number in (0, 600]: how long the student plays before closing the page");
            var toy = training.CreateToyRun(BrowserId.Of(http), "toy-2d", options, ModeCoverage.PublishedSampleCount);
            var watch = new ToyWatch();
            toy.Frame += _ => watch.Saw();
            toy.StateChanged += () => watch.Updated(toy.Turns);
            void OnQueueMoved() => watch.Placed(toy.QueuePosition);
            training.Scheduler.Changed += OnQueueMoved;
            await toy.PlayAsync();
            if (toy.Refusal is { } refusal)
            {
                training.Scheduler.Changed -= OnQueueMoved;
                await toy.DisposeAsync();
                return Results.Json(new { error = refusal }, statusCode: StatusCodes.Status429TooManyRequests);
            }
            _ = Task.Run(async () =>
            {
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(seconds), lifetime.ApplicationStopping);
                }
                catch (OperationCanceledException)
                {
                    // The server is stopping: it interrupts every toy itself.
                }
                training.Scheduler.Changed -= OnQueueMoved;
                await toy.DisposeAsync();
            });
            if (toy.Record?.Id is { } id) watches[id] = watch;
            return Results.Json(new { id = toy.Record?.Id, status = toy.Status.ToString() }, statusCode: StatusCodes.Status201Created);
        });

        toys.MapGet("/{id}", (string id, HttpContext http, TrainingService training, RunStore store) =>
        {
            var seen = watches.TryGetValue(id, out var watch) ? watch.Seen() : new ToySeen(0, null, null, null, 0, 0, null);
            if (training.FindActiveToy(id) is { } toy && toy.BrowserId == BrowserId.Of(http))
                return Results.Json(new { id, status = toy.LiveStatus?.Name() ?? "queued", step = toy.LastFrame?.Progress.Step ?? 0, seen });
            if (store.Find(id) is { } record && record.BrowserId == BrowserId.Of(http))
                return Results.Json(new { id, status = record.Status.Name(), step = record.Steps, seen });
            return Results.NotFound();
        });
    }

    /// <summary>
    /// What a toy's page would have seen: its frames, its other updates (<see cref="ToyRun.StateChanged"/>, each a
    /// re-render), and for comparison how often its place in line moved (each was a re-render while the page showed it).
    /// </summary>
    private sealed record ToySeen(int Frames, double? FirstFrameMs, double? TypicalStillMs, double? LongestStillMs,
        int PageUpdates, int PlaceMoves, double? ShownEverySeconds);

    /// <summary>
    /// When a toy's frames came, as its page would have drawn them: how long after Play the first one came, and how long
    /// the picture stood still between turns, typically (the median) and at worst. Within a turn a frame comes at least
    /// every <see cref="ToyRun.FrameInterval"/>, so only longer gaps are waits for the next turn. Besides frames: the
    /// page's other updates, the moves of its place in line, and the last rhythm the student was told.
    /// </summary>
    private sealed class ToyWatch
    {
        private int _updates;
        private int _placeMoves;
        private int? _place;
        private double? _shownEvery;

        public void Updated(ToyTurns? turns)
        {
            lock (_gate)
            {
                _updates++;
                if (turns is { Position: null } shown) _shownEvery = shown.Every.TotalSeconds;
            }
        }

        public void Placed(int? place)
        {
            lock (_gate)
            {
                if (place != _place) _placeMoves++;
                _place = place;
            }
        }

        private readonly Lock _gate = new();
        private readonly long _played = Stopwatch.GetTimestamp();
        private readonly List<double> _stills = [];
        private long? _last;
        private double? _first;
        private int _frames;

        public void Saw()
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (_last is { } last)
                {
                    var gap = Stopwatch.GetElapsedTime(last, now);
                    if (gap > ToyRun.FrameInterval * 1.5) _stills.Add(gap.TotalMilliseconds);
                }
                else _first = Stopwatch.GetElapsedTime(_played, now).TotalMilliseconds;
                _last = now;
                _frames++;
            }
        }

        public ToySeen Seen()
        {
            lock (_gate)
            {
                var stills = _stills.Order().ToArray();
                return new ToySeen(_frames, _first is { } f ? Math.Round(f) : null,
                    stills.Length > 0 ? Math.Round(stills[stills.Length / 2]) : null, stills.Length > 0 ? Math.Round(stills[^1]) : null,
                    _updates, _placeMoves, _shownEvery);
            }
        }
    }
}
