using GanLab.Core.Course.Claims;

namespace GanLab.Core.Course;

/// <summary>Every lesson's measurements, in course order: what `ganlab claims` runs.</summary>
public static class CourseClaims
{
    public static IReadOnlyList<LessonClaims> All { get; } =
    [
        new WhatIsAGanClaims(),
        new MinimaxGameClaims(),
        new LossesClaims(),
        new FirstGanOnMnistClaims(),
        new SwappingTheLabelsClaims(),
        new DcganClaims(),
        new LatentSpaceClaims(),
        new WhenTrainingFailsClaims(),
        new ConditionalGansClaims(),
        new StabilisingTrainingClaims(),
        new MeasuringAGanClaims(),
        new ColourCifar10Claims(),
        new GansAsFeatureExtractorsClaims(),
    ];

    /// <summary>By lesson number ("01") or file name ("01-what-is-a-gan"); the message lists them all.</summary>
    public static LessonClaims Find(string lesson) =>
        All.FirstOrDefault(c => c.Lesson == lesson || c.Lesson.StartsWith(lesson + "-", StringComparison.Ordinal))
        ?? throw new ArgumentException($"no measurements for lesson '{lesson}'; lessons with measurements: {string.Join(", ", All.Select(c => c.Lesson))}");
}
