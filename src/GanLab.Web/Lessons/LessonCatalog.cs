using System.Text.RegularExpressions;
using GanLab.Core.Course;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Lessons;

/// <summary>
/// The course outline: every content/NN-slug.md, parsed once and re-parsed when its file changes,
/// so authors see edits without restarting the server. <see cref="LessonContentWatcher"/> calls
/// <see cref="Refresh"/> as soon as a file is saved and <see cref="Changed"/> tells open pages;
/// lookups also rescan at most once a second, in case the file system's notifications are lost.
/// A lesson that cannot be read becomes a lesson showing its problem; the others are unaffected.
/// </summary>
public sealed partial class LessonCatalog(IOptions<GanLabWebOptions> options, LessonParser parser, ILogger<LessonCatalog> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Stamp, Lesson Lesson)> _byPath = new();
    private IReadOnlyList<Lesson> _lessons = [];
    private DateTime _checkedUtc = DateTime.MinValue;

    /// <summary>How long a scan of the content folder is trusted; one page view does several lookups.</summary>
    private static readonly TimeSpan RescanAfter = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Raised, on the thread that noticed, after any lesson was added, edited or removed. Pages
    /// subscribe to show the new version; handlers must not block (hop to the page's dispatcher).
    /// </summary>
    public event Action? Changed;

    /// <summary>Lessons in course order.</summary>
    public IReadOnlyList<Lesson> Lessons
    {
        get
        {
            IReadOnlyList<Lesson> lessons;
            var changed = false;
            lock (_gate)
            {
                if (DateTime.UtcNow - _checkedUtc > RescanAfter) changed = Rescan();
                lessons = _lessons;
            }
            // Whoever notices a change tells the pages, so none misses it because a lookup came first.
            if (changed) Changed?.Invoke();
            return lessons;
        }
    }

    /// <summary>Reads the content folder again now, whatever the time since the last scan.</summary>
    public void Refresh()
    {
        bool changed;
        lock (_gate) changed = Rescan();
        if (changed) Changed?.Invoke();
    }

    public Lesson? Find(string slug) => Lessons.FirstOrDefault(lesson => lesson.Slug == slug);

    /// <summary>content/01-what-is-a-gan.md → ("01", "what-is-a-gan"); null for files that are not lessons.</summary>
    public static string? SlugOf(string fileName) =>
        LessonFileName().Match(fileName) is { Success: true } match ? match.Groups["slug"].Value : null;

    [GeneratedRegex(@"^(?<number>\d+)-(?<slug>[a-z0-9]+(-[a-z0-9]+)*)\.md$")]
    private static partial Regex LessonFileName();

    /// <summary>Re-reads new and changed files; true when the list of lessons is different afterwards.</summary>
    private bool Rescan()
    {
        _checkedUtc = DateTime.UtcNow;
        var folder = options.Value.Content;
        var seen = new HashSet<string>();
        var changed = false;

        foreach (var path in Directory.Exists(folder) ? Directory.EnumerateFiles(folder, "*.md") : [])
        {
            var slug = SlugOf(Path.GetFileName(path));
            if (slug is null) continue;
            seen.Add(path);
            var stamp = Stamp(path);
            if (_byPath.TryGetValue(path, out var cached) && cached.Stamp == stamp) continue;
            _byPath[path] = (stamp, Load(slug, path));
            changed = true;
        }
        foreach (var gone in _byPath.Keys.Where(path => !seen.Contains(path)).ToList())
        {
            _byPath.Remove(gone);
            changed = true;
        }

        if (!changed && _lessons.Count == _byPath.Count) return false;
        _lessons = _byPath.Values.Select(entry => entry.Lesson)
            .OrderBy(lesson => lesson.FrontMatter.Order)
            .ThenBy(lesson => Path.GetFileName(lesson.SourcePath), StringComparer.Ordinal)
            .ToList();
        return true;
    }

    /// <summary>A lesson is read again when its file or its measurements file changes.</summary>
    private static string Stamp(string path)
    {
        var lesson = new FileInfo(path);
        var measured = new FileInfo(LessonMeasurements.PathBeside(path));
        return $"{lesson.LastWriteTimeUtc.Ticks}:{lesson.Length}:{(measured.Exists ? $"{measured.LastWriteTimeUtc.Ticks}:{measured.Length}" : "-")}";
    }

    private Lesson Load(string slug, string path)
    {
        try
        {
            var lesson = parser.Parse(slug, path, File.ReadAllText(path), LessonMeasurements.LoadBeside(path));
            foreach (var problem in lesson.Problems)
                logger.LogWarning("Lesson {Path}: {Problem}", path, problem);
            return lesson;
        }
        catch (Exception ex)
        {
            // Deliberately broad: whatever goes wrong in one file (I/O, a parser bug), the rest of
            // the course must keep serving; the broken lesson shows its error instead.
            logger.LogError(ex, "Lesson {Path} could not be read", path);
            return new Lesson(slug, path, new LessonFrontMatter { Title = slug, Order = int.MaxValue }, [],
                [new LessonProblem(1, $"the lesson could not be read: {ex.Message}")]);
        }
    }
}
