using GanLab.Core.Training;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Tests.Lessons;

public class LessonSettingsBinderTests
{
    private readonly LessonSettingsBinder _binder = new(typeof(GanTrainingOptions));

    [Theory]
    [InlineData("BatchSize", "batch-size")]
    [InlineData("Beta1", "beta1")]
    [InlineData("RealLabel", "real-label")]
    [InlineData("MaxSteps", "max-steps")]
    public void Property_names_become_kebab_case_keys(string property, string key) =>
        Assert.Equal(key, LessonSettingsBinder.KebabCase(property));

    [Fact]
    public void Kebab_snake_and_camel_case_keys_all_bind()
    {
        var (settings, problems) = _binder.Bind("batch-size: 8\nreal_label: 1.0\nmaxSteps: 500\ndevice: cpu\nlearning-rate: 2e-4", firstLine: 20);

        Assert.Empty(problems);
        var options = Assert.IsType<GanTrainingOptions>(settings);
        Assert.Equal(8, options.BatchSize);
        Assert.Equal(1.0, options.RealLabel);
        Assert.Equal(500, options.MaxSteps);
        Assert.Equal("cpu", options.Device);
        Assert.Equal(2e-4, options.LearningRate);
    }

    [Fact]
    public void Empty_settings_give_the_defaults()
    {
        var (settings, problems) = _binder.Bind("", firstLine: 1);

        Assert.Empty(problems);
        Assert.Equal(new GanTrainingOptions(), settings);
    }

    [Fact]
    public void Every_problem_is_reported_with_its_own_line()
    {
        var (settings, problems) = _binder.Bind("seed: x\nbatch-size: 8\nwidth: 3\nmax-steps: ~", firstLine: 40);

        Assert.Null(settings);
        Assert.Equal([(40, "seed"), (42, "width")], problems.Select(p => (p.Line, p.Parameter!)));
    }

    [Fact]
    public void A_validation_message_is_traced_to_the_key_it_names()
    {
        string[] keys = ["beta1", "batch-size", "max-steps"];
        Assert.Equal("batch-size", LessonSettingsBinder.KeyNamedIn("batch size 0 must be between 1 and 4096", keys));
        Assert.Equal("max-steps", LessonSettingsBinder.KeyNamedIn("max steps 0 must be at least 1", keys));
        Assert.Null(LessonSettingsBinder.KeyNamedIn("something else entirely", keys));
    }
}
