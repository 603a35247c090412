using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Tests.Lessons;

/// <summary>How a ```gan-trainer block's YAML becomes the trainer's settings: recipe first, keys over it, locks and presets.</summary>
public class GanTrainerSettingsTests
{
    private readonly LessonSettingsBinder _binder = new(typeof(GanTrainerSettings));

    private GanTrainerSettings Bind(string yaml)
    {
        var (settings, problems) = _binder.Bind(yaml, firstLine: 1);
        Assert.Empty(problems);
        return Assert.IsType<GanTrainerSettings>(settings);
    }

    [Fact]
    public void A_block_naming_keras_gan_starts_from_its_recipe_and_its_keys_override_it()
    {
        var recipe = GanTrainingOptions.For("keras-gan");
        Assert.Equal((2e-4, 128, 1.0, 0.4), (recipe.LearningRate, recipe.BatchSize, recipe.RealLabel, recipe.Dropout));

        // The override comes before the model on purpose: the model is read first whatever the order.
        var settings = Bind("batch-size: 32\nmodel: keras-gan\nseed: 7");

        Assert.Equal(recipe with { BatchSize = 32, Seed = 7 }, settings.Training);
        Assert.Empty(settings.Validate());
    }

    [Fact]
    public void A_block_without_a_model_keeps_the_plain_defaults()
    {
        Assert.Equal(new GanTrainingOptions(), Bind("").Training);
        Assert.Equal(new GanTrainingOptions { Seed = 3 }, Bind("seed: 3").Training);
    }

    [Fact]
    public void Locked_and_editable_lists_say_what_the_student_may_change()
    {
        var locked = Bind("locked: [model, dataset, loss]");
        Assert.False(locked.IsEditable("model"));
        Assert.False(locked.IsEditable("loss"));
        Assert.True(locked.IsEditable("learning-rate"));

        var editable = Bind("editable:\n  - learning-rate\n  - real_label");
        Assert.True(editable.IsEditable("learning-rate"));
        Assert.True(editable.IsEditable("real-label"));
        Assert.False(editable.IsEditable("model"));

        Assert.True(Bind("").IsEditable("model"));
    }

    [Fact]
    public void Presets_apply_over_the_block_and_a_preset_naming_a_model_starts_from_its_recipe()
    {
        var settings = Bind("""
            seed: 5
            presets:
              - name: Smoothed labels
                real-label: 0.9
              - name: Keras recipe
                model: keras-gan
            """);

        Assert.Equal(["Smoothed labels", "Keras recipe"], settings.PresetList.Select(p => p.Name));
        Assert.Empty(settings.Validate());

        var (smoothed, problems) = settings.Apply(settings.PresetList[0]);
        Assert.Empty(problems);
        Assert.Equal(new GanTrainingOptions { Seed = 5, RealLabel = 0.9 }, smoothed);

        var (keras, _) = settings.Apply(settings.PresetList[1]);
        Assert.Equal(GanTrainingOptions.For("keras-gan") with { Seed = 5 }, keras);
    }

    [Fact]
    public void Wrong_locks_and_presets_are_reported_with_the_key_they_belong_to()
    {
        var settings = Bind("""
            locked: [model, colour]
            editable: [seed]
            presets:
              - real-label: 1
              - name: Too fast
                learning-rate: 5
              - name: Typo
                lr: 0.1
            """);

        var problems = settings.Validate();

        Assert.Contains(problems, p => p.StartsWith("locked and editable are both given"));
        Assert.Contains(problems, p => p.StartsWith("locked 'colour' is not a training setting; allowed: model, dataset"));
        Assert.Contains(problems, p => p.StartsWith("presets need a name each"));
        Assert.Contains(problems, p => p.StartsWith("presets 'Too fast' gives learning rate 5 must be in (0, 1]"));
        Assert.Contains(problems, p => p.StartsWith("presets 'Typo' sets 'lr', which is not a training setting"));
        Assert.All(problems, p => Assert.NotNull(LessonSettingsBinder.KeyNamedIn(p, _binder.ParameterNames)));
    }

    [Fact]
    public void A_list_where_one_value_belongs_is_a_readable_problem_not_a_crash()
    {
        var (settings, problems) = _binder.Bind("presets: fast\nlocked: {model: 1}", firstLine: 10);

        Assert.Null(settings);
        Assert.Equal([(10, "presets"), (11, "locked")], problems.Select(p => (p.Line, p.Parameter!)));
    }

    [Fact]
    public void The_reference_lists_the_training_keys_and_the_keys_of_the_block()
    {
        var names = _binder.ParameterNames;
        Assert.Contains("learning-rate", names);
        Assert.Contains("locked", names);
        Assert.Contains("editable", names);
        Assert.Contains("presets", names);
        Assert.DoesNotContain("training", names);
    }
}
