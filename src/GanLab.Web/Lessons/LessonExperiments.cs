using GanLab.Core.Toys;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Lessons.Toys;

namespace GanLab.Web.Lessons;

/// <summary>
/// What a student can train on a lesson page, one entry per thing a button starts: a trainer block and each of its
/// presets, each side of a comparison, each toy. Read by the test that dry-runs every lesson's experiments and by
/// the lesson-pace benchmark that checks they fit the chapter's minutes, so both see the same list.
/// </summary>
public static class LessonExperiments
{
    /// <summary>The experiments of a lesson, in page order; blocks that train nothing are not among them.</summary>
    /// <exception cref="InvalidOperationException">A preset or a comparison side is invalid (the page would show an error box).</exception>
    public static IReadOnlyList<LessonExperiment> Of(Lesson lesson)
    {
        var experiments = new List<LessonExperiment>();
        foreach (var block in lesson.Segments.OfType<ComponentSegment>())
        {
            var where = $"{lesson.Slug} line {block.Line} ({block.Name})";
            switch (block.Settings)
            {
                case GanTrainerSettings trainer:
                    experiments.Add(new ImageExperiment(where, block.Line, trainer.Training, trainer.Training.MaxSteps));
                    foreach (var preset in trainer.PresetList)
                    {
                        var (options, problems) = trainer.Apply(preset);
                        if (problems.Count > 0) throw new InvalidOperationException($"{where}, preset '{preset.Name}': {string.Join("; ", problems)}");
                        experiments.Add(new ImageExperiment($"{where}, preset '{preset.Name}'", block.Line, options, options.MaxSteps));
                    }
                    break;
                case GanCompareSettings compare:
                    foreach (var side in new[] { "left", "right" })
                    {
                        var (options, problems) = compare.OptionsOf(side);
                        if (options is null) throw new InvalidOperationException($"{where}, {side}: {string.Join("; ", problems)}");
                        experiments.Add(new ImageExperiment($"{where}, {side}", block.Line, options, options.MaxSteps, compare.Seconds));
                    }
                    break;
                case ToyRunSettings toy:
                    experiments.Add(new ToyExperiment(where, block.Line, toy.ToOptions()));
                    break;
            }
        }
        return experiments;
    }

    /// <summary>True for the blocks <see cref="Of"/> lists: those whose page trains a GAN.</summary>
    public static bool Trains(object settings) => settings is GanTrainerSettings or GanCompareSettings or ToyRunSettings;
}

/// <summary>One thing a student can train on a lesson page, named by where it is ("04-a-first-gan-on-mnist line 68 (gan-trainer), preset 'relu'").</summary>
public abstract record LessonExperiment(string Where, int Line);

/// <summary>
/// A GAN on images. Its budget is <paramref name="Steps"/>, or <paramref name="Seconds"/> of training time
/// (a comparison at equal time), or neither: it trains until the student stops it.
/// </summary>
public sealed record ImageExperiment(string Where, int Line, GanTrainingOptions Options, long? Steps, double? Seconds = null)
    : LessonExperiment(Where, Line);

/// <summary>A toy GAN on points: it plays until the student pauses it, so it has no budget of its own.</summary>
public sealed record ToyExperiment(string Where, int Line, ToyGanOptions Options) : LessonExperiment(Where, Line);
