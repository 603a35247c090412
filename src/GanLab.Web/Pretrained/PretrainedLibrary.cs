using System.Collections.Concurrent;
using GanLab.Core.Latent;
using GanLab.Core.Pretrained;

namespace GanLab.Web.Pretrained;

/// <summary>Where a pretrained model stands for the pages.</summary>
public enum PretrainedState
{
    /// <summary>Not trained, and nothing on this server is training it (pretraining on start is off).</summary>
    Missing,

    /// <summary>Waiting for its turn, or training: <see cref="PretrainedStatus.Fraction"/> says how far.</summary>
    Preparing,

    Ready,

    /// <summary>Training it failed; <see cref="PretrainedStatus.Message"/> says why.</summary>
    Failed,
}

public sealed record PretrainedStatus(PretrainedState State, double Fraction, string? Message);

/// <summary>
/// The server's pretrained models: what state each is in (for "being prepared (N%)"), and each ready model's
/// Generator loaded once and shared by every page. Generation is bounded: at most <see cref="MaxConcurrentGenerations"/>
/// requests run at once across all students, off the render thread, so a class clicking at once queues for
/// milliseconds instead of oversubscribing the cores that training needs.
/// </summary>
public sealed class PretrainedLibrary : IDisposable
{
    /// <summary>Two: one generation of a small Generator is milliseconds; more in parallel only contend with training.</summary>
    public const int MaxConcurrentGenerations = 2;

    private readonly ConcurrentDictionary<string, PretrainedStatus> _statuses = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<LatentGenerator>>> _generators = new();
    private readonly SemaphoreSlim _generations = new(MaxConcurrentGenerations, MaxConcurrentGenerations);
    private readonly ILogger<PretrainedLibrary> _logger;

    public PretrainedLibrary(PretrainedModels models, ILogger<PretrainedLibrary> logger)
    {
        Models = models;
        _logger = logger;
        // Which files are ready is read once here (a CRC check of each); after that the trainer reports changes.
        foreach (var entry in models.Gans)
        {
            var record = models.ReadCached(entry, out var problem);
            _statuses[entry.Name] = record is not null ? new(PretrainedState.Ready, 1, null) : new(PretrainedState.Missing, 0, problem);
        }
    }

    public PretrainedModels Models { get; }

    /// <summary>Raised (on any thread) with the model's name when its status changes.</summary>
    public event Action<string>? Changed;

    public PretrainedStatus StatusOf(string name) =>
        _statuses.GetValueOrDefault(name) ?? new(PretrainedState.Failed, 0, $"pretrained model '{name}' is unknown; allowed: {string.Join(", ", Models.Gans.Select(g => g.Name))}");

    /// <summary>What the trainer of a model (PretrainOnStart) says about it; the pages hear it through <see cref="Changed"/>.</summary>
    public void Report(string name, PretrainedStatus status)
    {
        _statuses[name] = status;
        Changed?.Invoke(name);
    }

    /// <summary>The ready model's Generator, loaded on first use off the caller's thread; fails when the model is not ready.</summary>
    public Task<LatentGenerator> GeneratorAsync(string name)
    {
        if (StatusOf(name).State != PretrainedState.Ready)
            return Task.FromException<LatentGenerator>(new InvalidOperationException($"pretrained model {name} is not ready"));
        var lazy = _generators.GetOrAdd(name, n => new Lazy<Task<LatentGenerator>>(() => Task.Run(() => Models.LoadGenerator(Models.Find(n)))));
        var task = lazy.Value;
        // A load that failed (a file damaged since start) is not kept: the next page tries again.
        task.ContinueWith(t =>
        {
            _generators.TryRemove(new KeyValuePair<string, Lazy<Task<LatentGenerator>>>(name, lazy));
            _logger.LogWarning("Pretrained model {Name} could not be loaded: {Message}", name, t.Exception?.GetBaseException().Message);
        }, TaskContinuationOptions.OnlyOnFaulted);
        return task;
    }

    /// <summary>Runs <paramref name="work"/> (generation, a neighbour search) on the thread pool within the server-wide bound.</summary>
    public async Task<T> RunBoundedAsync<T>(Func<T> work, CancellationToken cancel = default)
    {
        await _generations.WaitAsync(cancel);
        try
        {
            return await Task.Run(work, cancel);
        }
        finally
        {
            _generations.Release();
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _generators.Values)
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) lazy.Value.Result.Dispose();
        _generations.Dispose();
    }
}
