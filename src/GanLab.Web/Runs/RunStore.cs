using System.Globalization;
using System.Text.Json;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Training;
using Microsoft.Data.Sqlite;

namespace GanLab.Web.Runs;

/// <summary>A run as the database keeps it: everything the Runs page lists and the exports need.</summary>
public sealed record RunRecord(
    string Id,
    string BrowserId,
    GanTrainingOptions Options,
    RunStatus Status,
    DateTimeOffset CreatedUtc,
    DateTimeOffset? StartedUtc = null,
    DateTimeOffset? FinishedUtc = null,
    string? Fault = null,
    long Steps = 0,
    TrainingProgress? FinalMetrics = null,
    string? CheckpointPath = null)
{
    /// <summary>Image run (metrics, grids, a checkpoint) or toy run (settings, status, timings and last numbers only).</summary>
    public RunKind Kind { get; init; } = RunKind.Image;

    /// <summary>
    /// A toy run's own settings (null for an image run). Its <see cref="Options"/> then hold the game it played
    /// (loss, labels, optimizer, k) with Model its component and Dataset its distribution, so that lists of runs
    /// read both kinds alike: see <see cref="ForToy"/>.
    /// </summary>
    public ToyGanOptions? ToyOptions { get; init; }

    /// <summary>Time between the first step and the end (or now, for a run still going).</summary>
    public TimeSpan? Duration(DateTimeOffset now) => StartedUtc is { } start ? (FinishedUtc ?? now) - start : null;

    /// <summary>A toy component's run (<paramref name="component"/>: toy-2d, optimal-discriminator, minimax-game).</summary>
    public static RunRecord ForToy(string id, string browserId, string component, ToyGanOptions toy, RunStatus status, DateTimeOffset createdUtc,
        DateTimeOffset? startedUtc = null, DateTimeOffset? finishedUtc = null, string? fault = null, long steps = 0, TrainingProgress? finalMetrics = null) =>
        new(id, browserId, ToyGame(component, toy), status, createdUtc, startedUtc, finishedUtc, fault, steps, finalMetrics)
        {
            Kind = RunKind.Toy,
            ToyOptions = toy,
        };

    private static GanTrainingOptions ToyGame(string component, ToyGanOptions toy) =>
        toy.ToGameOptions() with { Model = component, Dataset = toy.Distribution };
}

/// <summary>One write of the recorder: a run's row, a step's metrics, or a sample grid.</summary>
public abstract record RunWrite(string RunId)
{
    public sealed record Run(RunRecord Record) : RunWrite(Record.Id);
    public sealed record Metric(string Id, TrainingProgress Progress) : RunWrite(Id);
    public sealed record Snapshot(string Id, long Step, byte[] Png) : RunWrite(Id);
}

/// <summary>
/// The runs database (SQLite): one file, created on first start, its schema versioned by
/// <see cref="RunStoreSchema"/>. Each call opens its own pooled connection, so the recorder's writes and
/// the pages' reads run side by side (WAL journal: readers never wait for the writer).
/// </summary>
public sealed class RunStore
{
    // A diverged run's last losses are NaN, which plain JSON cannot hold.
    private static readonly JsonSerializerOptions Json = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
    private readonly string _connectionString;

    public RunStore(string databasePath, int maxSnapshotsPerRun = 40)
    {
        DatabasePath = Path.GetFullPath(databasePath);
        MaxSnapshotsPerRun = maxSnapshotsPerRun;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, ForeignKeys = true, Pooling = true }.ToString();
    }

    public string DatabasePath { get; }

    public int MaxSnapshotsPerRun { get; }

    /// <summary>Creates the file and brings its schema to the latest version; returns the migrations it applied.</summary>
    public IReadOnlyList<RunStoreMigration> Migrate() => Migrate(RunStoreSchema.Migrations);

    /// <summary>Applies the migrations the database lacks, each in a transaction with its version number.</summary>
    /// <exception cref="InvalidDataException">The database is newer than this GanLab.</exception>
    public IReadOnlyList<RunStoreMigration> Migrate(IReadOnlyList<RunStoreMigration> migrations)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var connection = Open();
        Execute(connection, "PRAGMA journal_mode = WAL;");
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);");
        var current = SchemaVersion(connection);
        var latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > latest)
            throw new InvalidDataException(
                $"{DatabasePath} has schema version {current}, newer than this GanLab knows ({latest}). Run a newer GanLab, or set GanLab:DataFolder to another folder.");
        var applied = new List<RunStoreMigration>();
        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, migration.Sql, transaction);
            Execute(connection, "DELETE FROM schema_version;", transaction);
            Execute(connection, $"INSERT INTO schema_version (version) VALUES ({migration.Version});", transaction);
            transaction.Commit();
            applied.Add(migration);
        }
        return applied;
    }

    public int SchemaVersion()
    {
        using var connection = Open();
        return SchemaVersion(connection);
    }

    /// <summary>
    /// At start-up: runs the database still calls queued, running or paused belonged to a server that is gone
    /// (their weights were in its memory), so they become interrupted, saying what they were.
    /// </summary>
    public int MarkInterrupted(DateTimeOffset now)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE runs SET
                fault = 'The server stopped while this run was ' || status || '; its history up to then is kept.',
                status = 'interrupted',
                finished_utc = $now,
                steps = COALESCE((SELECT MAX(step) FROM run_metrics WHERE run_id = runs.id), steps)
            WHERE status IN ('queued', 'running', 'paused');
            """;
        command.Parameters.AddWithValue("$now", Time(now));
        return command.ExecuteNonQuery();
    }

    /// <summary>Writes a batch in one transaction: one fsync for hundreds of metric rows.</summary>
    public void Write(IReadOnlyList<RunWrite> batch)
    {
        if (batch.Count == 0) return;
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var upsert = RunUpsert(connection, transaction);
        using var metric = MetricInsert(connection, transaction);
        foreach (var write in batch)
        {
            switch (write)
            {
                case RunWrite.Run run:
                    Bind(upsert, run.Record);
                    upsert.ExecuteNonQuery();
                    break;
                case RunWrite.Metric m:
                    Bind(metric, m.Id, m.Progress);
                    metric.ExecuteNonQuery();
                    break;
                case RunWrite.Snapshot s:
                    SaveSnapshot(connection, transaction, s);
                    break;
            }
        }
        transaction.Commit();
    }

    public RunRecord? Find(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM runs WHERE id = $id;";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadRun(reader) : null;
    }

    /// <summary>A browser's runs, newest first.</summary>
    public IReadOnlyList<RunRecord> RunsOf(string browserId, int limit = 500)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {RunColumns} FROM runs WHERE browser_id = $browser ORDER BY created_utc DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$browser", browserId);
        command.Parameters.AddWithValue("$limit", limit);
        var runs = new List<RunRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) runs.Add(ReadRun(reader));
        return runs;
    }

    /// <summary>
    /// Ended runs (finished, failed, interrupted, cancelled) that the retention policy lets go, oldest first: those that
    /// ended before <paramref name="endedBefore"/>, and those past the newest <paramref name="keepPerBrowser"/> of their
    /// browser and kind. Runs that ended after <paramref name="graceAfter"/> are always kept, and a run still queued,
    /// running or paused never comes back. Null leaves a rule out.
    /// </summary>
    public IReadOnlyList<RunRecord> ExpiredRuns(DateTimeOffset? endedBefore, int? keepPerBrowser, DateTimeOffset graceAfter)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        // Times are stored as fixed-width ISO 8601 UTC text, so text order is time order.
        command.CommandText = $"""
            SELECT {RunColumns} FROM (
                SELECT *, ROW_NUMBER() OVER (PARTITION BY browser_id, kind ORDER BY created_utc DESC, id) AS newest FROM runs)
            WHERE status IN ('finished', 'failed', 'interrupted', 'cancelled')
              AND COALESCE(finished_utc, created_utc) < $grace
              AND (($cutoff IS NOT NULL AND COALESCE(finished_utc, created_utc) < $cutoff) OR ($keep IS NOT NULL AND newest > $keep))
            ORDER BY COALESCE(finished_utc, created_utc);
            """;
        command.Parameters.AddWithValue("$grace", Time(graceAfter));
        command.Parameters.AddWithValue("$cutoff", endedBefore is { } cutoff ? Time(cutoff) : DBNull.Value);
        command.Parameters.AddWithValue("$keep", keepPerBrowser is { } keep ? keep : DBNull.Value);
        var runs = new List<RunRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) runs.Add(ReadRun(reader));
        return runs;
    }

    /// <summary>Deletes runs with their metric rows and sample grids (in one transaction); returns how many rows went.</summary>
    public int Delete(IEnumerable<string> ids)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The foreign keys' ON DELETE CASCADE takes the metrics and grids (the connection turns foreign keys on).
        command.CommandText = "DELETE FROM runs WHERE id = $id;";
        var id = command.Parameters.Add(new SqliteParameter { ParameterName = "$id" });
        var deleted = 0;
        foreach (var runId in ids)
        {
            id.Value = runId;
            deleted += command.ExecuteNonQuery();
        }
        transaction.Commit();
        return deleted;
    }

    public long MetricCount(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM run_metrics WHERE run_id = $id;";
        command.Parameters.AddWithValue("$id", id);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>
    /// The run's metric rows in step order; with <paramref name="maxRows"/>, every k-th row so that at most that many
    /// come back (a chart of a long run needs a few thousand points, not every step).
    /// </summary>
    public IReadOnlyList<TrainingProgress> Metrics(string id, int? maxRows = null)
    {
        var every = maxRows is { } max && max > 0 ? Math.Max(1, (MetricCount(id) + max - 1) / max) : 1;
        return ReadMetrics(id, $"""
            SELECT {MetricColumns}
            FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY step) AS n FROM run_metrics WHERE run_id = $id)
            WHERE (n - 1) % {every} = 0 OR n = (SELECT COUNT(*) FROM run_metrics WHERE run_id = $id)
            ORDER BY step;
            """);
    }

    /// <summary>The run's last <paramref name="count"/> metric rows, every one of them, in step order.</summary>
    public IReadOnlyList<TrainingProgress> LastMetrics(string id, int count) => ReadMetrics(id, $"""
        SELECT {MetricColumns}
        FROM (SELECT * FROM run_metrics WHERE run_id = $id ORDER BY step DESC LIMIT {Math.Max(0, count)})
        ORDER BY step;
        """);

    private const string MetricColumns = """
        step, epoch, loss_d, loss_d_real, loss_d_fake, loss_g, d_x, d_g_z_before, d_g_z_after,
        d_acc_real, d_acc_fake, grad_norm_g, grad_norm_d, wasserstein, images_per_s, elapsed_s
        """;

    private IReadOnlyList<TrainingProgress> ReadMetrics(string id, string query)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = query;
        command.Parameters.AddWithValue("$id", id);
        var rows = new List<TrainingProgress>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            double D(int i) => reader.IsDBNull(i) ? double.NaN : reader.GetDouble(i);
            // A row without its time (NULL) reads as zero seconds: TimeSpan has no NaN.
            var elapsed = D(15) is var seconds && double.IsFinite(seconds) ? TimeSpan.FromSeconds(seconds) : TimeSpan.Zero;
            rows.Add(new TrainingProgress(reader.GetInt64(0), reader.GetInt32(1), D(2), D(5), D(6), D(7), D(8), D(14), elapsed)
            {
                LossDReal = D(3),
                LossDFake = D(4),
                DAccuracyReal = D(9),
                DAccuracyFake = D(10),
                GradientNormG = D(11),
                GradientNormD = D(12),
                WassersteinEstimate = D(13),
            });
        }
        return rows;
    }

    /// <summary>Steps at which a sample grid is stored, in order.</summary>
    public IReadOnlyList<long> SnapshotSteps(string id)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT step FROM run_samples WHERE run_id = $id ORDER BY step;";
        command.Parameters.AddWithValue("$id", id);
        var steps = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) steps.Add(reader.GetInt64(0));
        return steps;
    }

    /// <summary>Every sample grid stored for the run, oldest first: a timeline filled from the database.</summary>
    public IReadOnlyList<SampleGridSnapshot> Snapshots(string id) =>
        [.. SnapshotSteps(id).Select(step => Snapshot(id, step)).OfType<SampleGridSnapshot>()];

    /// <summary>The sample grid stored at <paramref name="step"/>, or the latest when null; null when there is none.</summary>
    public SampleGridSnapshot? Snapshot(string id, long? step = null)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = step is null
            ? "SELECT step, png FROM run_samples WHERE run_id = $id ORDER BY step DESC LIMIT 1;"
            : "SELECT step, png FROM run_samples WHERE run_id = $id AND step = $step;";
        command.Parameters.AddWithValue("$id", id);
        if (step is not null) command.Parameters.AddWithValue("$step", step.Value);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new SampleGridSnapshot(reader.GetInt64(0), (byte[])reader["png"]) : null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        // The recorder writes while pages read; wait for a lock rather than fail at once.
        Execute(connection, "PRAGMA busy_timeout = 5000;");
        return connection;
    }

    private static int SchemaVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_version';";
        if (command.ExecuteScalar() is null) return 0;
        command.CommandText = "SELECT MAX(version) FROM schema_version;";
        return command.ExecuteScalar() is long version ? (int)version : 0;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private const string RunColumns =
        "id, browser_id, options_json, status, created_utc, started_utc, finished_utc, fault, steps, final_metrics_json, checkpoint_path, kind, model";

    private static RunRecord ReadRun(SqliteDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var status = RunStatuses.Parse(r.GetString(3));
        var created = ParseTime(r.GetString(4));
        DateTimeOffset? started = S(5) is { } s ? ParseTime(s) : null;
        DateTimeOffset? finished = S(6) is { } f ? ParseTime(f) : null;
        var final = S(9) is { } metrics ? JsonSerializer.Deserialize<TrainingProgress>(metrics, Json) : null;
        if (RunKinds.Parse(r.GetString(11)) == RunKind.Toy)
            return RunRecord.ForToy(r.GetString(0), r.GetString(1), r.GetString(12),
                JsonSerializer.Deserialize<ToyGanOptions>(r.GetString(2), Json) ?? new ToyGanOptions(),
                status, created, started, finished, S(7), r.GetInt64(8), final);
        return new RunRecord(
            r.GetString(0), r.GetString(1),
            JsonSerializer.Deserialize<GanTrainingOptions>(r.GetString(2), Json) ?? new GanTrainingOptions(),
            status, created, started, finished, S(7), r.GetInt64(8), final, S(10));
    }

    private static SqliteCommand RunUpsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO runs (id, browser_id, kind, options_json, model, dataset, status, created_utc, started_utc, finished_utc, fault, steps, final_metrics_json, checkpoint_path)
            VALUES ($id, $browser, $kind, $options, $model, $dataset, $status, $created, $started, $finished, $fault, $steps, $final, $checkpoint)
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, started_utc = excluded.started_utc, finished_utc = excluded.finished_utc,
                fault = excluded.fault, steps = excluded.steps, final_metrics_json = excluded.final_metrics_json,
                checkpoint_path = excluded.checkpoint_path;
            """;
        foreach (var name in new[] { "$id", "$browser", "$kind", "$options", "$model", "$dataset", "$status", "$created", "$started", "$finished", "$fault", "$steps", "$final", "$checkpoint" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Bind(SqliteCommand command, RunRecord run)
    {
        object Db(object? value) => value ?? DBNull.Value;
        var p = command.Parameters;
        p["$id"].Value = run.Id;
        p["$browser"].Value = run.BrowserId;
        p["$kind"].Value = run.Kind.Name();
        p["$options"].Value = run.ToyOptions is { } toy ? JsonSerializer.Serialize(toy, Json) : JsonSerializer.Serialize(run.Options, Json);
        p["$model"].Value = run.Options.Model;
        p["$dataset"].Value = run.Options.Dataset;
        p["$status"].Value = run.Status.Name();
        p["$created"].Value = Time(run.CreatedUtc);
        p["$started"].Value = Db(run.StartedUtc is { } s ? Time(s) : null);
        p["$finished"].Value = Db(run.FinishedUtc is { } f ? Time(f) : null);
        p["$fault"].Value = Db(run.Fault);
        p["$steps"].Value = run.Steps;
        p["$final"].Value = Db(run.FinalMetrics is { } m ? JsonSerializer.Serialize(m, Json) : null);
        p["$checkpoint"].Value = Db(run.CheckpointPath);
    }

    private static SqliteCommand MetricInsert(SqliteConnection connection, SqliteTransaction transaction)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        // A run resumed from a checkpoint repeats no step, but replacing keeps a retried batch harmless.
        command.CommandText = """
            INSERT OR REPLACE INTO run_metrics (run_id, step, epoch, loss_d, loss_d_real, loss_d_fake, loss_g, d_x, d_g_z_before, d_g_z_after,
                d_acc_real, d_acc_fake, grad_norm_g, grad_norm_d, wasserstein, images_per_s, elapsed_s)
            VALUES ($run, $step, $epoch, $loss_d, $loss_d_real, $loss_d_fake, $loss_g, $d_x, $d_g_z_before, $d_g_z_after,
                $d_acc_real, $d_acc_fake, $grad_norm_g, $grad_norm_d, $wasserstein, $images_per_s, $elapsed_s);
            """;
        foreach (var name in new[] { "$run", "$step", "$epoch", "$loss_d", "$loss_d_real", "$loss_d_fake", "$loss_g", "$d_x", "$d_g_z_before", "$d_g_z_after",
                     "$d_acc_real", "$d_acc_fake", "$grad_norm_g", "$grad_norm_d", "$wasserstein", "$images_per_s", "$elapsed_s" })
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        return command;
    }

    private static void Bind(SqliteCommand command, string runId, TrainingProgress m)
    {
        // SQLite stores NaN as NULL; a diverged step reads back as NaN.
        object D(double v) => double.IsNaN(v) ? DBNull.Value : v;
        var p = command.Parameters;
        p["$run"].Value = runId;
        p["$step"].Value = m.Step;
        p["$epoch"].Value = m.Epoch;
        p["$loss_d"].Value = D(m.LossD);
        p["$loss_d_real"].Value = D(m.LossDReal);
        p["$loss_d_fake"].Value = D(m.LossDFake);
        p["$loss_g"].Value = D(m.LossG);
        p["$d_x"].Value = D(m.DOfX);
        p["$d_g_z_before"].Value = D(m.DOfGzBeforeD);
        p["$d_g_z_after"].Value = D(m.DOfGzAfterD);
        p["$d_acc_real"].Value = D(m.DAccuracyReal);
        p["$d_acc_fake"].Value = D(m.DAccuracyFake);
        p["$grad_norm_g"].Value = D(m.GradientNormG);
        p["$grad_norm_d"].Value = D(m.GradientNormD);
        p["$wasserstein"].Value = D(m.WassersteinEstimate);
        p["$images_per_s"].Value = D(m.ImagesPerSecond);
        p["$elapsed_s"].Value = m.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Stores a grid, keeping at most <see cref="MaxSnapshotsPerRun"/>: once full, the newest replaces the previous
    /// newest, so the early grids (where the samples change most) stay and the last slot is always current.
    /// </summary>
    private void SaveSnapshot(SqliteConnection connection, SqliteTransaction transaction, RunWrite.Snapshot s)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO run_samples (run_id, step, png) VALUES ($run, $step, $png);";
        command.Parameters.AddWithValue("$run", s.Id);
        command.Parameters.AddWithValue("$step", s.Step);
        command.Parameters.AddWithValue("$png", s.Png);
        command.ExecuteNonQuery();

        command.Parameters.Clear();
        command.CommandText = $"""
            DELETE FROM run_samples WHERE run_id = $run AND step = (
                SELECT step FROM run_samples WHERE run_id = $run ORDER BY step DESC LIMIT 1 OFFSET 1)
            AND (SELECT COUNT(*) FROM run_samples WHERE run_id = $run) > {MaxSnapshotsPerRun};
            """;
        command.Parameters.AddWithValue("$run", s.Id);
        command.ExecuteNonQuery();
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset ParseTime(string s) =>
        DateTimeOffset.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
