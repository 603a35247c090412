using GanLab.Core.Training;
using GanLab.Web.Evaluation;

namespace GanLab.Web.Training;

/// <summary>
/// Two runs of one browser trained side by side for a comparison: same seed, same budget (steps through
/// <see cref="GanTrainingOptions.MaxSteps"/>, or seconds of training, which this class enforces), both queued through
/// the one <see cref="TrainingScheduler"/> as two <see cref="TrainerSession"/>s. When both have ended it measures
/// each generator once (FID and classifier score) when the dataset's classifier is cached.
/// A comparison with a <see cref="TrainerPlace"/> survives its page like a trainer: when the page goes its two runs
/// pause and wait in <see cref="RunReclaim"/> as one entry, and the same block opened again by the same browser takes
/// both back (<see cref="Adopted"/>), or neither. The budget goes on where it was: steps are the runs' own, and seconds
/// are counted by each run's own training clock, which a run keeps across pauses and checkpoints.
/// Events are raised on training, scheduler or evaluation threads; subscribers marshal to their own.
/// </summary>
public sealed class GanComparison : IDisposable, IRunHeir
{
    private readonly TrainingService _training;
    private readonly RunEvaluator? _evaluator;
    private readonly string _browserId;
    private readonly int? _samples;
    private readonly TrainerPlace? _place;
    // Train, Reset, taking runs back and leaving, one at a time: a comparison never ends up with one side's run only.
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private int _evaluationStarted;
    private bool _disposed;

    /// <param name="seconds">training seconds per run; null when the options' MaxSteps is the budget</param>
    /// <param name="place">which block this is, for a page opened again to find its runs; null: its runs end with its page</param>
    public GanComparison(TrainingService training, RunEvaluator? evaluator, string browserId,
        GanTrainingOptions left, GanTrainingOptions right, double? seconds, int? samples, TrainerPlace? place = null)
    {
        if (left.Seed != right.Seed) throw new ArgumentException($"the two runs of a comparison share one seed, not {left.Seed} and {right.Seed}");
        _training = training;
        _evaluator = evaluator;
        _browserId = browserId;
        _samples = samples;
        _place = place;
        Seconds = seconds;
        if (place is not null && training.Reclaim.ClaimAll(browserId, place, 2) is [var leftRun, var rightRun])
        {
            Left = new ComparisonSide("left", training.ReopenSession(leftRun), this);
            Right = new ComparisonSide("right", training.ReopenSession(rightRun), this);
            Adopted = true;
            RecallRecentSteps();
            return;
        }
        Left = new ComparisonSide("left", training.OpenSession(left, browserId), this);
        Right = new ComparisonSide("right", training.OpenSession(right, browserId), this);
        if (place is not null) training.Reclaim.AwaitHeritage(this, place);
    }

    public ComparisonSide Left { get; }
    public ComparisonSide Right { get; }
    public IReadOnlyList<ComparisonSide> Sides => [Left, Right];

    string IRunHeir.BrowserId => _browserId;

    /// <summary>Seconds of training each run gets, or null for a step budget.</summary>
    public double? Seconds { get; }

    /// <summary>
    /// The two runs were taken back from this block's earlier page (they have a history this page did not see), until Reset.
    /// </summary>
    public bool Adopted { get; private set; }

    /// <summary>Why the last Train was refused (this browser's share of runs is full, …); the comparison stays as it was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>Both runs ended (finished, failed or cancelled): the final table can be drawn.</summary>
    public bool BothEnded => Sides.All(s => s.Session.Status is { } status && status.IsFinal());

    /// <summary>Why FID is not measured (no cached classifier for a side's dataset), or null.</summary>
    public string? NoClassifier { get; private set; }

    /// <summary>Raised whenever either run or either evaluation moves.</summary>
    public event Action? Changed;

    /// <summary>Raised when the runs of this block's old page arrive after this comparison opened (its old page let go late).</summary>
    public event Action? RunsAdopted;

    /// <summary>
    /// Starts both runs, or resumes those paused (a side that already finished stays finished). If the second is refused,
    /// new runs are reset and resumed ones paused again, so a comparison never trains one-sided.
    /// </summary>
    public async Task StartAsync()
    {
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed) return;
            Refusal = null;
            var resuming = Sides.Any(s => s.Session.Run is not null);
            await Left.Session.StartAsync();
            await Right.Session.StartAsync();
            if ((Left.Session.Refusal ?? Right.Session.Refusal) is { } refusal)
            {
                Refusal = refusal;
                if (resuming) await Task.WhenAll(Left.Session.StopAsync(), Right.Session.StopAsync());
                else await Task.WhenAll(Left.Session.ResetAsync(), Right.Session.ResetAsync());
            }
            if (_place is not null && Sides.Any(s => s.Session.Run is not null)) _training.Reclaim.StopAwaiting(this);
        }
        finally
        {
            _lifecycle.Release();
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
        await _lifecycle.WaitAsync();
        try
        {
            Refusal = null;
            await Task.WhenAll(Left.Session.ResetAsync(), Right.Session.ResetAsync());
            foreach (var side in Sides) side.ResetEvaluation();
            NoClassifier = null;
            Adopted = false;
            Interlocked.Exchange(ref _evaluationStarted, 0);
        }
        finally
        {
            _lifecycle.Release();
        }
        RaiseChanged();
    }

    internal void RaiseChanged() => Changed?.Invoke();

    internal void Withdraw(EvaluationTicket ticket) => _evaluator?.Withdraw(ticket);

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

    /// <summary>The old page of this block let go of its two runs after this comparison opened: both are taken, or neither.</summary>
    async Task<bool> IRunHeir.TryAdoptAsync(IReadOnlyList<ServerRun> runs)
    {
        if (runs is not [var leftRun, var rightRun]) return false;
        await _lifecycle.WaitAsync();
        try
        {
            if (_disposed || Sides.Any(s => s.Session.Run is not null)) return false;
            // Both sessions are idle and only this comparison, under its lock, gives them runs: neither can refuse.
            await Left.Session.TryAdoptAsync(leftRun, acceptEnded: true);
            await Right.Session.TryAdoptAsync(rightRun, acceptEnded: true);
            Adopted = true;
        }
        finally
        {
            _lifecycle.Release();
        }
        RecallRecentSteps();
        RunsAdopted?.Invoke();
        OnSideStateChanged();
        return true;
    }

    // The final table's means of the last steps: what the runs trained before this page come from the runs database.
    private void RecallRecentSteps()
    {
        foreach (var side in Sides)
            if (side.Session.Run is { } run) _ = side.RecallRecentAsync(_training, run);
    }

    /// <summary>
    /// The page went away. Without a place both runs end (their history stays). With one, both pause (a finished side
    /// stays finished) and wait together for this block to be opened again, and end together when nobody does.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Changed = null;
        RunsAdopted = null;
        foreach (var side in Sides) side.Dispose();
        if (_place is not { } place)
        {
            foreach (var side in Sides) side.Session.Dispose();
            return;
        }
        _training.Reclaim.StopAwaiting(this);
        _ = Task.Run(async () =>
        {
            await _lifecycle.WaitAsync();
            try
            {
                var runs = new List<ServerRun>();
                foreach (var side in Sides)
                    if (await side.Session.HandOverAsync() is { } run) runs.Add(run);
                if (runs.Count == 0) return;
                // Paused before they are listed: whoever takes them back finds them as the page left them.
                await Task.WhenAll(runs.Select(r => r.PauseAsync()));
                if (runs.Count == 2 && _training.Reclaim.Grace > TimeSpan.Zero && await _training.Reclaim.KeepAsync(runs, place)) return;
                foreach (var run in runs) await run.EndAsync(RunStatus.Cancelled, "The page was closed while the run was going.");
            }
            finally
            {
                _lifecycle.Release();
            }
        });
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

    /// <summary>
    /// A run taken back from an earlier page: its last steps, as recorded, join those seen since, so the final table's
    /// means cover the run's last <see cref="FinalWindow"/> steps wherever they were trained.
    /// </summary>
    internal async Task RecallRecentAsync(TrainingService training, ServerRun run)
    {
        IReadOnlyList<TrainingProgress> stored;
        try
        {
            stored = await training.RecentMetricsAsync(run, FinalWindow);
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or InvalidDataException or IOException)
        {
            // An unreadable database: the means cover the steps trained since, as the table's row count says.
            return;
        }
        lock (_recent)
        {
            if (!ReferenceEquals(Session.Run, run)) return; // reset meanwhile: these steps belong to no run of this side
            var seen = _recent.Count > 0 ? _recent.Peek().Step : long.MaxValue;
            var merged = stored.Where(p => p.Step < seen).Concat(_recent).TakeLast(FinalWindow).ToList();
            _recent.Clear();
            foreach (var progress in merged) _recent.Enqueue(progress);
        }
        _comparison.RaiseChanged();
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

    /// <summary>Forgets this side's measurement (Reset, or the page went away); one still queued leaves the queue, as it would measure for nobody.</summary>
    internal void ResetEvaluation()
    {
        if (Evaluation is { } ticket)
        {
            ticket.Changed -= _comparison.RaiseChanged;
            _comparison.Withdraw(ticket);
        }
        Evaluation = null;
        EvaluationError = null;
        Interlocked.Exchange(ref _budgetSpent, 0);
    }

    /// <summary>Lets go of the session's events; the comparison decides what becomes of the session and its run.</summary>
    public void Dispose()
    {
        ResetEvaluation();
        Session.Progress -= OnProgress;
        Session.StateChanged -= OnStateChanged;
    }
}
