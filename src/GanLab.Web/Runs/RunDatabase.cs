using GanLab.Web.Training;

namespace GanLab.Web.Runs;

/// <summary>Opens the runs database when the server starts: creates or migrates it, then closes the books of the last server.</summary>
public static class RunDatabase
{
    public const string FileName = "runs.db";

    public static RunStore Open(GanLabWebOptions options, ILogger logger)
    {
        var store = new RunStore(Path.Combine(options.DataFolder, FileName), options.MaxSnapshotsPerRun);
        foreach (var migration in store.Migrate())
            logger.LogInformation("Runs database {Path}: applied migration {Version} ({Description})", store.DatabasePath, migration.Version, migration.Description);
        var interrupted = store.MarkInterrupted(DateTimeOffset.UtcNow);
        if (interrupted > 0) logger.LogInformation("{Count} run(s) of the previous server marked interrupted", interrupted);
        return store;
    }
}

/// <summary>On shutdown, ends every run still going as interrupted, before the recorder writes its last batch.</summary>
public sealed class InterruptRunsOnShutdown(TrainingService training) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => training.InterruptAllAsync().WaitAsync(cancellationToken);
}
