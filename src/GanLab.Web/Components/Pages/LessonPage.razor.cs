using GanLab.Web.Lessons;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Pages;

/// <summary>
/// One lesson with its previous and next neighbours in the outline. It re-reads the lesson when
/// the catalog says a file changed, so a saved edit shows without a reload; live components whose
/// block is unchanged keep their state (see <see cref="GanLab.Web.Components.Lessons.LessonBody.BlockKey"/>).
/// </summary>
public sealed partial class LessonPage : ComponentBase, IDisposable
{
    [Inject] private LessonCatalog Catalog { get; set; } = default!;
    [Inject] private LessonProgress Progress { get; set; } = default!;

    [Parameter] public string Slug { get; set; } = "";

    /// <summary>Present only while prerendering: lets an unknown lesson answer 404, not 200.</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    private Lesson? _lesson;
    private Lesson? _previous;
    private Lesson? _next;
    private int _index;
    private int _count;
    private string? _markedOpened;

    private bool IsCompleted => _lesson is not null && Progress.StatusOf(_lesson.Slug) == LessonStatus.Completed;

    protected override void OnInitialized()
    {
        Catalog.Changed += OnCatalogChanged;
        Progress.Changed += OnProgressChanged;
    }

    protected override void OnParametersSet()
    {
        Find();
        if (_lesson is null && HttpContext is { Response.HasStarted: false } http)
            http.Response.StatusCode = StatusCodes.Status404NotFound;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Opening a lesson counts once it is on screen in a live page (JS, and so localStorage,
        // exists only after the first interactive render).
        if (_lesson is null || _markedOpened == _lesson.Slug) return;
        _markedOpened = _lesson.Slug;
        await Progress.MarkOpenedAsync(_lesson.Slug);
    }

    private void Find()
    {
        var lessons = Catalog.Lessons;
        _index = lessons.ToList().FindIndex(lesson => lesson.Slug == Slug);
        _count = lessons.Count;
        _lesson = _index >= 0 ? lessons[_index] : null;
        _previous = _index > 0 ? lessons[_index - 1] : null;
        _next = _index >= 0 && _index + 1 < lessons.Count ? lessons[_index + 1] : null;
    }

    private async Task ToggleCompletedAsync()
    {
        if (_lesson is not null) await Progress.SetCompletedAsync(_lesson.Slug, !IsCompleted);
    }

    // Raised on the thread that noticed the edit (the file watcher's): hop onto this page's dispatcher.
    private void OnCatalogChanged() => _ = InvokeAsync(() =>
    {
        Find();
        StateHasChanged();
    });

    private void OnProgressChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        Catalog.Changed -= OnCatalogChanged;
        Progress.Changed -= OnProgressChanged;
    }
}
