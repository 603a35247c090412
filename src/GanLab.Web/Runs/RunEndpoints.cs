using System.Text;
using GanLab.Core.Training;
using GanLab.Web.Hosting;

namespace GanLab.Web.Runs;

/// <summary>
/// Downloads of a stored run: its latest (or a given) sample grid as PNG, its metrics as the CSV `ganlab train`
/// writes, its checkpoint file. Each answers only the browser that owns the run; to anyone else the run does not
/// exist (404), so ids cannot be probed.
/// </summary>
public static class RunEndpoints
{
    public static WebApplication MapRunExports(this WebApplication app)
    {
        var runs = app.MapGroup("/runs/{id}");

        runs.MapGet("/grid.png", (string id, long? step, HttpContext http, RunStore store) =>
        {
            if (OwnedRun(id, http, store) is not { } run) return NotFound();
            if (run.Kind == RunKind.Toy) return ToyKeepsNone();
            if (store.Snapshot(run.Id, step) is not { } grid)
                return Results.NotFound(step is null ? "This run has no sample grid yet." : $"This run has no sample grid at step {step}.");
            return Results.File(grid.Png, "image/png", $"{FilePrefix(run)}-step{grid.Step}.png");
        });

        runs.MapGet("/metrics.csv", (string id, HttpContext http, RunStore store) =>
        {
            if (OwnedRun(id, http, store) is not { } run) return NotFound();
            if (run.Kind == RunKind.Toy) return ToyKeepsNone();
            var csv = new StringBuilder(TrainingMetricsCsv.Header).Append('\n');
            foreach (var row in store.Metrics(run.Id)) csv.Append(TrainingMetricsCsv.Row(row)).Append('\n');
            return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"{FilePrefix(run)}-metrics.csv");
        });

        runs.MapGet("/checkpoint", (string id, HttpContext http, RunStore store) =>
        {
            if (OwnedRun(id, http, store) is not { } run) return NotFound();
            if (run.Kind == RunKind.Toy) return ToyKeepsNone();
            if (run.CheckpointPath is not { } path || !File.Exists(path))
                return Results.NotFound("This run has no checkpoint: only finished runs keep one.");
            return Results.File(path, "application/octet-stream", $"{FilePrefix(run)}.ganlab");
        });
        return app;
    }

    private static RunRecord? OwnedRun(string id, HttpContext http, RunStore store) =>
        store.Find(id) is { } run && run.BrowserId == BrowserId.Of(http) ? run : null;

    private static IResult ToyKeepsNone() =>
        Results.NotFound("This is a toy run: only its settings, status and last numbers are kept, no sample grids, metric series or checkpoint.");

    private static IResult NotFound() => Results.NotFound("No run with this id belongs to this browser.");

    /// <summary>"ganlab-mlp-gan-mnist-1a2b3c4d": what the file is, and which run.</summary>
    public static string FilePrefix(RunRecord run) => $"ganlab-{run.Options.Model}-{run.Options.Dataset}-{run.Id[..8]}";
}
