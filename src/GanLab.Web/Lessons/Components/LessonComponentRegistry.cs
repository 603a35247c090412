using System.Diagnostics.CodeAnalysis;
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
        .Add<GanTrainerPanel, GanTrainerSettings>(
            "gan-trainer",
            summary: "Trains a GAN live in the lesson: Train, Pause, Step and Reset buttons, charts of Loss_D and Loss_G, "
                + "of D(x) and D(G(z)), of D's accuracy on real and fake images and of both networks' gradient norms, "
                + "the Generator's samples from one fixed batch of noise with a timeline to replay them, and real images "
                + "beside them. A block naming a model starts from that model's recommended settings; its other keys "
                + "override them. The student can change every setting not locked, or pick one of the block's presets.",
            example: """
                model: keras-gan
                dataset: mnist
                seed: 42
                max-steps: 2000
                locked: [model, dataset]
                presets:
                  - name: Recipe of the Keras tutorial
                    real-label: 1
                  - name: Labels swapped in D only
                    labels: swapped-d-only
                """,
            validate: settings => settings.Validate(),
            allowed: new Dictionary<string, IReadOnlyList<string>>(GanTrainerSettings.AllowedValues)
            {
                ["locked"] = GanTrainerSettings.TrainingKeys,
                ["editable"] = GanTrainerSettings.TrainingKeys,
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
            validate: settings => settings.Validate());

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
