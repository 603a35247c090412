using GanLab.Core;
using GanLab.Core.Data;
using GanLab.Core.Pretrained;
using GanLab.Torch;
using GanLab.Web.Components;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Pretrained;
using GanLab.Web.Runs;
using GanLab.Web.Training;
using Microsoft.Extensions.Options;
using Radzen;

namespace GanLab.Web.Hosting;

/// <summary>The chapters of Program.cs: each method wires one area of the app.</summary>
public static class GanLabHosting
{
    /// <summary>The C heap's arenas (see <see cref="NativeHeap.LimitArenas"/>): few, since tensors are few and large.</summary>
    public const int MallocArenas = 2;

    /// <summary>
    /// A builder whose web root is the repository's top-level wwwroot (lessons' static files and
    /// the third-party libraries the setup script puts in wwwroot/lib), and whose content root is
    /// the app's own folder, so appsettings.json is found whatever the working directory.
    /// </summary>
    public static WebApplicationBuilder CreateGanLabBuilder(string[] args)
    {
        // With glibc's default of eight arenas per core, a class of 30 (classroom_load.py, 2 cores) peaked at
        // 1,684 MB and kept 1,340 MB after every run had ended, 1,395 MB of it C heap freed but scattered over
        // arenas; with MALLOC_ARENA_MAX=2, which ./ganlab serve sets, 1,128 MB and 789 MB at the same speed.
        // Here is the fallback for a server started another way: the runtime's own threads already hold
        // arenas by now, so it got only part of that (1,357 MB and 1,023 MB).
        NativeHeap.LimitArenas(MallocArenas);
        var root = RepositoryRoot.Locate(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(root, "wwwroot"),
        });
        // Package assets (Radzen's _content/, the scoped-CSS bundle) live outside the web root; compose
        // them in whatever the environment (the host only does this itself in Development).
        builder.WebHost.UseStaticWebAssets();
        builder.Configuration.AddInMemoryCollection([new($"{GanLabWebOptions.Section}:Root", root)]);
        // Command line and environment win over the located root, as they did when locating it.
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);
        return builder;
    }

    public static IServiceCollection AddGanLabOptions(this IServiceCollection services)
    {
        services.AddOptions<GanLabWebOptions>()
            .BindConfiguration(GanLabWebOptions.Section)
            .PostConfigure(options =>
            {
                if (string.IsNullOrWhiteSpace(options.Content) && !string.IsNullOrWhiteSpace(options.Root))
                    options.Content = Path.Combine(options.Root, "content");
                if (string.IsNullOrWhiteSpace(options.DataFolder) && !string.IsNullOrWhiteSpace(options.Root))
                    options.DataFolder = Path.Combine(options.Root, ".ganlab", "server");
            })
            .ValidateDataAnnotations()
            .Validate(options => Directory.Exists(options.Root), "GanLab:Root must be an existing folder (the repository root).")
            .Validate(options => Directory.Exists(options.Content), "GanLab:Content must be an existing folder of lesson files.")
            .Validate(options => options.MaxConcurrentRuns <= options.MaxLiveRuns,
                "GanLab:MaxLiveRuns must be at least GanLab:MaxConcurrentRuns: every training run holds its model in memory.")
            .ValidateOnStart();
        return services;
    }

    public static IServiceCollection AddLessons(this IServiceCollection services)
    {
        services.AddSingleton(LessonComponentRegistry.CreateDefault());
        services.AddSingleton<LessonParser>();
        services.AddSingleton<LessonCatalog>();
        services.AddHostedService<LessonContentWatcher>();
        services.AddScoped<LessonProgress>();
        return services;
    }

    public static IServiceCollection AddTraining(this IServiceCollection services)
    {
        services.AddSingleton(provider => new GanLabPaths(provider.GetRequiredService<IOptions<GanLabWebOptions>>().Value.Root));
        services.AddSingleton<DatasetCatalog>();
        services.AddSingleton(provider => new GanLab.Core.Evaluation.DomainClassifiers(
            provider.GetRequiredService<GanLabPaths>(), provider.GetRequiredService<DatasetCatalog>()));
        services.AddSingleton<GanLab.Web.Evaluation.RunEvaluator>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(provider => RunDatabase.Open(provider.GetRequiredService<IOptions<GanLabWebOptions>>().Value,
            provider.GetRequiredService<ILogger<RunStore>>()));
        // Hosted services stop in reverse order: runs are interrupted first, then the recorder writes what is left.
        services.AddSingleton<RunRecorder>();
        services.AddHostedService(provider => provider.GetRequiredService<RunRecorder>());
        services.AddSingleton<TrainingService>();
        services.AddSingleton(provider => provider.GetRequiredService<TrainingService>().Scheduler);
        services.AddHostedService<SchedulerClock>();
        services.AddHostedService<InterruptRunsOnShutdown>();
        services.AddSingleton(provider =>
        {
            var training = provider.GetRequiredService<TrainingService>();
            return new RunRetention(provider.GetRequiredService<RunStore>(),
                RetentionPolicy.From(provider.GetRequiredService<IOptions<GanLabWebOptions>>().Value), training.CheckpointFolder,
                training.IsActive, provider.GetRequiredService<TimeProvider>(), provider.GetRequiredService<ILogger<RunRetention>>());
        });
        services.AddHostedService<RunRetentionService>();
        services.AddHostedService<DatasetWarmup>();
        services.AddSingleton(provider => new PretrainedModels(provider.GetRequiredService<GanLabPaths>(), provider.GetRequiredService<DatasetCatalog>()));
        services.AddSingleton<PretrainedLibrary>();
        services.AddHostedService<PretrainOnStart>();
        services.AddSingleton<MachineLoad>();
        services.AddScoped<BrowserIdentity>();
        services.AddScoped<LearnerCircuit>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, PauseTrainingWhenDisconnected>();
        return services;
    }

    public static IServiceCollection AddGanLabUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // A tab that vanished without saying goodbye keeps its circuit (and its paused runs) this long.
        services.AddOptions<Microsoft.AspNetCore.Components.Server.CircuitOptions>()
            .Configure<IOptions<GanLabWebOptions>>((circuit, ganlab) =>
                circuit.DisconnectedCircuitRetentionPeriod = TimeSpan.FromSeconds(ganlab.Value.DisconnectedTabSeconds));
        services.AddRadzenComponents();
        return services;
    }

    /// <summary>
    /// Static files from the top-level wwwroot plus the package assets composed in above.
    /// Not MapStaticAssets: it only knows files the build saw, and the top-level wwwroot (with
    /// wwwroot/lib filled by the setup script) is not part of this project's build.
    /// blazor.web.js is served by MapRazorComponents.
    /// </summary>
    public static WebApplication UseGanLabStaticFiles(this WebApplication app)
    {
        app.UseStaticFiles();
        return app;
    }

    public static WebApplication UseGanLabErrorHandling(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        return app;
    }

    public static WebApplication MapGanLabPages(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
