using System.Diagnostics.CodeAnalysis;
using GanLab.Core.Data;
using GanLab.Core.Latent;
using GanLab.Core.Models;
using GanLab.Core.Pretrained;
using GanLab.Core.Training;
using GanLab.Core.Training.Losses;
using GanLab.Web.Components.Lessons;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Lessons.Components;

/// <summary>
/// What a fence's info string can name: the component type, how to bind and check its settings,
/// and what the authoring reference says about it (a summary for instructors, an example block,
/// and the allowed values of settings whose class cannot carry attributes of ours).
/// </summary>
public sealed record LessonComponentDescriptor(
    string Name,
    Type ComponentType,
    LessonSettingsBinder Binder,
    Func<object, IReadOnlyList<string>> Validate,
    string Summary,
    string Example,
    IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedValues);

/// <summary>
/// Name → component for lesson fences. Filled once at start-up and read-only afterwards,
/// so lookups need no locking.
/// </summary>
public sealed class LessonComponentRegistry
{
    private readonly Dictionary<string, LessonComponentDescriptor> _byName = new(StringComparer.Ordinal);

    /// <summary>The registry of the course: every component a lesson may embed.</summary>
    public static LessonComponentRegistry CreateDefault() => new LessonComponentRegistry()
        .Add<GanTrainerPanel, GanTrainingOptions>(
            "gan-trainer",
            summary: "Trains a GAN live in the lesson: Train, Stop and Reset buttons, charts of Loss_D and Loss_G "
                + "and of D(x) and D(G(z)), and the Generator's samples from one fixed batch of noise.",
            example: """
                model: mlp-gan
                dataset: mnist
                seed: 42
                batch-size: 64
                real-label: 0.9
                """,
            validate: options => options.Validate(),
            // GanTrainingOptions lives in GanLab.Core, which knows nothing of lessons: its allowed
            // names come from the same lists its Validate() checks against.
            allowed: new Dictionary<string, IReadOnlyList<string>>
            {
                ["model"] = GanZoo.Names,
                ["dataset"] = DatasetCatalog.Names,
                ["labels"] = GanTrainingOptions.LabelModes,
                ["loss"] = GanLosses.Names,
                ["optimizer"] = GanTrainingOptions.OptimizerNames,
                ["latent-distribution"] = GanTrainingOptions.LatentDistributions,
                ["augmentation"] = ImageAugmentation.Names,
                ["device"] = ["auto", "cpu", "cuda"],
            })
        .Add<ConvTransposeExplorer, ConvTransposeSettings>(
            "conv-transpose",
            summary: "The arithmetic of a transposed convolution, the Generator's upsampling step: every input "
                + "cell scales the kernel and adds it into the output at stride steps; padding crops the border. "
                + "Students can change the input, kernel, stride, padding and output padding and see each contribution.",
            example: """
                input: [[0, 1], [2, 3]]
                kernel: [[0, 1], [2, 3]]
                stride: 1
                """,
            validate: settings => settings.Validate())
        .Add<LatentExplorer, LatentExplorerSettings>(
            "latent-explorer",
            summary: "Explores a trained Generator's latent space: a strip of images along the linear or spherical path "
                + "from latent point A to B, vector arithmetic A − B + C in z, seed 000's pixel arithmetic (A + B superimposes "
                + "strokes) beside the latent midpoint, and A's nearest training images. Students pick A, B and C by seed or "
                + "by clicking samples. Uses a pretrained model (`./ganlab pretrain`); until it is trained it shows its progress.",
            example: """
                model: mlp-gan-mnist
                seed-a: 1
                seed-b: 2
                interpolation: spherical
                steps: 8
                """,
            validate: settings => settings.Validate(),
            allowed: new Dictionary<string, IReadOnlyList<string>>
            {
                ["model"] = PretrainedCatalog.Gans.Select(g => g.Name).ToList(),
                ["interpolation"] = LatentMath.InterpolationNames,
                ["show"] = LatentExplorerSettings.ViewNames,
            });

    public IReadOnlyCollection<string> Names => _byName.Keys;

    /// <summary>Every component, in the order registered.</summary>
    public IReadOnlyCollection<LessonComponentDescriptor> Components => _byName.Values;

    public LessonComponentRegistry Add<TComponent, TSettings>(
        string name,
        string summary,
        string example,
        Func<TSettings, IReadOnlyList<string>>? validate = null,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? allowed = null)
        where TComponent : IComponent, ILessonComponent<TSettings>
        where TSettings : class, new()
    {
        if (!Markdown.LessonComponentBlock.IsComponentName(name))
            throw new ArgumentException($"'{name}' is not a component name: use kebab-case with a hyphen, e.g. gan-trainer.", nameof(name));
        var binder = new LessonSettingsBinder(typeof(TSettings));
        var unknown = allowed?.Keys.Except(binder.ParameterNames).ToList() ?? [];
        if (unknown.Count > 0)
            throw new ArgumentException($"allowed values given for parameters {string.Join(", ", unknown)} that {name} does not have.", nameof(allowed));
        var descriptor = new LessonComponentDescriptor(
            name,
            typeof(TComponent),
            binder,
            settings => validate?.Invoke((TSettings)settings) ?? [],
            summary,
            example.TrimEnd() + "\n",
            allowed ?? new Dictionary<string, IReadOnlyList<string>>());
        if (!_byName.TryAdd(name, descriptor))
            throw new InvalidOperationException($"A lesson component named '{name}' is already registered.");
        return this;
    }

    public bool TryGet(string name, [NotNullWhen(true)] out LessonComponentDescriptor? descriptor) =>
        _byName.TryGetValue(name, out descriptor);
}
