using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.Data.Sqlite;

namespace GanLab.Web.Tests.Runs;

/// <summary>The runs database on real SQLite files: schema creation, migration, round trips, a restart's bookkeeping.</summary>
public sealed class RunStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("ganlab-store-test-").FullName;

    private string DatabasePath => Path.Combine(_folder, "runs.db");

    private static RunRecord Record(string id, RunStatus status, string browser = "b1") =>
        new(id, browser, new GanTrainingOptions { Model = "dcgan", Seed = 7, MaxSteps = 500 }, status, T0);

    private static TrainingProgress Step(long step, double lossD = 1.2) =>
        new(step, 0, lossD, 0.7, 0.8, 0.3, 0.35, 1234.5, TimeSpan.FromSeconds(step / 10.0))
        {
            LossDReal = 0.5, LossDFake = 0.7, DAccuracyReal = 0.9, DAccuracyFake = 0.6,
            GradientNormG = 1.5, GradientNormD = 2.5, WassersteinEstimate = 0.45,
        };

    [Fact]
    public void A_new_database_gets_the_latest_schema_and_its_version()
    {
        var store = new RunStore(DatabasePath);

        var applied = store.Migrate();

        Assert.Equal(RunStoreSchema.Migrations.Select(m => m.Version), applied.Select(m => m.Version));
        Assert.Equal(RunStoreSchema.LatestVersion, store.SchemaVersion());
        Assert.Empty(store.Migrate()); // idempotent: a second start applies nothing
        Assert.Equal(["run_metrics", "run_samples", "runs", "schema_version"], Tables());
    }

    [Fact]
    public void A_version_1_database_is_migrated_and_keeps_its_runs()
    {
        var store = new RunStore(DatabasePath);
        store.Migrate(RunStoreSchema.Migrations.Take(1).ToList());
        Assert.Equal(1, store.SchemaVersion());
        // A row as version 1 wrote it: no checkpoint column yet.
        Sql("""
            INSERT INTO runs (id, browser_id, options_json, model, dataset, status, created_utc, steps)
            VALUES ('old', 'b1', '{"Model":"mlp-gan","Seed":3}', 'mlp-gan', 'mnist', 'finished', '2024-12-01T10:00:00.0000000Z', 1500);
            INSERT INTO run_metrics (run_id, step, epoch, loss_d, loss_g) VALUES ('old', 1500, 9, 0.9, 1.8);
            """);

        var applied = store.Migrate();

        Assert.Equal([2, 3], applied.Select(m => m.Version));
        var old = store.Find("old")!;
        Assert.Equal(RunStatus.Finished, old.Status);
        Assert.Equal(1500, old.Steps);
        Assert.Equal(3, old.Options.Seed);
        Assert.Null(old.CheckpointPath);
        Assert.Equal(0.9, Assert.Single(store.Metrics("old")).LossD);
        // What version 2 added works on the migrated file.
        store.Write([new RunWrite.Snapshot("old", 1500, [1, 2, 3])]);
        Assert.Equal([1500L], store.SnapshotSteps("old"));
    }

    [Fact]
    public void A_version_2_database_is_migrated_and_its_runs_read_as_image_runs()
    {
        var store = new RunStore(DatabasePath);
        store.Migrate(RunStoreSchema.Migrations.Take(2).ToList());
        Sql("""
            INSERT INTO runs (id, browser_id, options_json, model, dataset, status, created_utc, steps, checkpoint_path)
            VALUES ('old', 'b1', '{"Model":"dcgan","Seed":3}', 'dcgan', 'mnist', 'finished', '2024-12-01T10:00:00.0000000Z', 1500, '/x.ganlab');
            """);

        Assert.Equal([3], store.Migrate().Select(m => m.Version));

        var old = store.Find("old")!;
        Assert.Equal(RunKind.Image, old.Kind);
        Assert.Null(old.ToyOptions);
        Assert.Equal("dcgan", old.Options.Model);
        Assert.Equal("/x.ganlab", old.CheckpointPath);
    }

    [Fact]
    public void A_toy_run_round_trips_with_its_own_settings_and_lists_as_its_component_on_its_distribution()
    {
        var store = Migrated();
        var toy = new ToyGanOptions { Distribution = "two-moons", Loss = "wgan-gp", Beta2 = 0.9, HiddenSize = 48, Seed = 5 };
        var final = Step(9_000);
        store.Write([new RunWrite.Run(RunRecord.ForToy("t", "b1", "optimal-discriminator", toy, RunStatus.Paused, T0, T0.AddSeconds(2),
            steps: 9_000, finalMetrics: final))]);

        var read = store.Find("t")!;

        Assert.Equal(RunKind.Toy, read.Kind);
        Assert.Equal(toy, read.ToyOptions);
        Assert.Equal(("optimal-discriminator", "two-moons"), (read.Options.Model, read.Options.Dataset));
        Assert.Equal(("wgan-gp", 0.9, 5), (read.Options.Loss, read.Options.Beta2, read.Options.Seed));
        Assert.Equal((RunStatus.Paused, 9_000L, T0.AddSeconds(2)), (read.Status, read.Steps, read.StartedUtc));
        Assert.Equal(final.LossD, read.FinalMetrics!.LossD);
        Assert.Equal(["t"], store.RunsOf("b1").Select(r => r.Id));
    }

    [Fact]
    public void A_database_newer_than_this_GanLab_is_refused_with_what_to_do()
    {
        var store = new RunStore(DatabasePath);
        store.Migrate();
        Sql("UPDATE schema_version SET version = 99;");

        var error = Assert.Throws<InvalidDataException>(() => store.Migrate());

        Assert.Contains("schema version 99, newer than this GanLab knows", error.Message);
        Assert.Contains("GanLab:DataFolder", error.Message);
    }

    [Fact]
    public void A_run_its_metrics_and_its_samples_read_back_as_written()
    {
        var store = Migrated();
        var final = Step(3) with { LossG = double.NaN }; // a diverged step: NaN must survive
        var run = Record("r1", RunStatus.Finished) with
        {
            StartedUtc = T0.AddSeconds(2), FinishedUtc = T0.AddMinutes(5), Steps = 3, FinalMetrics = final,
            Fault = null, CheckpointPath = "/data/runs/r1.ganlab",
        };

        store.Write([new RunWrite.Run(Record("r1", RunStatus.Queued)), .. new[] { 1L, 2, 3 }.Select(s => new RunWrite.Metric("r1", Step(s))),
                     new RunWrite.Snapshot("r1", 0, [0x89, 0x50]), new RunWrite.Snapshot("r1", 3, [0x89, 0x51]), new RunWrite.Run(run)]);

        var back = store.Find("r1")!;
        Assert.Equal(run with { FinalMetrics = null }, back with { FinalMetrics = null });
        Assert.Equal(3, back.FinalMetrics!.Step);
        Assert.True(double.IsNaN(back.FinalMetrics.LossG));
        var metrics = store.Metrics("r1");
        Assert.Equal([1L, 2, 3], metrics.Select(m => m.Step));
        var expected = Step(2);
        Assert.Equal(TrainingMetricsCsv.Row(expected), TrainingMetricsCsv.Row(metrics[1]));
        Assert.Equal([0L, 3], store.SnapshotSteps("r1"));
        Assert.Equal(new byte[] { 0x89, 0x51 }, store.Snapshot("r1")!.Png);
        Assert.Equal(new byte[] { 0x89, 0x50 }, store.Snapshot("r1", 0)!.Png);
        Assert.Null(store.Snapshot("r1", 2));
    }

    [Fact]
    public void A_browser_sees_its_own_runs_newest_first()
    {
        var store = Migrated();
        store.Write([
            new RunWrite.Run(Record("old", RunStatus.Finished) with { CreatedUtc = T0 }),
            new RunWrite.Run(Record("new", RunStatus.Running) with { CreatedUtc = T0.AddHours(1) }),
            new RunWrite.Run(Record("theirs", RunStatus.Running, browser: "b2")),
        ]);

        Assert.Equal(["new", "old"], store.RunsOf("b1").Select(r => r.Id));
        Assert.Equal(["theirs"], store.RunsOf("b2").Select(r => r.Id));
        Assert.Empty(store.RunsOf("nobody"));
    }

    [Fact]
    public void After_a_restart_runs_that_were_going_are_interrupted_and_finished_ones_untouched()
    {
        var store = Migrated();
        store.Write([
            new RunWrite.Run(Record("queued", RunStatus.Queued)),
            new RunWrite.Run(Record("running", RunStatus.Running) with { StartedUtc = T0 }),
            new RunWrite.Run(Record("paused", RunStatus.Paused)),
            new RunWrite.Run(Record("finished", RunStatus.Finished) with { Steps = 500, FinishedUtc = T0.AddMinutes(3) }),
            new RunWrite.Metric("running", Step(41)), new RunWrite.Metric("running", Step(42)),
        ]);

        // A new server opens the same file.
        var restarted = new RunStore(DatabasePath);
        Assert.Empty(restarted.Migrate());
        var marked = restarted.MarkInterrupted(T0.AddHours(1));

        Assert.Equal(3, marked);
        var running = restarted.Find("running")!;
        Assert.Equal(RunStatus.Interrupted, running.Status);
        Assert.Equal("The server stopped while this run was running; its history up to then is kept.", running.Fault);
        Assert.Equal(42, running.Steps); // the last step it recorded
        Assert.Equal(T0.AddHours(1), running.FinishedUtc);
        Assert.Contains("was queued", restarted.Find("queued")!.Fault);
        Assert.Contains("was paused", restarted.Find("paused")!.Fault);
        var finished = restarted.Find("finished")!;
        Assert.Equal(RunStatus.Finished, finished.Status);
        Assert.Equal(T0.AddMinutes(3), finished.FinishedUtc);
        Assert.Equal(0, restarted.MarkInterrupted(T0.AddHours(2)));
    }

    [Fact]
    public void Snapshots_are_bounded_keeping_the_first_ones_and_the_newest()
    {
        var store = Migrated(maxSnapshots: 3);
        store.Write([new RunWrite.Run(Record("r", RunStatus.Running))]);

        foreach (var step in new long[] { 0, 250, 500, 750, 1000 })
            store.Write([new RunWrite.Snapshot("r", step, [(byte)(step / 250)])]);

        Assert.Equal([0L, 250, 1000], store.SnapshotSteps("r"));
        Assert.Equal(new byte[] { 4 }, store.Snapshot("r")!.Png);
    }

    [Fact]
    public void A_long_series_is_thinned_for_charts_and_keeps_its_last_step()
    {
        var store = Migrated();
        store.Write([new RunWrite.Run(Record("r", RunStatus.Running)), .. Enumerable.Range(1, 1003).Select(s => new RunWrite.Metric("r", Step(s)))]);

        var thinned = store.Metrics("r", maxRows: 100);

        Assert.InRange(thinned.Count, 90, 101);
        Assert.Equal(1, thinned[0].Step);
        Assert.Equal(1003, thinned[^1].Step);
        Assert.Equal(1003, store.Metrics("r").Count);
    }

    private RunStore Migrated(int maxSnapshots = 40)
    {
        var store = new RunStore(DatabasePath, maxSnapshots);
        store.Migrate();
        return store;
    }

    private void Sql(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private List<string> Tables()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name;";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
