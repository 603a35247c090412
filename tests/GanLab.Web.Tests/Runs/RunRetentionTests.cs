using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.Extensions.Logging;

namespace GanLab.Web.Tests.Runs;

/// <summary>The retention sweep on a real SQLite file and real checkpoint files, with a clock the test sets.</summary>
public sealed class RunRetentionTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("ganlab-retention-test-").FullName;
    private readonly RunStore _store;
    private readonly ListLogger _log = new();
    private readonly HashSet<string> _active = [];

    public RunRetentionTests()
    {
        _store = new RunStore(Path.Combine(_folder, "runs.db"));
        _store.Migrate();
        Directory.CreateDirectory(CheckpointFolder);
    }

    private string CheckpointFolder => Path.Combine(_folder, "runs");

    private RunRetention Retention(TimeSpan? keepFor, int? keepPerBrowser) =>
        new(_store, new RetentionPolicy(keepFor, keepPerBrowser), CheckpointFolder, _active.Contains, new FixedClock(Now), _log);

    /// <summary>A run of <paramref name="browser"/> created <paramref name="daysAgo"/> days ago and ended a minute later.</summary>
    private RunRecord Ended(string id, double daysAgo, string browser = "b1", RunStatus status = RunStatus.Finished, bool checkpoint = false)
    {
        var created = Now.AddDays(-daysAgo);
        string? path = null;
        if (checkpoint)
        {
            path = Path.Combine(CheckpointFolder, $"{id}.ganlab");
            File.WriteAllBytes(path, [1, 2, 3]);
        }
        var run = new RunRecord(id, browser, new GanTrainingOptions(), status, created, created, created.AddMinutes(1), null, 10, null, path);
        _store.Write([
            new RunWrite.Run(run),
            new RunWrite.Metric(id, new TrainingProgress(10, 0, 1, 1, 0.5, 0.5, 0.5, 100, TimeSpan.FromSeconds(1))),
            new RunWrite.Snapshot(id, 10, [0x89]),
        ]);
        return run;
    }

    [Fact]
    public void Runs_that_ended_before_the_age_limit_go_with_their_metrics_grids_and_checkpoint_and_the_log_names_them()
    {
        Ended("old", daysAgo: 40, checkpoint: true);
        Ended("recent", daysAgo: 5, checkpoint: true);

        var removed = Retention(TimeSpan.FromDays(30), null).Sweep();

        Assert.Equal(["old"], removed.Select(r => r.Id));
        Assert.Null(_store.Find("old"));
        Assert.Equal(0, _store.MetricCount("old"));
        Assert.Empty(_store.SnapshotSteps("old"));
        Assert.False(File.Exists(Path.Combine(CheckpointFolder, "old.ganlab")));
        Assert.NotNull(_store.Find("recent"));
        Assert.True(File.Exists(Path.Combine(CheckpointFolder, "recent.ganlab")));
        Assert.Contains(_log.Lines, line => line.Contains("run old of browser b1") && line.Contains("finished"));
        Assert.Contains(_log.Lines, line => line.Contains("removed 1 run(s) and 1 checkpoint file(s)"));
    }

    [Fact]
    public void Each_browser_keeps_its_newest_runs_of_each_kind_up_to_the_limit()
    {
        foreach (var day in Enumerable.Range(1, 5)) Ended($"a{day}", daysAgo: day);
        Ended("b1", daysAgo: 9, browser: "b2");
        // Toys are counted apart: three toy runs do not push out browser b1's image runs.
        foreach (var day in Enumerable.Range(1, 3))
            _store.Write([new RunWrite.Run(RunRecord.ForToy($"t{day}", "b1", "toy-2d", new ToyGanOptions(), RunStatus.Cancelled,
                Now.AddDays(-day), finishedUtc: Now.AddDays(-day)))]);

        var removed = Retention(null, keepPerBrowser: 2).Sweep();

        Assert.Equal(["a5", "a4", "t3", "a3"], removed.Select(r => r.Id)); // oldest first
        Assert.Equal(["a1", "a2", "t1", "t2"], _store.RunsOf("b1").Select(r => r.Id).Order());
        Assert.NotNull(_store.Find("b1"));
    }

    [Fact]
    public void A_run_going_is_never_deleted_however_old_nor_a_run_that_just_ended()
    {
        var ancient = Now.AddDays(-400);
        _store.Write([
            new RunWrite.Run(new RunRecord("paused", "b1", new GanTrainingOptions(), RunStatus.Paused, ancient, ancient)),
            new RunWrite.Run(new RunRecord("queued", "b1", new GanTrainingOptions(), RunStatus.Queued, ancient)),
            new RunWrite.Run(RunRecord.ForToy("toy", "b1", "toy-2d", new ToyGanOptions(), RunStatus.Running, ancient, ancient)),
            // Created long ago, ended ten minutes ago: within the grace, whatever the rules say.
            new RunWrite.Run(new RunRecord("just-ended", "b1", new GanTrainingOptions(), RunStatus.Finished, ancient, ancient, Now.AddMinutes(-10))),
        ]);
        // The database says ended, but this server still has it going (a write on its way): it stays.
        Ended("live-here", daysAgo: 400);
        _active.Add("live-here");
        Ended("gone", daysAgo: 400);

        var removed = Retention(TimeSpan.FromDays(1), keepPerBrowser: 1).Sweep();

        Assert.Equal(["gone"], removed.Select(r => r.Id));
        Assert.All(["paused", "queued", "toy", "just-ended", "live-here"], id => Assert.NotNull(_store.Find(id)));
    }

    [Fact]
    public void A_checkpoint_path_outside_the_servers_folder_is_left_alone()
    {
        var outside = Path.Combine(_folder, "precious.ganlab");
        File.WriteAllBytes(outside, [1]);
        var created = Now.AddDays(-90);
        _store.Write([new RunWrite.Run(new RunRecord("odd", "b1", new GanTrainingOptions(), RunStatus.Finished, created, created, created, null, 0, null, outside))]);
        // The file the server would have saved it as is deleted even though the row does not name it.
        File.WriteAllBytes(Path.Combine(CheckpointFolder, "odd.ganlab"), [1]);

        Retention(TimeSpan.FromDays(30), null).Sweep();

        Assert.Null(_store.Find("odd"));
        Assert.True(File.Exists(outside));
        Assert.False(File.Exists(Path.Combine(CheckpointFolder, "odd.ganlab")));
        Assert.Contains(_log.Lines, line => line.Contains("outside") && line.Contains("left alone"));
    }

    [Fact]
    public void A_policy_of_zeros_keeps_everything()
    {
        Ended("old", daysAgo: 4000);
        var policy = RetentionPolicy.From(new GanLabWebOptions { KeepRunsDays = 0, KeepRunsPerBrowser = 0 });

        Assert.True(policy.KeepsEverything);
        Assert.Empty(new RunRetention(_store, policy, CheckpointFolder, _ => false, new FixedClock(Now), _log).Sweep());
        Assert.NotNull(_store.Find("old"));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private sealed class ListLogger : ILogger<RunRetention>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines) Lines.Add(formatter(state, exception));
        }
    }
}
