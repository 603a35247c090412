using Bunit;
using GanLab.Core.Course;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using Microsoft.Extensions.Logging.Abstractions;

namespace GanLab.Web.Tests.Lessons;

/// <summary>Every lesson in content/ parses without problems, names only known components, and renders.</summary>
public class ContentLessonsTests : WebTestContext
{
    private static List<string> Files() =>
        Directory.EnumerateFiles(Paths.Content, "*.md").Select(path => Path.GetFileName(path)).Order().ToList();

    public static TheoryData<string> LessonFiles() => new(Files());

    [Fact]
    public void The_course_has_lessons_and_every_markdown_file_is_one()
    {
        var files = Files();
        Assert.NotEmpty(files);
        Assert.All(files, file => Assert.NotNull(LessonCatalog.SlugOf(file)));
        Assert.Contains("01-what-is-a-gan.md", files);
    }

    [Theory]
    [MemberData(nameof(LessonFiles))]
    public void Lesson_parses_names_only_known_components_and_renders(string file)
    {
        var registry = LessonComponentRegistry.CreateDefault();
        var path = Path.Combine(Paths.Content, file);
        var lesson = new LessonParser(registry).Parse(LessonCatalog.SlugOf(file)!, path, File.ReadAllText(path), LessonMeasurements.LoadBeside(path));

        Assert.Empty(lesson.Problems.Select(problem => problem.ToString()));
        Assert.False(string.IsNullOrWhiteSpace(lesson.FrontMatter.Title));
        Assert.False(string.IsNullOrWhiteSpace(lesson.FrontMatter.Summary));
        Assert.True(lesson.FrontMatter.Minutes > 0, "front matter needs minutes");
        Assert.All(lesson.ComponentNames, name => Assert.Contains(name, registry.Names));

        JSInterop.SetupModule(KatexMath.ModulePath).SetupVoid("typeset", _ => true).SetVoidResult();
        JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
        var plotly = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        plotly.SetupVoid("newPlot", _ => true).SetVoidResult();
        plotly.SetupVoid("drawCurves", _ => true).SetVoidResult(); // the toys' static curves (optimal-discriminator, minimax-game)
        plotly.SetupVoid("syncCharts", _ => true).SetVoidResult(); // gan-compare links its two runs' charts
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, lesson));
        Assert.Equal(lesson.ComponentNames.Count(name => name == "gan-trainer"), body.FindComponents<GanTrainerPanel>().Count);
        Assert.Equal(lesson.ComponentNames.Count(name => name == "conv-transpose"), body.FindComponents<ConvTransposeExplorer>().Count);
        Assert.Empty(body.FindAll("[data-testid=lesson-error]"));
    }

    /// <summary>
    /// Every experiment a lesson embeds, trained for two steps on the CPU from the block's own settings (and each of a
    /// trainer's presets), so a setting that cannot train, a missing dataset or a model that cannot take the data fails
    /// here rather than in front of a class. A component without a dry run here fails too: add one with the component.
    /// </summary>
    [Theory]
    [MemberData(nameof(LessonFiles))]
    public void Every_embedded_experiment_of_the_lesson_trains_two_steps_on_the_CPU(string file)
    {
        var path = Path.Combine(Paths.Content, file);
        var lesson = new LessonParser(LessonComponentRegistry.CreateDefault()).Parse(LessonCatalog.SlugOf(file)!, path, File.ReadAllText(path));
        var datasets = new GanLab.Core.Data.DatasetCatalog(Paths);
        foreach (var experiment in LessonExperiments.Of(lesson))
        {
            switch (experiment)
            {
                case ImageExperiment image:
                    TrainTwoSteps(image.Options, datasets, image.Where);
                    break;
                case ToyExperiment toy:
                    using (var trainer = new GanLab.Core.Toys.ToyGanTrainer(toy.Options))
                        for (var i = 0; i < 2; i++) Assert.True(double.IsFinite(trainer.TrainStep().LossD), toy.Where);
                    break;
            }
        }
        // The blocks that train nothing: binding and validating them is their dry run, plus what they rely on.
        foreach (var block in lesson.Segments.OfType<ComponentSegment>().Where(block => !LessonExperiments.Trains(block.Settings)))
        {
            var where = $"{file} line {block.Line} ({block.Name})";
            switch (block.Settings)
            {
                case ArchitectureSettings architecture:
                    Assert.NotEmpty(GanLab.Core.Models.ModelSummary.Of(architecture.Model, architecture.ImageFormat(), architecture.LatentSize).ToText());
                    break;
                case LatentExplorerSettings latent:
                    Assert.Contains(GanLab.Core.Pretrained.PretrainedCatalog.Gans, gan => gan.Name == latent.Model);
                    break;
                case MetricsSettings or ConvTransposeSettings or SampleGridSettings:
                    break; // they measure or show a run, or compute arithmetic on the page
                default:
                    Assert.Fail($"{where}: no dry run for {block.Settings.GetType().Name}; add one to this test");
                    break;
            }
        }
    }

    private static void TrainTwoSteps(GanLab.Core.Training.GanTrainingOptions options, GanLab.Core.Data.DatasetCatalog datasets, string where)
    {
        using var trainer = new GanLab.Core.Training.GanTrainer(options with { Device = "cpu" }, datasets.Get(options.Dataset));
        for (var i = 0; i < 2; i++) Assert.True(double.IsFinite(trainer.TrainStep().LossD), $"{where}: Loss_D not finite");
    }

    public static TheoryData<string> MeasuredLessons() => new(CourseClaims.All.Select(claims => claims.Lesson));

    /// <summary>
    /// Each lesson's measurements still run (tiny, in seconds) and still produce every value its text quotes, and the
    /// file beside the lesson holds each of them: a renamed or dropped measurement fails here, not on a student's page.
    /// </summary>
    [Theory]
    [MemberData(nameof(MeasuredLessons))]
    public void Every_value_a_lesson_quotes_is_measured_by_its_claims_and_stored_beside_it(string lessonName)
    {
        var path = Path.Combine(Paths.Content, lessonName + ".md");
        Assert.True(File.Exists(path), $"{lessonName}.md is missing");
        var quoted = LessonParser.QuotedMeasurements(File.ReadAllText(path)).ToHashSet();
        Assert.NotEmpty(quoted);

        var recorder = new ClaimRecorder();
        CourseClaims.Find(lessonName).Measure(recorder, ClaimScale.Smoke, Paths);
        Assert.Empty(quoted.Except(recorder.Values.Keys));
        var stored = LessonMeasurements.LoadBeside(path);
        Assert.NotNull(stored);
        Assert.Empty(quoted.Except(stored.Values.Keys));
    }

    [Fact]
    public void Every_lesson_that_quotes_a_measured_value_has_measurements()
    {
        foreach (var file in Files())
        {
            if (LessonParser.QuotedMeasurements(File.ReadAllText(Path.Combine(Paths.Content, file))).Count > 0)
                Assert.Contains(CourseClaims.All, claims => claims.Lesson + ".md" == file);
        }
    }

    [Fact]
    public void The_first_lesson_states_the_value_function_as_display_math_and_embeds_a_trainer()
    {
        var lesson = new LessonCatalog(
                Microsoft.Extensions.Options.Options.Create(Options),
                new LessonParser(LessonComponentRegistry.CreateDefault()),
                NullLogger<LessonCatalog>.Instance)
            .Find("what-is-a-gan");

        Assert.NotNull(lesson);
        var html = string.Concat(lesson.Segments.OfType<MarkupSegment>().Select(segment => segment.Html));
        Assert.Matches(@"<div class=""math"">\s*\\\[\s*\\min_G \\max_D V\(D, G\)", html);
        Assert.Contains(@"\log D(x)", html);
        Assert.Contains(@"\log\left(1 - D(G(z))\right)", html);
        Assert.Equal(["gan-trainer"], lesson.ComponentNames);
    }
}
