using GanLab.Core.Training;
using GanLab.Web.Evaluation;

namespace GanLab.Web.Training;

/// <summary>
/// Two runs of one browser trained side by side for a comparison: same seed, same budget (steps through
/// <see cref="GanTrainingOptions.MaxSteps"/>, or seconds of training, which this class enforces), both queued through
/// the one <see cref="TrainingScheduler"/> as two <see cref="TrainerSession"/>s. When both have ended it measures
/// each generator once (FID and classifier score) when the dataset's classifier is cached.
/// Events are raised on training, scheduler or evaluation threads; subscribers marshal to their own.
/// </summary>
public sealed class GanComparison : IDisposable
{
    private readonly RunEvaluator? _evaluator;
    private readonly string _browserId;
    private readonly int? _samples;
    private int _evaluationStarted;

    /// <param name="seconds">training seconds per run; null when the options' MaxSteps is the budget</param>
    public GanComparison(TrainingService training, RunEvaluator? evaluator, string browserId,
        GanTrainingOptions left, GanTrainingOptions right, double? seconds, int? samples)
    {
        if (left.Seed != right.Seed) throw new ArgumentException($"the two runs of a comparison share one seed, not {left.Seed} and {right.Seed}");
        _evaluator = evaluator;
        _browserId = browserId;
        _samples = samples;
        Seconds = seconds;
        Left = new ComparisonSide("left", training.OpenSession(left, browserId), this);
        Right = new ComparisonSide("right", training.OpenSession(right, browserId), this);
    }

    public ComparisonSide Left { get; }
    public ComparisonSide Right { get; }
    public IReadOnlyList<ComparisonSide> Sides => [Left, Right];

    /// <summary>Seconds of training each run gets, or null for a step budget.</summary>
    public double? Seconds { get; }

    /// <summary>Why the last Train was refused (this browser's share of runs is full, …); the comparison stays as it was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Both runs ended (finished, failed or cancelled): the final table can be drawn.</summary>
    public bool BothEnded => Sides.All(s => s.Session.Status is { } status && status.IsFinal());

    /// <summary>Why FID is not measured (no cached classifier for a side's dataset), or null.</summary>
    public string? NoClassifier { get; private set; }

    /// <summary>Raised whenever either run or either evaluation moves.</summary>
    public event Action? Changed;

    /// <summary>Starts both runs (or resumes both after Stop). If the second is refused, the first is reset, so a comparison never trains one-sided.</summary>
    public async Task StartAsync()
    {
        Refusal = null;
        await Left.Session.StartAsync();
        await Right.Session.StartAsync();
        if ((Left.Session.Refusal ?? Right.Session.Refusal) is { } refusal)
        {
            Refusal = refusal;
            await Left.Session.ResetAsync();
            await Right.Session.ResetAsync();
        }
        RaiseChanged();
    }

    /// <summary>Pauses both; their weights stay for a later resume.</summary>
    public async Task StopAsync()
    {
        await Task.WhenAll(Left.Session.StopAsync(), Right.Session.StopAsync());
    }

    /// <summary>Ends both runs; the next Train starts both from fresh weights.</summary>
    public async Task ResetAsync()
    {
        Refusal = null;
        await Task.WhenAll(Left.Session.ResetAsync(), Right.Session.ResetAsync());
        foreach (var side in Sides) side.ResetEvaluation();
        NoClassifier = null;
        Interlocked.Exchange(ref _evaluationStarted, 0);
        RaiseChanged();
    }

    internal void RaiseChanged() => Changed?.Invoke();

    /// <summary>A run moved: when both have ended, measure the generators of those that finished, once.</summary>
    internal void OnSideStateChanged()
    {
        if (BothEnded && Interlocked.Exchange(ref _evaluationStarted, 1) == 0) StartEvaluations();
        RaiseChanged();
    }

    private void StartEvaluations()
    {
        if (_evaluator is null) return;
        foreach (var side in Sides)
        {
            if (side.Session.Run is not { Status: RunStatus.Finished, CheckpointPath: { } checkpoint } run) continue;
            if (!_evaluator.HasClassifier(run.Options.Dataset))
            {
                NoClassifier = RunEvaluator.NoClassifierMessage(run.Options.Dataset);
                continue;
            }
            try
            {
                side.Watch(_evaluator.Enqueue(_browserId, checkpoint, run.Options.Dataset, _samples));
            }
            catch (Exception e) when (e is EvaluationQueueFullException or InvalidOperationException)
            {
                side.EvaluationError = e.Message;
            }
        }
    }

    public void Dispose()
    {
        foreach (var side in Sides) side.Dispose();
        Changed = null;
    }
}

/// <summary>One run of a <see cref="GanComparison"/>: its session, its time budget, and its evaluation.</summary>
public sealed class ComparisonSide : IDisposable
{
    /// <summary>Steps averaged for the final table: one step's losses jump too much to compare two runs by.</summary>
    public const int FinalWindow = 50;

    private readonly GanComparison _comparison;
    private readonly Queue<TrainingProgress> _recent = new();
    private int _budgetSpent;

    internal ComparisonSide(string name, TrainerSession session, GanComparison comparison)
    {
        Name = name;
        Session = session;
        _comparison = comparison;
        session.Progress += OnProgress;
        session.StateChanged += OnStateChanged;
    }

    /// <summary>"left" or "right".</summary>
    public string Name { get; }

    public TrainerSession Session { get; }

    /// <summary>The measurement of this side's generator once both runs ended; null before, or without a classifier.</summary>
    public EvaluationTicket? Evaluation { get; private set; }

    /// <summary>Why this side could not be queued for measuring.</summary>
    public string? EvaluationError { get; internal set; }

    /// <summary>Means over the last <see cref="FinalWindow"/> steps (fewer if the run made fewer): Loss_D, Loss_G, D(x), D(G(z)) before D's step.</summary>
    public (double LossD, double LossG, double DOfX, double DOfGz, int Steps)? RecentMeans()
    {
        TrainingProgress[] recent;
        lock (_recent) recent = [.. _recent];
        if (recent.Length == 0) return null;
        return (recent.Average(p => p.LossD), recent.Average(p => p.LossG), recent.Average(p => p.DOfX), recent.Average(p => p.DOfGzBeforeD), recent.Length);
    }

    // Training thread: the run's own clock counts only time spent training, so waiting for a slot costs nothing.
    private void OnProgress(TrainingProgress progress)
    {
        lock (_recent)
        {
            _recent.Enqueue(progress);
            if (_recent.Count > FinalWindow) _recent.Dequeue();
        }
        if (_comparison.Seconds is not { } budget || progress.Elapsed.TotalSeconds < budget) return;
        if (Interlocked.Exchange(ref _budgetSpent, 1) == 1 || Session.Run is not { } run) return;
        // Ending waits for the training thread to let go, so it must not run on that thread.
        _ = Task.Run(() => run.EndAsync(RunStatus.Finished,
            $"Reached its budget of {budget:0.#} s of training at step {progress.Step:N0}."));
    }

    private void OnStateChanged()
    {
        if (Session.Status is null)
        {
            // Reset: a new run gets the whole budget and its own final numbers.
            Interlocked.Exchange(ref _budgetSpent, 0);
            lock (_recent) _recent.Clear();
        }
        _comparison.OnSideStateChanged();
    }

    internal void Watch(EvaluationTicket ticket)
    {
        Evaluation = ticket;
        ticket.Changed += _comparison.RaiseChanged;
    }

    internal void ResetEvaluation()
    {
        if (Evaluation is { } ticket) ticket.Changed -= _comparison.RaiseChanged;
        Evaluation = null;
        EvaluationError = null;
        Interlocked.Exchange(ref _budgetSpent, 0);
    }

    public void Dispose()
    {
        ResetEvaluation();
        Session.Progress -= OnProgress;
        Session.StateChanged -= OnStateChanged;
        Session.Dispose();
    }
}
