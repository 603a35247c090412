using Bunit;
using GanLab.Web.Components.Layout;
using GanLab.Web.Components.Pages;
using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanLab.Web.Tests.Components;

/// <summary>
/// The course outline, a lesson page's previous/next links and the browser's progress, over a
/// content folder of three lessons. localStorage is the JS module's; here its answers are set up.
/// </summary>
public sealed class LessonNavigationTests : WebTestContext
{
    private readonly string _content;
    private readonly LessonCatalog _catalog;
    private readonly BunitJSModuleInterop _progress;
    private readonly Dictionary<string, LessonProgressEntry> _stored = new()
    {
        ["first"] = new("2025-01-01T10:00:00Z", "2025-01-01T10:20:00Z"),
        ["second"] = new("2025-01-02T10:00:00Z", null),
    };

    public LessonNavigationTests() : this(Directory.CreateTempSubdirectory("ganlab-navigation-").FullName) { }

    private LessonNavigationTests(string content) : base(content: content)
    {
        _content = content;
        Write("01-first.md", "---\ntitle: First lesson\norder: 1\nminutes: 10\n---\nOne.\n");
        Write("02-second.md", "---\ntitle: Second lesson\norder: 2\n---\nTwo.\n");
        Write("03-third.md", "---\ntitle: Third lesson\norder: 3\n---\nThree.\n");
        _catalog = Services.GetRequiredService<LessonCatalog>();

        JSInterop.SetupModule(KatexMath.ModulePath).SetupVoid("typeset", _ => true).SetVoidResult();
        JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
        _progress = JSInterop.SetupModule(LessonProgress.ModulePath);
        _progress.Setup<Dictionary<string, LessonProgressEntry>>("read").SetResult(_stored);
        _progress.Setup<Dictionary<string, LessonProgressEntry>>("markOpened", _ => true)
            .SetResult(new(_stored) { ["third"] = new("2025-01-03T10:00:00Z", null) });
        _progress.Setup<Dictionary<string, LessonProgressEntry>>("setCompleted", _ => true)
            .SetResult(new(_stored) { ["second"] = new("2025-01-02T10:00:00Z", "2025-01-02T10:30:00Z") });
    }

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_content, file), text);

    [Fact]
    public void The_outline_lists_lessons_in_order_with_this_browsers_progress()
    {
        var outline = Render<CourseOutline>();

        var items = outline.FindAll("[data-testid=outline-lesson]");
        Assert.Equal(["first", "second", "third"], items.Select(item => item.GetAttribute("data-slug")));
        Assert.Equal(["completed", "opened", "not-started"], items.Select(item => item.GetAttribute("data-progress")));
        Assert.Equal(["lessons/first", "lessons/second", "lessons/third"], items.Select(item => item.QuerySelector("a")!.GetAttribute("href")));
        Assert.Equal("1 of 3 completed", outline.Find("[data-testid=outline-progress]").TextContent.Trim());
        _progress.VerifyInvoke("read", calledTimes: 1);
    }

    [Fact]
    public void The_home_page_marks_lessons_once_the_outline_has_read_the_progress()
    {
        var outline = Render<CourseOutline>();
        var home = Render<Home>();

        home.WaitForAssertion(() => Assert.Equal(["✓ completed", "opened"],
            home.FindAll("[data-testid=lesson-card-status]").Select(status => status.TextContent.Trim())));
        Assert.Equal(["first", "second", "third"], home.FindAll("[data-testid=lesson-card]").Select(card => card.GetAttribute("data-slug")));
    }

    [Fact]
    public void A_failing_progress_script_leaves_the_lesson_working()
    {
        _progress.Setup<Dictionary<string, LessonProgressEntry>>("read").SetException(new Microsoft.JSInterop.JSException("localStorage is not available"));
        var outline = Render<CourseOutline>();
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "third"));

        Assert.Equal("Third lesson", page.Find("[data-testid=lesson-title]").TextContent);
        Assert.Empty(outline.FindAll("[data-testid=outline-progress]"));
        Assert.True(page.Find("[data-testid=lesson-complete]").HasAttribute("disabled"));
        _progress.VerifyNotInvoke("markOpened");
    }

    [Fact]
    public void A_lesson_page_links_to_its_neighbours_in_outline_order()
    {
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "second"));

        Assert.Equal("Second lesson", page.Find("[data-testid=lesson-title]").TextContent);
        Assert.Equal("lessons/first", page.Find("[data-testid=lesson-previous]").GetAttribute("href"));
        Assert.Contains("First lesson", page.Find("[data-testid=lesson-previous]").TextContent);
        Assert.Equal("lessons/third", page.Find("[data-testid=lesson-next]").GetAttribute("href"));
        Assert.Equal("Lesson 2 of 3", page.Find("[data-testid=lesson-meta]").TextContent.Trim());
    }

    [Fact]
    public void The_first_and_last_lessons_have_one_neighbour_each()
    {
        var first = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "first"));
        Assert.Empty(first.FindAll("[data-testid=lesson-previous]"));
        Assert.Equal("lessons/second", first.Find("[data-testid=lesson-next]").GetAttribute("href"));
        Assert.Equal("Lesson 1 of 3 · about 10 min", first.Find("[data-testid=lesson-meta]").TextContent.Trim());

        var last = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "third"));
        Assert.Empty(last.FindAll("[data-testid=lesson-next]"));
    }

    [Fact]
    public void Opening_a_lesson_records_it_once_and_the_outline_follows()
    {
        var outline = Render<CourseOutline>();
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "third"));
        page.Render();

        var opened = _progress.VerifyInvoke("markOpened", calledTimes: 1);
        Assert.Equal("third", opened[0].Arguments[0]);
        outline.WaitForAssertion(() =>
            Assert.Equal("opened", outline.Find("[data-slug=third]").GetAttribute("data-progress")));
    }

    [Fact]
    public void A_lesson_already_opened_is_not_recorded_again()
    {
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "second"));
        page.Render();

        _progress.VerifyNotInvoke("markOpened");
    }

    [Fact]
    public void Marking_a_lesson_completed_updates_the_button_and_the_outline()
    {
        var outline = Render<CourseOutline>();
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "second"));
        var button = page.Find("[data-testid=lesson-complete]");
        Assert.Equal("false", button.GetAttribute("aria-pressed"));

        page.Find("[data-testid=lesson-complete]").Click();

        var call = _progress.VerifyInvoke("setCompleted", calledTimes: 1);
        Assert.Equal(["second", true], call[0].Arguments);
        page.WaitForAssertion(() => Assert.Equal("true", page.Find("[data-testid=lesson-complete]").GetAttribute("aria-pressed")));
        outline.WaitForAssertion(() => Assert.Equal("2 of 3 completed", outline.Find("[data-testid=outline-progress]").TextContent.Trim()));
    }

    [Fact]
    public void A_saved_edit_shows_on_the_open_page_and_in_the_outline()
    {
        var outline = Render<CourseOutline>();
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "second"));

        Write("02-second.md", "---\ntitle: Second lesson, revised\norder: 2\n---\nTwo, now longer.\n");
        _catalog.Refresh();

        page.WaitForAssertion(() => Assert.Equal("Second lesson, revised", page.Find("[data-testid=lesson-title]").TextContent));
        Assert.Contains("Two, now longer.", page.Find("[data-testid=lesson-body]").TextContent);
        outline.WaitForAssertion(() => Assert.Contains("Second lesson, revised", outline.Find("[data-slug=second]").TextContent));
    }

    [Fact]
    public void A_new_lesson_file_becomes_the_next_lesson()
    {
        var page = Render<LessonPage>(parameters => parameters.Add(p => p.Slug, "third"));
        Assert.Empty(page.FindAll("[data-testid=lesson-next]"));

        Write("04-fourth.md", "---\ntitle: Fourth lesson\norder: 4\n---\nFour.\n");
        _catalog.Refresh();

        page.WaitForAssertion(() => Assert.Equal("lessons/fourth", page.Find("[data-testid=lesson-next]").GetAttribute("href")));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Directory.Delete(_content, recursive: true);
    }
}
