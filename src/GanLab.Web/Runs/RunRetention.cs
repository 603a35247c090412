using GanLab.Web.Training;

namespace GanLab.Web.Runs;

/// <summary>
/// How long the server keeps ended runs (<see cref="GanLabWebOptions.KeepRunsDays"/>, <see cref="GanLabWebOptions.KeepRunsPerBrowser"/>).
/// Null leaves a rule out.
/// </summary>
public sealed record RetentionPolicy(TimeSpan? KeepFor, int? KeepPerBrowser)
{
    public static RetentionPolicy From(GanLabWebOptions options) => new(
        options.KeepRunsDays > 0 ? TimeSpan.FromDays(options.KeepRunsDays) : null,
        options.KeepRunsPerBrowser > 0 ? options.KeepRunsPerBrowser : null);

    public bool KeepsEverything => KeepFor is null && KeepPerBrowser is null;

    public override string ToString() =>
        $"{(KeepFor is { } days ? $"{days.TotalDays:0.##} days" : "no age limit")}, {(KeepPerBrowser is { } n ? $"the newest {n} per browser and kind" : "no count limit")}";
}

/// <summary>
/// Deletes ended runs the <see cref="RetentionPolicy"/> lets go: their rows, metric series and sample grids, and their
/// checkpoint files. A run is never deleted while it is queued, running or paused, in the database or on this server
/// (<paramref name="isActive"/>), nor within <see cref="Grace"/> of its end: a student who just finished a run still
/// opens it, and the recorder may still be writing its last rows.
/// </summary>
/// <param name="checkpointFolder">Where the server writes checkpoints: only files in it are deleted, whatever a row says.</param>
public sealed class RunRetention(RunStore store, RetentionPolicy policy, string checkpointFolder, Func<string, bool> isActive,
    TimeProvider clock, ILogger<RunRetention> logger)
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private readonly string _checkpointFolder = Path.GetFullPath(checkpointFolder);

    public RetentionPolicy Policy => policy;

    /// <summary>Deletes what the policy lets go and logs each run removed; returns them.</summary>
    public IReadOnlyList<RunRecord> Sweep()
    {
        if (policy.KeepsEverything) return [];
        var now = clock.GetUtcNow();
        var expired = store.ExpiredRuns(now - policy.KeepFor, policy.KeepPerBrowser, now - Grace)
            .Where(run => !isActive(run.Id))
            .ToList();
        if (expired.Count == 0) return [];
        store.Delete(expired.Select(run => run.Id));
        var files = expired.Sum(DeleteCheckpoints);
        foreach (var run in expired)
            logger.LogInformation("Retention removed {Kind} run {Id} of browser {Browser} ({Status}, created {Created:u}, ended {Ended:u})",
                run.Kind.Name(), run.Id, run.BrowserId, run.Status.Name(), run.CreatedUtc, run.FinishedUtc);
        logger.LogInformation("Retention ({Policy}) removed {Count} run(s) and {Files} checkpoint file(s)", policy, expired.Count, files);
        return expired;
    }

    /// <summary>
    /// The run's recorded checkpoint, and the file the server would have saved it as (a run evicted from memory just
    /// before a crash may have one its row does not name yet).
    /// </summary>
    private int DeleteCheckpoints(RunRecord run)
    {
        var deleted = 0;
        string?[] candidates = [run.CheckpointPath, Path.Combine(_checkpointFolder, $"{run.Id}.ganlab")];
        foreach (var path in candidates.OfType<string>().Select(Path.GetFullPath).Distinct())
        {
            if (!File.Exists(path)) continue;
            if (!string.Equals(Path.GetDirectoryName(path), _checkpointFolder, StringComparison.Ordinal))
            {
                logger.LogWarning("Run {Id} names the checkpoint {Path}, outside {Folder}; it is left alone", run.Id, path, _checkpointFolder);
                continue;
            }
            try
            {
                File.Delete(path);
                deleted++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Could not delete the checkpoint {Path} of removed run {Id}", path, run.Id);
            }
        }
        return deleted;
    }
}

/// <summary>Runs the retention sweep when the server starts and then every <see cref="GanLabWebOptions.RetentionIntervalMinutes"/>.</summary>
public sealed class RunRetentionService(RunRetention retention, Microsoft.Extensions.Options.IOptions<GanLabWebOptions> options,
    ILogger<RunRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (retention.Policy.KeepsEverything)
        {
            logger.LogInformation("Retention: runs are kept forever (GanLab:KeepRunsDays and GanLab:KeepRunsPerBrowser are 0)");
            return;
        }
        logger.LogInformation("Retention: ended runs are kept {Policy}; swept at start and every {Minutes} min",
            retention.Policy, options.Value.RetentionIntervalMinutes);
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.RetentionIntervalMinutes));
        try
        {
            do
            {
                try
                {
                    // Off the host's start-up thread: the first sweep of a large database deletes many rows.
                    await Task.Run(retention.Sweep, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Broad on purpose: a locked or damaged database costs disk space, never the server.
                    logger.LogError(e, "The retention sweep failed; it is tried again in {Minutes} min", options.Value.RetentionIntervalMinutes);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // The server is stopping.
        }
    }
}
