namespace GanLab.Web.Runs;

/// <summary>One step of the runs database's history: applied once, in order, in a transaction with its version.</summary>
public sealed record RunStoreMigration(int Version, string Description, string Sql);

/// <summary>
/// The runs database's schema as a list of migrations. A new column or table is a new entry at the end;
/// entries already released are never edited, because databases in the field were made by them.
/// </summary>
public static class RunStoreSchema
{
    public static IReadOnlyList<RunStoreMigration> Migrations { get; } =
    [
        new(1, "runs and their per-step metrics", """
            CREATE TABLE runs (
                id TEXT PRIMARY KEY,
                browser_id TEXT NOT NULL,
                options_json TEXT NOT NULL,
                model TEXT NOT NULL,
                dataset TEXT NOT NULL,
                status TEXT NOT NULL,
                created_utc TEXT NOT NULL,
                started_utc TEXT,
                finished_utc TEXT,
                fault TEXT,
                steps INTEGER NOT NULL DEFAULT 0,
                final_metrics_json TEXT
            );
            CREATE INDEX runs_by_browser ON runs (browser_id, created_utc);
            CREATE INDEX runs_by_status ON runs (status);
            CREATE TABLE run_metrics (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                epoch INTEGER NOT NULL,
                loss_d REAL, loss_d_real REAL, loss_d_fake REAL, loss_g REAL,
                d_x REAL, d_g_z_before REAL, d_g_z_after REAL,
                d_acc_real REAL, d_acc_fake REAL, grad_norm_g REAL, grad_norm_d REAL, wasserstein REAL,
                images_per_s REAL, elapsed_s REAL,
                PRIMARY KEY (run_id, step)
            ) WITHOUT ROWID;
            """),
        new(2, "sample grid snapshots and checkpoint files", """
            CREATE TABLE run_samples (
                run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                step INTEGER NOT NULL,
                png BLOB NOT NULL,
                PRIMARY KEY (run_id, step)
            ) WITHOUT ROWID;
            ALTER TABLE runs ADD COLUMN checkpoint_path TEXT;
            """),
        // Runs stored before toys were recorded were all image runs. A toy's model column holds its component
        // (toy-2d, ...) and its dataset column its distribution (ring-8, ...), so lists of runs need no special case.
        new(3, "toy runs: the kind of each run", """
            ALTER TABLE runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'image';
            """),
    ];

    public static int LatestVersion => Migrations[^1].Version;
}
