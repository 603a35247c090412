using GanLab.Core.Data;
using GanLab.Core.Models;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```gan-trainer block: the run's training settings (every key of
/// <see cref="GanTrainingOptions"/>), which of them the student may change, and named presets to pick from.
/// A block that names a model starts from that model's recommended recipe (GanTrainingOptions.For), and
/// the block's other keys override it, so `model: keras-gan` alone trains with lr 2e-4, batch 128, real label 1.
/// </summary>
public sealed class GanTrainerSettings : ILessonSettingsBase
{
    /// <summary>The keys of the training record itself, which locked, editable and presets may name.</summary>
    public static IReadOnlyList<string> TrainingKeys => TrainingBinder.ParameterNames;

    /// <summary>Binds single training keys (preset values, a student's edits) with the lesson's own parsing rules.</summary>
    public static LessonSettingsBinder TrainingBinder { get; } = new(typeof(GanTrainingOptions));

    /// <summary>
    /// The allowed names of the text settings. GanTrainingOptions lives in GanLab.Core, which knows nothing of
    /// lessons: its allowed names come from the same lists its Validate() checks against.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedValues { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["model"] = GanZoo.Names,
        ["dataset"] = DatasetCatalog.Names,
        ["labels"] = GanTrainingOptions.LabelModes,
        ["loss"] = GanLosses.Names,
        ["optimizer"] = GanTrainingOptions.OptimizerNames,
        ["latent-distribution"] = GanTrainingOptions.LatentDistributions,
        ["augmentation"] = ImageAugmentation.Names,
        ["train-on"] = GanTrainingOptions.TrainOnChoices,
        ["device"] = ["auto", "cpu", "cuda"],
    };

    /// <summary>The run's settings: the keys of the block other than locked, editable and presets.</summary>
    [LessonSettingsInline]
    public GanTrainingOptions Training { get; set; } = new();

    /// <summary>
    /// Settings the student sees but may not change, as a list of keys: `locked: [model, dataset, loss]`.
    /// Every other setting can be changed in the panel. Give either locked or editable, not both.
    /// </summary>
    public string[] Locked { get; set; } = [];

    /// <summary>
    /// The only settings the student may change, as a list of keys: `editable: [learning-rate, real-label]`
    /// locks all others. Empty (the default) with no locked list: the student may change every setting.
    /// </summary>
    public string[] Editable { get; set; } = [];

    /// <summary>
    /// Named settings the student can pick from, a list of entries each with a name and the keys it changes
    /// (`- name: Paper's recipe` then `learning-rate: 0.0002` indented below). A preset applies its keys over the
    /// block's settings; one naming another model first takes that model's recipe (learning rate, batch size, real
    /// label, dropout). Picking a preset replaces the student's own changes. Presets may set locked keys: the
    /// instructor chose those values.
    /// </summary>
    public IReadOnlyDictionary<string, string>[] Presets { get; set; } = [];

    /// <summary>The presets as the panel offers them, in the block's order.</summary>
    public IReadOnlyList<TrainerPreset> PresetList =>
        [.. Presets.Select(p => new TrainerPreset(p.GetValueOrDefault("name") ?? "", p.Where(kv => kv.Key != "name").ToDictionary()))];

    void ILessonSettingsBase.StartFrom(IReadOnlyDictionary<string, string> scalars)
    {
        if (scalars.TryGetValue("model", out var model)) Training = GanTrainingOptions.For(model);
    }

    /// <summary>Whether the student may change this key in the panel.</summary>
    public bool IsEditable(string key) =>
        Editable.Length > 0 ? Editable.Contains(key) : !Locked.Contains(key);

    /// <summary>
    /// <paramref name="options"/> with another model and that model's recipe (learning rate, batch, real label,
    /// dropout), keeping values of locked keys: what picking a model in the panel does.
    /// </summary>
    public GanTrainingOptions WithModel(GanTrainingOptions options, string model) => WithRecipe(options, model, IsEditable);

    private static GanTrainingOptions WithRecipe(GanTrainingOptions options, string model, Func<string, bool> replaces)
    {
        var recipe = GanTrainingOptions.For(model);
        return options with
        {
            Model = model,
            LearningRate = replaces("learning-rate") ? recipe.LearningRate : options.LearningRate,
            BatchSize = replaces("batch-size") ? recipe.BatchSize : options.BatchSize,
            RealLabel = replaces("real-label") ? recipe.RealLabel : options.RealLabel,
            Dropout = replaces("dropout") ? recipe.Dropout : options.Dropout,
        };
    }

    /// <summary>The block's settings with a preset applied; problems name each key of the preset that could not be used.</summary>
    public (GanTrainingOptions Options, IReadOnlyList<string> Problems) Apply(TrainerPreset preset)
    {
        // Always a copy: the keys below are set on it.
        var options = preset.Settings.TryGetValue("model", out var model) ? WithRecipe(Training, model, _ => true) : Training with { };
        var problems = new List<string>();
        foreach (var (key, value) in preset.Settings)
        {
            if (!TrainingKeys.Contains(key))
                problems.Add($"presets '{preset.Name}' sets '{key}', which is not a training setting; allowed: {string.Join(", ", TrainingKeys)}");
            else if (!TrainingBinder.TrySet(options, key, value, out var problem))
                problems.Add($"presets '{preset.Name}': {problem}");
        }
        return (options, problems);
    }

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = Training.Validate().ToList();
        if (Locked.Length > 0 && Editable.Length > 0)
            problems.Add("locked and editable are both given; give one: locked lists what the student may not change, editable what they may");
        foreach (var (words, keys) in new[] { ("locked", Locked), ("editable", Editable) })
            foreach (var key in keys.Where(key => !TrainingKeys.Contains(key)))
                problems.Add($"{words} '{key}' is not a training setting; allowed: {string.Join(", ", TrainingKeys)}");

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var preset in PresetList)
        {
            if (string.IsNullOrWhiteSpace(preset.Name))
            {
                problems.Add("presets need a name each a name, e.g. '- name: Paper's recipe'");
                continue;
            }
            if (!names.Add(preset.Name)) problems.Add($"presets use the name '{preset.Name}' twice");
            var (options, presetProblems) = Apply(preset);
            problems.AddRange(presetProblems);
            if (presetProblems.Count == 0)
                problems.AddRange(options.Validate().Select(problem => $"presets '{preset.Name}' gives {problem}"));
        }
        return problems;
    }
}

/// <summary>A preset of a trainer block: its name as the student sees it and the training keys it sets, as written.</summary>
public sealed record TrainerPreset(string Name, IReadOnlyDictionary<string, string> Settings);
