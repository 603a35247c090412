using System.ComponentModel.DataAnnotations;

namespace GanLab.Web;

/// <summary>The web app's settings, bound from the "GanLab" configuration section.</summary>
public sealed class GanLabWebOptions
{
    public const string Section = "GanLab";

    /// <summary>The repository root (the folder holding GanLab.sln); found by walking up when not set.</summary>
    [Required]
    public string Root { get; set; } = "";

    /// <summary>The folder of lesson files; defaults to Root/content.</summary>
    [Required]
    public string Content { get; set; } = "";

    /// <summary>
    /// How many runs may hold a model (its native memory) at once across all users, training or paused.
    /// Past this the least recently used paused or waiting run is saved to a checkpoint and freed, and
    /// picked up again from it when its turn comes, so memory stays bounded however many students train.
    /// Must be at least <see cref="MaxConcurrentRuns"/>.
    /// </summary>
    [Range(1, 1024)]
    public int MaxLiveRuns { get; set; } = 8;

    /// <summary>
    /// How many runs train at the same moment; the others wait in the queue. 0 chooses by device:
    /// <see cref="DefaultConcurrentRunsCpu"/> on a CPU, <see cref="DefaultConcurrentRunsCuda"/> on a GPU.
    /// </summary>
    [Range(0, 64)]
    public int MaxConcurrentRuns { get; set; }

    /// <summary>
    /// Measured on the 2-core development machine (benchmarks/classroom_load.py --measure-concurrency 1,2,3
    /// --students 6 --steps 400, MLP GAN, batch 64, a machine shared with other work): 928 images/s with one
    /// slot, 536 with two, 424 with three. libtorch already spreads one step over both cores, so concurrent
    /// runs only fight over them; one slot, time-sliced, gives each student the whole machine in turn.
    /// </summary>
    public const int DefaultConcurrentRunsCpu = 1;

    /// <summary>
    /// A GPU: the course's small models leave most of one idle (a step is a few small kernels), so
    /// several runs share it; 4 keeps each student's steps/s close to running alone.
    /// </summary>
    public const int DefaultConcurrentRunsCuda = 4;

    /// <summary>
    /// Slots only toy GANs (toy-2d, optimal-discriminator, minimax-game) train in, on top of the training slots; toys
    /// also borrow a training slot no image run waits for. A toy is watched while it trains, a fraction of a second per
    /// turn: in the image runs' line it would wait out every student's quantum between two turns and look frozen. A toy step
    /// is about a millisecond of a few thousand weights, so one slot serves a class's toys in turn and takes little from
    /// the image runs (benchmarks/classroom_load.py --toy-seconds measures both). 0: toys wait in the training slots' line.
    /// </summary>
    [Range(0, 64)]
    public int ToySlots { get; set; } = 1;

    /// <summary>
    /// Seconds a run trains before it yields its slot to a waiting run (it joins the back of the queue).
    /// Runs are open-ended, so without a quantum the first students would hold the slots all lesson long.
    /// </summary>
    [Range(1, 3600)]
    public int QuantumSeconds { get; set; } = 10;

    /// <summary>
    /// Runs one browser may have training or waiting at once. Enough for a side-by-side comparison
    /// (two) plus one; a student who opens ten tabs cannot push everyone else down the queue.
    /// </summary>
    [Range(1, 100)]
    public int MaxRunsPerBrowser { get; set; } = 3;

    /// <summary>
    /// Where the server keeps its own files: the runs database (runs.db) and checkpoints (runs/).
    /// Defaults to Root/.ganlab/server, which git ignores.
    /// </summary>
    public string DataFolder { get; set; } = "";

    /// <summary>A sample grid is stored every this many steps (and when a run pauses or ends).</summary>
    [Range(1, 1_000_000)]
    public int SnapshotEverySteps { get; set; } = 250;

    /// <summary>
    /// Sample grids kept per run: the first ones on the schedule above, and the last slot always holds
    /// the newest, so a long run costs at most this many PNGs (about 20 KB each).
    /// </summary>
    [Range(2, 10_000)]
    public int MaxSnapshotsPerRun { get; set; } = 40;

    /// <summary>
    /// Days an ended run (finished, failed, interrupted, cancelled) is kept after it ended, with its metrics, grids and
    /// checkpoint; older ones are deleted. 0 keeps them whatever their age. Runs still going are never deleted.
    /// </summary>
    [Range(0, 36_500)]
    public int KeepRunsDays { get; set; } = 30;

    /// <summary>
    /// Ended runs kept per browser and kind (image runs and toy runs counted apart, so a student resetting a toy
    /// many times does not push out their image runs): the newest are kept. 0: no limit.
    /// </summary>
    [Range(0, 1_000_000)]
    public int KeepRunsPerBrowser { get; set; } = 100;

    /// <summary>Minutes between two retention sweeps (the first runs when the server starts).</summary>
    [Range(1, 10_080)]
    public int RetentionIntervalMinutes { get; set; } = 60;

    /// <summary>
    /// The key that opens /instructor. Empty: the page only says how to set one. Set it outside the
    /// repository: environment GanLab__InstructorKey or --GanLab:InstructorKey=... on the command line.
    /// </summary>
    public string InstructorKey { get; set; } = "";

    /// <summary>
    /// Enables /load-test/runs, the HTTP hook benchmarks/classroom_load.py starts runs through. Off by
    /// default: it lets any client start training without a page. Never turn on for a class.
    /// </summary>
    public bool LoadTestHooks { get; set; }

    /// <summary>
    /// Trains the pretrained models the lessons need (Core's PretrainedCatalog: the MLP GAN and DCGAN on MNIST, the
    /// MLP GAN on Fashion-MNIST) in the background when .ganlab/pretrained/ lacks them, through the scheduler as one
    /// more browser, so students keep their turns. On for a served course; the test servers turn it off
    /// (--GanLab:PretrainOnStart=false): they must not start ten-minute trainings. `./ganlab pretrain` does the same ahead of time.
    /// </summary>
    public bool PretrainOnStart { get; set; } = true;

    /// <summary>The slots for this device: <see cref="MaxConcurrentRuns"/>, or the device's default when 0.</summary>
    public int ConcurrentRunsFor(bool cuda) =>
        MaxConcurrentRuns > 0 ? MaxConcurrentRuns : cuda ? DefaultConcurrentRunsCuda : DefaultConcurrentRunsCpu;

    /// <summary>
    /// Seconds a tab whose connection dropped (without the browser saying goodbye) keeps its
    /// paused runs before they are freed. Blazor's default of 180 s would hold a vanished
    /// student's model in memory for three minutes; 30 s still covers a brief network blip.
    /// </summary>
    [Range(1, 3600)]
    public int DisconnectedTabSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds a trainer's run outlives its page: a run that was not left to finish is paused when its page goes
    /// away (a reload, a closed tab, a link followed) and the same trainer of the same browser gets it back if it is
    /// opened again within this time; past it the run ends and its model is freed. 0 ends it at once. Three minutes
    /// cover a reload or a look at another lesson without holding a gone student's model for long.
    /// </summary>
    [Range(0, 3600)]
    public int RunReclaimGraceSeconds { get; set; } = 180;
}
