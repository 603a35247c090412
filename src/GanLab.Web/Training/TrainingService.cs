using System.Collections.Concurrent;
using GanLab.Core.Data;
using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Torch;
using GanLab.Web.Runs;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Training;

/// <summary>
/// Owns every training run in the server. Components never create or dispose a run themselves: they open a
/// <see cref="TrainerSession"/>, and the service creates the run when the learner presses Train, hands it to the
/// <see cref="TrainingScheduler"/> (which decides when it trains), and keeps at most
/// <see cref="GanLabWebOptions.MaxLiveRuns"/> models in memory: past that, the least recently used run that is not
/// training is saved to a checkpoint and freed, and comes back from it when it next trains.
/// </summary>
public sealed class TrainingService : IDisposable
{
    private readonly DatasetCatalog _datasets;
    private readonly GanLabWebOptions _options;
    private readonly RunRecorder _recorder;
    private readonly TimeProvider _clock;
    private readonly ILogger<TrainingService> _logger;
    private readonly ConcurrentDictionary<string, string> _deviceNames = new();
    private readonly ConcurrentDictionary<string, ServerRun> _active = new();
    // Toy runs on record and not ended, by record id: a toy component's run between its first Play and its end.
    private readonly ConcurrentDictionary<string, ToyRun> _activeToys = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<byte[]>>> _realGrids = new();
    // Models in memory, least recently used first. Guarded by _models: loading and evicting one at a time.
    private readonly List<ServerRun> _loaded = [];
    private readonly SemaphoreSlim _models = new(1, 1);
    private bool _disposed;

    public TrainingService(DatasetCatalog datasets, IOptions<GanLabWebOptions> options, RunRecorder recorder,
        TimeProvider clock, ILogger<TrainingService> logger)
    {
        _datasets = datasets;
        _options = options.Value;
        _recorder = recorder;
        _clock = clock;
        _logger = logger;
        var cuda = DescribeDevice("auto") == "cuda";
        Scheduler = new TrainingScheduler(
            new SchedulerLimits(_options.ConcurrentRunsFor(cuda), _options.MaxRunsPerBrowser, TimeSpan.FromSeconds(_options.QuantumSeconds), _options.ToySlots),
            clock);
        if (_options.MaxLiveRuns < Scheduler.Limits.Slots)
            throw new OptionsValidationException(GanLabWebOptions.Section, typeof(GanLabWebOptions),
                [$"GanLab:MaxLiveRuns ({_options.MaxLiveRuns}) must be at least the number of runs that train at once ({Scheduler.Limits.Slots})."]);
        Scheduler.Changed += () =>
        {
            foreach (var run in _active.Values) run.NotifyQueueMoved();
        };
        CheckpointFolder = Path.Combine(_options.DataFolder, "runs");
        Reclaim = new RunReclaim(clock, TimeSpan.FromSeconds(_options.RunReclaimGraceSeconds),
            TimeSpan.FromSeconds(_options.DisconnectedTabSeconds), _options.MaxRunsPerBrowser, logger);
        logger.LogInformation("Training: {Slots} run(s) at once on {Device} and {ToySlots} toy slot(s), quantum {Quantum} s, {PerBrowser} per browser, {Live} models in memory",
            Scheduler.Limits.Slots, cuda ? "cuda" : "cpu", Scheduler.Limits.ToySlots, _options.QuantumSeconds, _options.MaxRunsPerBrowser, _options.MaxLiveRuns);
    }

    public TrainingScheduler Scheduler { get; }

    public string CheckpointFolder { get; }

    internal DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Runs whose page went away, waiting for it to come back.</summary>
    public RunReclaim Reclaim { get; }

    /// <summary>
    /// A trainer for a page. With a <paramref name="place"/> it takes back the run its browser's trainer there left
    /// behind (a reload), and leaves its own run there when its page goes.
    /// </summary>
    public TrainerSession OpenSession(GanTrainingOptions runOptions, string browserId, TrainerPlace? place = null) =>
        new(this, runOptions, browserId, place);

    /// <summary>
    /// What a run has recorded so far, for a trainer that attaches to it after it trained: its metric rows (every k-th of
    /// a long run, at most <paramref name="maxPoints"/>) and its stored sample grids, oldest first.
    /// </summary>
    public async Task<RunHistory> HistoryAsync(ServerRun run, int maxPoints)
    {
        await CatchUpRecorderAsync();
        var store = _recorder.Store;
        return await Task.Run(() => new RunHistory(
            store.Metrics(run.Id, maxPoints),
            store.Snapshots(run.Id)));
    }

    /// <summary>The run's last <paramref name="count"/> steps as recorded, every one (a comparison's final means of a run it took back).</summary>
    public async Task<IReadOnlyList<TrainingProgress>> RecentMetricsAsync(ServerRun run, int count)
    {
        await CatchUpRecorderAsync();
        var store = _recorder.Store;
        return await Task.Run(() => store.LastMetrics(run.Id, count));
    }

    /// <summary>
    /// A session for a run its block took back itself (a comparison's side, <see cref="RunReclaim.ClaimAll"/>): it has
    /// no place of its own, as the block keeps its runs together when the page goes.
    /// </summary>
    internal TrainerSession ReopenSession(ServerRun run) => new(this, run.Options, run.BrowserId, place: null, adopt: run);

    // What a run reported a moment ago may still be on its way to the database.
    private async Task CatchUpRecorderAsync()
    {
        try
        {
            await _recorder.FlushAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // A slow disk: show what is stored; the page goes on live either way.
        }
    }

    /// <summary>Runs that currently hold a model (and its native memory).</summary>
    public int LiveRuns { get { lock (_loaded) return _loaded.Count; } }

    /// <summary>Runs queued, running or paused, oldest first: what the instructor sees.</summary>
    public IReadOnlyList<ServerRun> ActiveRuns => [.. _active.Values.OrderBy(r => r.CreatedUtc)];

    public ServerRun? FindActive(string id) => _active.GetValueOrDefault(id);

    /// <summary>Toy runs queued, running or paused, oldest first: what the instructor sees beside the image runs.</summary>
    public IReadOnlyList<ToyRun> ActiveToyRuns => [.. _activeToys.Values.Distinct().OrderBy(t => t.Record?.CreatedUtc)];

    public ToyRun? FindActiveToy(string id) => _activeToys.GetValueOrDefault(id);

    /// <summary>True while the run with this id (image or toy) is queued, running or paused on this server.</summary>
    public bool IsActive(string id) => _active.ContainsKey(id) || _activeToys.ContainsKey(id);

    /// <summary>
    /// A toy component's run, trained through the scheduler and put on record in the runs database (its status and
    /// times; see <see cref="ToyRun"/>). The component owns it and disposes it when the page goes.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names every problem.</exception>
    /// <param name="component">The lesson component: toy-2d, optimal-discriminator, minimax-game.</param>
    public ToyRun CreateToyRun(string browserId, string component, ToyGanOptions options, int evaluationSamples)
    {
        var toy = new ToyRun(Scheduler, browserId, options, evaluationSamples, _clock) { Component = component };
        toy.RecordChanged += record =>
        {
            if (record.Status.IsFinal()) _activeToys.TryRemove(record.Id, out _);
            else _activeToys[record.Id] = toy;
            _recorder.Save(record);
        };
        return toy;
    }

    /// <summary>"cpu" or "cuda": where a run with this device setting would train.</summary>
    public string DescribeDevice(string requested) => _deviceNames.GetOrAdd(requested, static value =>
    {
        try
        {
            return TrainingDevice.Describe(value);
        }
        catch (Exception ex) when (ex is DllNotFoundException or TypeInitializationException or InvalidOperationException)
        {
            return "unavailable";
        }
    });

    /// <summary>
    /// 8×8 real training images of a dataset as a PNG, the same for every student, for the real-vs-fake view.
    /// Made once per dataset off the page's thread; a dataset that fails to load is not cached, so the message can change.
    /// </summary>
    /// <exception cref="Exception">The dataset could not be loaded (missing files); the message says what to fetch.</exception>
    public async Task<byte[]> RealSampleGridAsync(string dataset)
    {
        var lazy = _realGrids.GetOrAdd(dataset, name => new Lazy<Task<byte[]>>(() => Task.Run(() => _datasets.Get(name).SampleGridPng(8, 8, seed: 0))));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _realGrids.TryRemove(new KeyValuePair<string, Lazy<Task<byte[]>>>(dataset, lazy));
            throw;
        }
    }

    /// <summary>
    /// Raised when <see cref="CreateRun"/> has queued a new run, on the thread that created it: views of "the newest run"
    /// (```sample-grid) switch to it at once. Only a new run is newer than every other; a run adopted after a reload
    /// keeps its id and age. Handlers must be quick and marshal to their own thread.
    /// </summary>
    public event Action<ServerRun>? RunCreated;

    /// <summary>Records a new run and queues it. Cheap: the model is built when the run first gets a slot.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message names every problem.</exception>
    /// <exception cref="RunQueueFullException">This browser already has its share of runs.</exception>
    /// <param name="firstStepOnly">Step rather than Train: the run pauses after its first step.</param>
    public ServerRun CreateRun(GanTrainingOptions runOptions, string browserId, bool firstStepOnly = false)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var problems = runOptions.Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join("; ", problems));
        var run = new ServerRun(this, _recorder, browserId, runOptions, _options.SnapshotEverySteps, Now);
        if (firstStepOnly) run.PauseAfterFirstStep();
        _active[run.Id] = run;
        try
        {
            Scheduler.Enqueue(run);
        }
        catch
        {
            _active.TryRemove(run.Id, out _);
            throw;
        }
        _recorder.Save(run.ToRecord());
        _logger.LogInformation("Run {Id} queued for browser {Browser}: {Options}", run.Id, run.BrowserId, runOptions);
        RunCreated?.Invoke(run);
        return run;
    }

    /// <summary>The run's model, loading it (fresh or from its checkpoint) and making room first when memory is full.</summary>
    internal async Task<TrainingRun> LoadModelAsync(ServerRun run)
    {
        await _models.WaitAsync();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            lock (_loaded)
            {
                if (run.Model is { } loaded)
                {
                    _loaded.Remove(run);
                    _loaded.Add(run);
                    return loaded;
                }
            }
            while (LiveRuns >= _options.MaxLiveRuns) await EvictOneAsync();
            // Building the networks and copying the dataset to the device is the slow part; it is off every page's thread.
            var model = await Task.Run(() => run.CheckpointPath is { } path && File.Exists(path)
                ? new TrainingRun(path, _datasets)
                : new TrainingRun(run.Options, _datasets));
            run.Attach(model);
            lock (_loaded) _loaded.Add(run);
            return model;
        }
        finally
        {
            _models.Release();
        }
    }

    /// <summary>Saves the least recently used model that is not training to its checkpoint and frees it.</summary>
    private async Task EvictOneAsync()
    {
        ServerRun victim;
        lock (_loaded)
        {
            // A run granted a slot gets its model only through LoadModelAsync, which waits for this eviction.
            victim = _loaded.FirstOrDefault(r => Scheduler.StateOf(r) != ScheduleState.Running)
                ?? throw new InvalidOperationException($"all {_loaded.Count} models in memory are training; GanLab:MaxLiveRuns must exceed the training slots");
            _loaded.Remove(victim);
        }
        var model = victim.Model!;
        victim.Detach();
        await Task.Run(() =>
        {
            try
            {
                Directory.CreateDirectory(CheckpointFolder);
                var path = Path.Combine(CheckpointFolder, $"{victim.Id}.ganlab");
                if (model.SaveCheckpoint(path)) victim.CheckpointPath = path;
                _logger.LogInformation("Run {Id} saved to {Path} and freed to make room", victim.Id, path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or GanLab.Torch.TorchException)
            {
                // Its weights are lost; the run says so rather than silently starting over.
                _logger.LogWarning(ex, "Run {Id} could not be saved before being freed", victim.Id);
                _ = victim.EndAsync(RunStatus.Failed, $"the server needed the memory and could not save this run first: {ex.Message}");
            }
            finally
            {
                DisposeModel(model);
            }
        });
    }

    /// <summary>A run ended: keep its checkpoint when it finished, free its model, forget it as active.</summary>
    internal void Retire(ServerRun run, bool keepCheckpoint)
    {
        _active.TryRemove(run.Id, out _);
        TrainingRun? model;
        lock (_loaded)
        {
            _loaded.Remove(run);
            model = run.Model;
            run.Detach();
        }
        if (keepCheckpoint && model is not null)
        {
            try
            {
                Directory.CreateDirectory(CheckpointFolder);
                var path = Path.Combine(CheckpointFolder, $"{run.Id}.ganlab");
                if (model.SaveCheckpoint(path)) run.CheckpointPath = path;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or GanLab.Torch.TorchException)
            {
                _logger.LogWarning(ex, "The checkpoint of finished run {Id} could not be saved", run.Id);
            }
        }
        else if (!keepCheckpoint && run.CheckpointPath is { } stale)
        {
            // A checkpoint made only to free memory: nobody can resume an ended run.
            TryDelete(stale);
            run.CheckpointPath = null;
        }
        // Disposing waits for the training thread to let go; no page thread should wait for that.
        if (model is not null) _ = Task.Run(() => DisposeModel(model));
    }

    /// <summary>The server is stopping: every run still going is interrupted (its history stays in the database).</summary>
    public Task InterruptAllAsync() =>
        Task.WhenAll([
            .. _active.Values.Select(run => run.EndAsync(RunStatus.Interrupted, "The server stopped while this run was going; its history up to then is kept.")),
            .. _activeToys.Values.Distinct().Select(toy => toy.EndAsync(RunStatus.Interrupted, "The server stopped while this run was going.")),
        ]);

    private void DisposeModel(TrainingRun model)
    {
        try
        {
            model.Dispose();
            // The model's tensors went back to malloc, which keeps them in the arenas of the threads that
            // trained; without this a class's finished runs leave the server holding their memory.
            NativeHeap.Trim();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Disposing a training run failed");
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(ex, "Could not delete {Path}", path);
        }
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Reclaim.Dispose();
        List<ServerRun> loaded;
        lock (_loaded)
        {
            loaded = [.. _loaded];
            _loaded.Clear();
        }
        foreach (var run in loaded)
        {
            var model = run.Model;
            run.Detach();
            if (model is not null) DisposeModel(model);
        }
    }
}

/// <summary>A run's stored history: metric rows and sample grids in step order.</summary>
public sealed record RunHistory(IReadOnlyList<TrainingProgress> Metrics, IReadOnlyList<SampleGridSnapshot> Snapshots);
