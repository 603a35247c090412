using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Tests.Lessons;

/// <summary>The settings every toy block shares, as a lesson writes them: here Adam's β2.</summary>
public class ToyRunSettingsTests
{
    private static Lesson Parse(string component, string yaml) =>
        WebTestContext.ParseLesson($"---\ntitle: Toys\n---\n```{component}\n{yaml}\n```\n");

    private static ToyRunSettings Bound(string component, string yaml)
    {
        var lesson = Parse(component, yaml);
        Assert.Empty(lesson.Problems.Select(problem => problem.ToString()));
        var segment = Assert.Single(lesson.Segments.OfType<ComponentSegment>());
        return Assert.IsAssignableFrom<ToyRunSettings>(segment.Settings);
    }

    [Theory]
    [InlineData("toy-2d")]
    [InlineData("optimal-discriminator")]
    [InlineData("minimax-game")]
    public void Every_toy_block_sets_adams_beta2_and_its_run_trains_with_it(string component)
    {
        var settings = Bound(component, "beta2: 0.9");

        Assert.Equal(0.9, settings.ToOptions().Beta2);
        Assert.Equal(0.9, settings.ToOptions().ToGameOptions().Beta2);
        Assert.Contains("· β2 0.9 ·", settings.Summary);
    }

    [Fact]
    public void Without_beta2_the_block_keeps_adams_usual_value_and_the_summary_does_not_mention_it()
    {
        var settings = Bound("toy-2d", "seed: 3");

        Assert.Equal(0.999, settings.ToOptions().Beta2);
        Assert.DoesNotContain("β2", settings.Summary);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("-0.1")]
    public void A_beta2_outside_0_to_1_is_refused_on_its_line_with_the_allowed_range(string value)
    {
        var lesson = Parse("toy-2d", $"beta2: {value}");

        var problem = Assert.Single(lesson.Problems).ToString();
        Assert.Contains($"parameter 'beta2': beta2 {value} must be in [0, 1)", problem);
    }

    [Fact]
    public void The_authoring_reference_lists_beta2_for_every_toy_with_its_default_and_range()
    {
        foreach (var component in new[] { "toy-2d", "optimal-discriminator", "minimax-game" })
        {
            var doc = LessonReference.Components(LessonComponentRegistry.CreateDefault()).Single(d => d.Name == component);
            var beta2 = doc.Parameters.Single(p => p.Name == "beta2");
            Assert.Equal("0.999", beta2.Default);
            Assert.Equal(["at least 0, below 1"], beta2.Allowed);
            Assert.Contains("Adam's β2", beta2.Description);
        }
    }
}
