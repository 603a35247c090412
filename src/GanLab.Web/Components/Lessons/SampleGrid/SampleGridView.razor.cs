using System.Globalization;
using GanLab.Core.Training;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// Samples over time (seed 002): the Generator's grid from the fixed noise, a slider over the grids a
/// <see cref="SampleTimeline"/> kept, Play to replay them from the first to the newest, and real images of the
/// dataset beside the fakes. The owner fills the timeline and re-renders this view; the view follows the newest grid
/// unless the student moved the slider or pressed Play. Shared by ```gan-trainer and ```sample-grid.
/// </summary>
public sealed partial class SampleGridView : ComponentBase, IDisposable
{
    /// <summary>Time between frames when the timeline plays the samples over time.</summary>
    public static readonly TimeSpan PlayFrameInterval = TimeSpan.FromMilliseconds(400);

    [Inject] private TrainingService Training { get; set; } = default!;

    /// <summary>The kept grids, oldest first; the last is the newest, shown unless the slider points elsewhere.</summary>
    [Parameter, EditorRequired] public SampleTimeline Timeline { get; set; } = default!;

    /// <summary>The dataset whose real images go beside the fakes; null: none to show yet.</summary>
    [Parameter] public string? Dataset { get; set; }

    /// <summary>Whether the real images show from the start; the student's checkbox decides afterwards.</summary>
    [Parameter] public bool RealBeside { get; set; }

    /// <summary>What the student does to get a first grid, in the empty grid's alt text.</summary>
    [Parameter] public string EmptyHint { get; set; } = "press Train";

    // The grid the slider points at; null follows the newest.
    private int? _timelineIndex;
    private bool _playing;
    private CancellationTokenSource? _player;
    private bool? _compareWithReal;
    private string? _realGridUrl;
    private string? _realGridDataset;
    private string? _realGridProblem;
    // The grid whose data URL is cached: a PNG of tens of KB is encoded once, not on every render.
    private SampleGridSnapshot? _urlFor;
    private string? _url;

    private int Count => Timeline.Count;

    private bool ShowingLive => _timelineIndex is null;

    /// <summary>The grid on screen: the newest, or the one the timeline's slider points at.</summary>
    private (string? Url, long? Step) ShownGrid
    {
        get
        {
            if (Count == 0) return (null, null);
            var snapshot = _timelineIndex is { } index && index < Count ? Timeline[index] : Timeline[^1];
            if (!ReferenceEquals(snapshot, _urlFor))
            {
                _url = snapshot.ToDataUrl();
                _urlFor = snapshot;
            }
            return (_url, snapshot.Step);
        }
    }

    protected override async Task OnParametersSetAsync()
    {
        // The owner cleared or refilled the timeline (a Reset, another run): follow its newest again.
        if (_timelineIndex is { } index && index >= Count - 1) _timelineIndex = null;
        if (Count < 2) StopPlaying();
        _compareWithReal ??= RealBeside;
        if (_compareWithReal == true && Dataset is not null && Dataset != _realGridDataset) await LoadRealGridAsync();
    }

    private async Task OnCompareChangedAsync(ChangeEventArgs e)
    {
        _compareWithReal = e.Value is true;
        if (_compareWithReal == true && Dataset is not null && (Dataset != _realGridDataset || _realGridUrl is null)) await LoadRealGridAsync();
    }

    private async Task LoadRealGridAsync()
    {
        var dataset = Dataset!;
        // Tried once per dataset: a missing dataset is not asked for again on every render of a training page.
        _realGridDataset = dataset;
        try
        {
            var png = await Training.RealSampleGridAsync(dataset);
            _realGridUrl = "data:image/png;base64," + Convert.ToBase64String(png);
            _realGridProblem = null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A dataset whose files are missing: say so in place of the grid; a trainer says it again on Train.
            _realGridUrl = null;
            _realGridProblem = $"The real images of '{dataset}' could not be loaded: {ex.Message}";
        }
    }

    private void OnTimelineInput(ChangeEventArgs e)
    {
        if (!int.TryParse(e.Value?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var index)) return;
        StopPlaying();
        ShowTimeline(index);
    }

    private void ShowTimeline(int index) =>
        _timelineIndex = index < 0 || index >= Count - 1 ? null : index;

    private void TogglePlay()
    {
        if (_playing)
        {
            StopPlaying();
            return;
        }
        if (Count < 2) return;
        _playing = true;
        _timelineIndex = _timelineIndex is { } index && index < Count - 1 ? index : 0;
        _player = new CancellationTokenSource();
        _ = PlayAsync(_player.Token);
    }

    private void StopPlaying()
    {
        _playing = false;
        _player?.Cancel();
        _player?.Dispose();
        _player = null;
    }

    /// <summary>One frame per tick on the renderer's thread; the last frame is the newest grid, where playing ends and the view follows training again.</summary>
    private async Task PlayAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(PlayFrameInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                var more = true;
                await InvokeAsync(() =>
                {
                    if (token.IsCancellationRequested) return;
                    ShowTimeline((_timelineIndex ?? Count - 1) + 1);
                    more = _timelineIndex is not null;
                    if (!more) StopPlaying();
                    StateHasChanged();
                });
                if (!more) return;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped, or the page went away.
        }
    }

    public void Dispose() => StopPlaying();
}
