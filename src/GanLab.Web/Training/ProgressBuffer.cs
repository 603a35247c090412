using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>One point of the lesson charts: the mean of one or more consecutive steps.</summary>
public readonly record struct ChartPoint(long Step, double LossD, double LossG, double DOfX, double DOfGzBeforeD, double DOfGzAfterD,
    double DAccuracyReal, double DAccuracyFake, double GradientNormG, double GradientNormD)
{
    /// <summary>One step as a point (a stored metric row, drawn as history).</summary>
    public static ChartPoint Of(TrainingProgress p) => new(p.Step, p.LossD, p.LossG, p.DOfX, p.DOfGzBeforeD, p.DOfGzAfterD,
        p.DAccuracyReal, p.DAccuracyFake, p.GradientNormG, p.GradientNormD);
}

/// <summary>
/// Collects per-step progress on the training thread and hands it to the UI in batches.
/// The trainer raises an event after every step (hundreds per second for the MLP GAN), but every
/// browser update crosses the SignalR circuit, so the UI drains this a few times per second and
/// sends each batch as one chart update. Points are averaged when a batch is large, which keeps
/// the chart readable and the message small; nothing is ever dropped, only merged.
/// </summary>
public sealed class ProgressBuffer(int capacity = 4096)
{
    private readonly Lock _gate = new();
    private readonly List<Bucket> _buckets = [];

    /// <summary>Called on the training thread; constant time apart from a rare merge.</summary>
    public void Add(TrainingProgress progress)
    {
        lock (_gate)
        {
            _buckets.Add(Bucket.Of(progress));
            // Nobody drained for a long time (a paused circuit): halve by merging neighbours.
            if (_buckets.Count >= capacity) MergePairs();
        }
    }

    public int Count { get { lock (_gate) return _buckets.Count; } }

    public void Clear() { lock (_gate) _buckets.Clear(); }

    /// <summary>Takes everything buffered as at most <paramref name="maxPoints"/> averaged points, oldest first.</summary>
    public IReadOnlyList<ChartPoint> Drain(int maxPoints)
    {
        Bucket[] taken;
        lock (_gate)
        {
            taken = [.. _buckets];
            _buckets.Clear();
        }
        if (taken.Length == 0) return [];

        var perPoint = (taken.Length + maxPoints - 1) / maxPoints;
        var points = new List<ChartPoint>(Math.Min(taken.Length, maxPoints));
        for (var start = 0; start < taken.Length; start += perPoint)
        {
            var merged = taken[start];
            for (var i = start + 1; i < Math.Min(start + perPoint, taken.Length); i++) merged = merged.Merge(taken[i]);
            points.Add(merged.ToPoint());
        }
        return points;
    }

    private void MergePairs()
    {
        var merged = new List<Bucket>(_buckets.Count / 2 + 1);
        for (var i = 0; i < _buckets.Count; i += 2)
            merged.Add(i + 1 < _buckets.Count ? _buckets[i].Merge(_buckets[i + 1]) : _buckets[i]);
        _buckets.Clear();
        _buckets.AddRange(merged);
    }

    /// <summary>Sums over Count steps, so merging buckets of different sizes keeps true means.</summary>
    private readonly record struct Bucket(long LastStep, int Count, double LossD, double LossG, double DOfX, double DOfGzBeforeD, double DOfGzAfterD,
        double DAccuracyReal, double DAccuracyFake, double GradientNormG, double GradientNormD)
    {
        public static Bucket Of(TrainingProgress p) => new(p.Step, 1, p.LossD, p.LossG, p.DOfX, p.DOfGzBeforeD, p.DOfGzAfterD,
            p.DAccuracyReal, p.DAccuracyFake, p.GradientNormG, p.GradientNormD);

        public Bucket Merge(Bucket later) => new(later.LastStep, Count + later.Count,
            LossD + later.LossD, LossG + later.LossG, DOfX + later.DOfX,
            DOfGzBeforeD + later.DOfGzBeforeD, DOfGzAfterD + later.DOfGzAfterD,
            DAccuracyReal + later.DAccuracyReal, DAccuracyFake + later.DAccuracyFake,
            GradientNormG + later.GradientNormG, GradientNormD + later.GradientNormD);

        public ChartPoint ToPoint() => new(LastStep, LossD / Count, LossG / Count, DOfX / Count, DOfGzBeforeD / Count, DOfGzAfterD / Count,
            DAccuracyReal / Count, DAccuracyFake / Count, GradientNormG / Count, GradientNormD / Count);
    }
}
