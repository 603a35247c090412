using Microsoft.JSInterop;

namespace GanLab.Web.Lessons;

/// <summary>Where a browser is with one lesson.</summary>
public enum LessonStatus
{
    NotStarted,
    Opened,
    Completed,
}

/// <summary>One lesson's entry in the browser's progress: when it was first opened and when completed.</summary>
public sealed record LessonProgressEntry(string? Opened, string? Completed);

/// <summary>
/// This browser's progress through the course, and the typed wrapper for wwwroot/js/progress.js.
/// Kept in the browser's localStorage rather than on the server: it is the student's own, needs no
/// identity, survives server restarts, and leaves the server's browser-id cookie and run database
/// to the training side. One per circuit (scoped): the outline and the lesson page share it, and
/// <see cref="Changed"/> tells both when either marks something. Not disposable: it lives exactly as
/// long as the circuit, and its JS module reference ends with the circuit.
/// </summary>
public sealed class LessonProgress(IJSRuntime js, ILogger<LessonProgress> logger)
{
    public const string ModulePath = "./js/progress.js";

    private Task<IJSObjectReference>? _module;
    private Task? _loading;
    private IReadOnlyDictionary<string, LessonProgressEntry> _entries = new Dictionary<string, LessonProgressEntry>();

    /// <summary>Raised after the progress was read from the browser or changed.</summary>
    public event Action? Changed;

    /// <summary>False until the browser has answered: before that (and while prerendering) nothing is known.</summary>
    public bool IsLoaded { get; private set; }

    public LessonStatus StatusOf(string slug) => _entries.TryGetValue(slug, out var entry)
        ? entry.Completed is not null ? LessonStatus.Completed
        : entry.Opened is not null ? LessonStatus.Opened
        : LessonStatus.NotStarted
        : LessonStatus.NotStarted;

    private Task<IJSObjectReference> Module => _module ??= js.InvokeAsync<IJSObjectReference>("import", ModulePath).AsTask();

    /// <summary>Reads the browser's progress once per circuit; call after the first render (JS is not there before).</summary>
    public Task LoadAsync() => _loading ??= ReadAsync();

    private Task ReadAsync() => CallAsync("read");

    /// <summary>Records that this browser opened the lesson (the first time only).</summary>
    public async Task MarkOpenedAsync(string slug)
    {
        await LoadAsync();
        if (!IsLoaded || StatusOf(slug) != LessonStatus.NotStarted) return;
        await CallAsync("markOpened", slug);
    }

    public async Task SetCompletedAsync(string slug, bool completed)
    {
        await LoadAsync();
        if (IsLoaded) await CallAsync("setCompleted", slug, completed);
    }

    /// <summary>
    /// Calls the module and takes its answer as the new progress. Progress is a convenience: if the
    /// browser's script fails (an old cached module, storage blocked), the lesson must go on, so a
    /// JS error is logged and progress stays unknown instead of ending the page's circuit.
    /// </summary>
    private async Task CallAsync(string function, params object?[] arguments)
    {
        try
        {
            Update(await (await Module).InvokeAsync<Dictionary<string, LessonProgressEntry>>(function, arguments));
        }
        catch (JSException ex)
        {
            logger.LogWarning(ex, "Lesson progress: {Function} failed in the browser", function);
        }
    }

    private void Update(Dictionary<string, LessonProgressEntry> entries)
    {
        _entries = entries;
        IsLoaded = true;
        Changed?.Invoke();
    }
}
