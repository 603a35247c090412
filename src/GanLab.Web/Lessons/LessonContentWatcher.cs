using Microsoft.Extensions.Options;

namespace GanLab.Web.Lessons;

/// <summary>
/// Watches the content folder and refreshes the <see cref="LessonCatalog"/> when a lesson file is
/// saved, created, renamed or deleted, so an open lesson page shows the edit without a reload.
/// Editors save in bursts (truncate, write, rename a temporary file), so events are gathered for
/// <see cref="Quiet"/> and the folder is read once after them.
/// </summary>
public sealed class LessonContentWatcher(IOptions<GanLabWebOptions> options, LessonCatalog catalog, ILogger<LessonContentWatcher> logger)
    : IHostedService, IDisposable
{
    /// <summary>How long the folder must be quiet before it is read: longer than an editor's save, short enough to feel live.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private FileSystemWatcher? _watcher;
    private Timer? _debounce;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var folder = options.Value.Content;
        _debounce = new Timer(_ => Refresh(), null, Timeout.Infinite, Timeout.Infinite);
        // Lessons and the measurements they quote (NN-slug.measured.json): either changing re-renders the page.
        _watcher = new FileSystemWatcher(folder)
        {
            Filters = { "*.md", "*" + GanLab.Core.Course.LessonMeasurements.Extension },
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size,
            IncludeSubdirectories = false,
        };
        _watcher.Changed += OnFileEvent;
        _watcher.Created += OnFileEvent;
        _watcher.Deleted += OnFileEvent;
        _watcher.Renamed += OnFileEvent;
        // Too many events at once overflow the buffer: the folder is read again all the same.
        _watcher.Error += (_, e) =>
        {
            logger.LogWarning(e.GetException(), "Watching {Folder} lost events; reading it again", folder);
            Schedule();
        };
        _watcher.EnableRaisingEvents = true;
        logger.LogInformation("Watching {Folder} for lesson edits", folder);
        return Task.CompletedTask;
    }

    private void OnFileEvent(object sender, FileSystemEventArgs e) => Schedule();

    private void Schedule() => _debounce?.Change(Quiet, Timeout.InfiniteTimeSpan);

    private void Refresh()
    {
        try
        {
            catalog.Refresh();
        }
        catch (Exception ex)
        {
            // A timer callback that throws would end the process; a bad moment in the folder must not.
            logger.LogError(ex, "Reading the lessons again after an edit failed");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_watcher is not null) _watcher.EnableRaisingEvents = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _debounce?.Dispose();
    }
}
