using GanLab.Core.Training;
using GanLab.Web.Hosting;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Pages;

/// <summary>One line of the Runs page: the stored run, with live status and step when it is still going on this server.</summary>
public sealed record RunRow(RunRecord Record, RunStatus Status, long Steps, TrainingProgress? Metrics, int? QueuePosition);

/// <summary>
/// /runs: this browser's runs from the database. Runs still going on this server show their live status and step,
/// refreshed every two seconds while any is going.
/// </summary>
public sealed partial class RunsPage : ComponentBase, IDisposable
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    [Inject] private RunStore Store { get; set; } = default!;
    [Inject] private TrainingService Training { get; set; } = default!;
    [Inject] private BrowserIdentity Browser { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    private readonly CancellationTokenSource _disposed = new();
    private readonly List<string> _selected = [];
    private IReadOnlyList<RunRow> _runs = [];

    protected override void OnInitialized()
    {
        Load();
        if (RendererInfo.IsInteractive) _ = RefreshAsync(_disposed.Token);
    }

    private void Load()
    {
        _runs = !Browser.IsKnown ? [] : [.. Store.RunsOf(Browser.Id).Select(Live)];
    }

    private RunRow Live(RunRecord record)
    {
        if (Training.FindActive(record.Id) is { } run)
            return new RunRow(record, run.Status, run.LastProgress?.Step ?? record.Steps, run.LastProgress ?? record.FinalMetrics, run.QueuePosition);
        // A toy reset since it was listed has a record of its own now: this one shows as the database has it.
        if (Training.FindActiveToy(record.Id) is { } toy && toy.Record?.Id == record.Id && toy.LiveStatus is { } status)
        {
            var progress = toy.LastFrame?.Progress;
            return new RunRow(record, status, progress?.Step ?? record.Steps, progress ?? record.FinalMetrics,
                status == RunStatus.Queued ? toy.QueuePosition : null);
        }
        return new RunRow(record, record.Status, record.Steps, record.FinalMetrics, null);
    }

    private async Task RefreshAsync(CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(RefreshInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellation))
            {
                if (!_runs.Any(r => !r.Status.IsFinal())) continue;
                await InvokeAsync(() =>
                {
                    Load();
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page was closed.
        }
    }

    private void Toggle(string id, ChangeEventArgs e)
    {
        _selected.Remove(id);
        if (e.Value is true) _selected.Add(id);
    }

    private void Compare() => Navigation.NavigateTo($"runs/compare/{_selected[0]}/{_selected[1]}");

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }
}
