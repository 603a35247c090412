using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GanLab.Web.Hosting;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Components.Pages;

/// <summary>
/// One run as the instructor sees it, image or toy: Model is a toy's component and Dataset its distribution.
/// <paramref name="Cancel"/> ends it for good, as the instructor.
/// </summary>
public sealed record InstructorRow(string Id, string BrowserId, RunKind Kind, RunStatus Status, int? QueuePosition,
    string Model, string Dataset, long Step, DateTimeOffset Since, Func<string, Task> Cancel)
{
    public static InstructorRow Of(ServerRun run) => new(run.Id, run.BrowserId, RunKind.Image, run.Status, run.QueuePosition,
        run.Options.Model, run.Options.Dataset, run.LastProgress?.Step ?? 0, run.StartedUtc ?? run.CreatedUtc,
        reason => run.EndAsync(RunStatus.Cancelled, reason));

    /// <summary>Null when the toy ended (or was reset) since it was listed.</summary>
    public static InstructorRow? Of(ToyRun toy) => toy.Record is { } record && toy.LiveStatus is { } status && !status.IsFinal()
        ? new(record.Id, toy.BrowserId, RunKind.Toy, status, status == RunStatus.Queued ? toy.QueuePosition : null,
            toy.Component, toy.Options.Distribution, toy.LastFrame?.Progress.Step ?? 0, record.StartedUtc ?? record.CreatedUtc,
            reason => toy.EndAsync(RunStatus.Cancelled, reason))
        : null;
}

/// <summary>
/// /instructor: the machine's load and every run queued, running or paused (image runs and toy runs), with Cancel. Opened by the key in
/// GanLab:InstructorKey, typed into the page (never in the address, where it would end up in logs and history),
/// for this tab only. Without a configured key the page only says how to set one.
/// </summary>
public sealed partial class InstructorPage : ComponentBase, IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    [Inject] private IOptions<GanLabWebOptions> Options { get; set; } = default!;
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private MachineLoad Load { get; set; } = default!;
    [Inject] private ILogger<InstructorPage> Logger { get; set; } = default!;

    private readonly CancellationTokenSource _disposed = new();
    private string _key = "";
    private bool _unlocked;
    private bool _wrongKey;
    private LoadReading? _load;
    private IReadOnlyList<InstructorRow> _rows = [];
    // Image runs, measurements and pretraining (the training lane), and toys: counted apart, as they have slots apart.
    private (int Running, int Queued) _trainingLane, _toys;

    private bool KeyConfigured => !string.IsNullOrEmpty(Options.Value.InstructorKey);

    private async Task Unlock()
    {
        // Constant time: how long a wrong guess takes says nothing about the key.
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(Options.Value.InstructorKey));
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(_key));
        _key = "";
        if (!KeyConfigured || !CryptographicOperations.FixedTimeEquals(expected, given))
        {
            _wrongKey = true;
            Logger.LogWarning("A wrong instructor key was entered");
            // A pause per wrong guess makes guessing slow from one tab.
            await Task.Delay(TimeSpan.FromSeconds(1));
            return;
        }
        _wrongKey = false;
        _unlocked = true;
        Refresh();
        _ = RefreshAsync(_disposed.Token);
    }

    private void Refresh()
    {
        _load = Load.Read(Training.DescribeDevice("auto"));
        var images = Training.ActiveRuns.Where(r => !r.Status.IsFinal()).Select(InstructorRow.Of);
        var toys = Training.ActiveToyRuns.Select(InstructorRow.Of).OfType<InstructorRow>();
        _rows = [.. images.Concat(toys).OrderBy(row => row.Since)];
        _trainingLane = Training.Scheduler.CountOf(RunLane.Training);
        _toys = Training.Scheduler.CountOf(RunLane.Toy);
    }

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
                await InvokeAsync(() =>
                {
                    Refresh();
                    StateHasChanged();
                });
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private async Task CancelAsync(InstructorRow row)
    {
        Logger.LogInformation("The instructor cancelled {Kind} run {Id} of browser {Browser}", row.Kind.Name(), row.Id, row.BrowserId);
        await row.Cancel("Cancelled by the instructor.");
        Refresh();
    }

    private static string Megabytes(long? bytes) => bytes is { } b ? (b / 1048576.0).ToString("N0", Culture) : "–";

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
