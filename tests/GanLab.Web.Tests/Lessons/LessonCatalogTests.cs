using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace GanLab.Web.Tests.Lessons;

public sealed class LessonCatalogTests : IDisposable
{
    private readonly string _content = Directory.CreateTempSubdirectory("ganlab-content-").FullName;

    private LessonCatalog NewCatalog() => new(
        Options.Create(new GanLabWebOptions { Root = _content, Content = _content }),
        new LessonParser(LessonComponentRegistry.CreateDefault()),
        NullLogger<LessonCatalog>.Instance);

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_content, file), text);

    [Fact]
    public void Lessons_are_ordered_by_front_matter_and_other_files_are_ignored()
    {
        Write("01-second.md", "---\ntitle: Second\norder: 2\n---\nB\n");
        Write("02-first.md", "---\ntitle: First\norder: 1\n---\nA\n");
        Write("README.md", "Not a lesson.\n");

        var lessons = NewCatalog().Lessons;

        Assert.Equal(["first", "second"], lessons.Select(lesson => lesson.Slug));
    }

    [Fact]
    public void A_malformed_lesson_shows_its_problems_and_the_others_are_unaffected()
    {
        Write("01-good.md", "---\ntitle: Good\norder: 1\n---\nFine.\n");
        Write("02-broken.md", "---\ntitle: [unclosed\norder: 2\n---\n```gan-trainer\nbatch-size: many\n```\n");

        var catalog = NewCatalog();

        Assert.Empty(catalog.Find("good")!.Problems);
        var broken = catalog.Find("broken");
        Assert.NotNull(broken);
        Assert.Contains(broken.Problems, problem => problem.Message.Contains("YAML"));
        Assert.Contains(broken.Problems, problem => problem.Parameter == "batch-size" && problem.Line == 6);
    }

    [Fact]
    public async Task An_edited_lesson_is_read_again()
    {
        Write("01-edited.md", "---\ntitle: Before\n---\nText.\n");
        var catalog = NewCatalog();
        Assert.Equal("Before", catalog.Find("edited")!.FrontMatter.Title);

        Write("01-edited.md", "---\ntitle: After the edit\n---\nText.\n");
        File.SetLastWriteTimeUtc(Path.Combine(_content, "01-edited.md"), DateTime.UtcNow.AddSeconds(5));
        await Task.Delay(TimeSpan.FromSeconds(1.2));

        Assert.Equal("After the edit", catalog.Find("edited")!.FrontMatter.Title);
    }

    [Fact]
    public void Refresh_tells_subscribers_only_when_a_lesson_changed()
    {
        Write("01-watched.md", "---\ntitle: Before\n---\nText.\n");
        var catalog = NewCatalog();
        _ = catalog.Lessons;
        var changes = 0;
        catalog.Changed += () => changes++;

        catalog.Refresh();
        Assert.Equal(0, changes);

        Write("01-watched.md", "---\ntitle: After\n---\nMore text.\n");
        catalog.Refresh();
        Assert.Equal(1, changes);
        Assert.Equal("After", catalog.Find("watched")!.FrontMatter.Title);
    }

    [Fact]
    public async Task The_watcher_refreshes_the_catalog_when_a_lesson_file_is_saved()
    {
        Write("01-watched.md", "---\ntitle: Before\n---\nText.\n");
        var catalog = NewCatalog();
        _ = catalog.Lessons;
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        catalog.Changed += () => changed.TrySetResult();
        using var watcher = new LessonContentWatcher(
            Options.Create(new GanLabWebOptions { Root = _content, Content = _content }), catalog, NullLogger<LessonContentWatcher>.Instance);
        await watcher.StartAsync(CancellationToken.None);

        Write("01-watched.md", "---\ntitle: Saved in an editor\n---\nText.\n");

        await changed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("Saved in an editor", catalog.Find("watched")!.FrontMatter.Title);
        await watcher.StopAsync(CancellationToken.None);
    }

    public void Dispose() => Directory.Delete(_content, recursive: true);
}
