using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// The fixed-noise grids a trainer keeps to replay "samples over time" (seed 002): at most <see cref="Capacity"/>,
/// spread over the whole run. The newest grid is always the last one; a grid that comes sooner than the current
/// spacing after the one before replaces that last one instead of adding, and when the timeline is full every
/// other grid goes and the spacing doubles, so early steps stay as well covered as late ones.
/// Used on the page's thread only.
/// </summary>
public sealed class SampleTimeline(int capacity = SampleTimeline.DefaultCapacity)
{
    /// <summary>As many as the runs database keeps per run.</summary>
    public const int DefaultCapacity = 40;

    private readonly List<SampleGridSnapshot> _kept = [];
    private long _spacing;

    public int Capacity => capacity;

    public int Count => _kept.Count;

    public IReadOnlyList<SampleGridSnapshot> Snapshots => _kept;

    public SampleGridSnapshot this[int index] => _kept[index];

    public void Add(SampleGridSnapshot snapshot)
    {
        if (_kept.Count > 0 && snapshot.Step <= _kept[^1].Step) return; // an older or repeated grid: nothing new to show
        // The last grid stays when it is far enough from the one before; otherwise the newer one takes its place.
        if (_kept.Count >= 2 && _kept[^1].Step - _kept[^2].Step < _spacing) _kept[^1] = snapshot;
        else _kept.Add(snapshot);
        if (_kept.Count <= capacity) return;

        var thinned = _kept.Where((_, i) => i % 2 == 0).ToList();
        if (thinned[^1] != _kept[^1]) thinned.Add(_kept[^1]);
        _kept.Clear();
        _kept.AddRange(thinned);
        _spacing = Math.Max(1, (_kept[^1].Step - _kept[0].Step) / Math.Max(1, _kept.Count - 1));
    }

    public void Clear()
    {
        _kept.Clear();
        _spacing = 0;
    }
}
