using System.Diagnostics.CodeAnalysis;
using GanLab.Core.Latent;
using GanLab.Core.Pretrained;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Lessons.Toys;
using GanLab.Core.Data;
using GanLab.Core.Models;
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
            validate: settings => settings.Validate())
        .Add<GanComparePanel, GanCompareSettings>(
            "gan-compare",
            summary: "Trains two GAN configurations side by side with the same seed and the same budget (steps, or seconds of "
                + "training for comparisons at equal time), both through the server's training queue. Their charts share one step "
                + "axis and one hover; when both end, a table compares steps, images/s, losses, D(x), D(G(z)), and FID and the "
                + "classifier score when the dataset's classifier is trained. Under both, left and right go gan-trainer settings.",
            example: """
                seconds: 30
                both:
                  dataset: mnist
                  seed: 42
                left:
                  model: mlp-gan
                right:
                  model: dcgan
                """,
            validate: settings => settings.Validate())
        .Add<ModelArchitecture, ArchitectureSettings>(
            "model-architecture",
            summary: "A zoo model's layers as Keras' model.summary() shows them: each layer's output shape and its trainable and "
                + "non-trainable parameters, with the totals; the same table as `./ganlab models NAME`.",
            example: """
                model: dcgan
                dataset: mnist
                network: both
                """,
            validate: settings => settings.Validate(),
            allowed: new Dictionary<string, IReadOnlyList<string>>
            {
                ["model"] = GanZoo.Names,
                ["dataset"] = DatasetCatalog.Names,
                ["network"] = ArchitectureSettings.Networks,
            })
        .Add<MetricsPanel, MetricsSettings>(
            "gan-metrics",
            summary: "Measures a trained Generator when the student presses Measure: FID on the domain classifier's features beside "
                + "the real-vs-real floor at the same sample size, the classifier score, precision and recall, and the class "
                + "histogram that makes mode collapse visible. It measures the student's newest paused or finished run (of a model and "
                + "dataset when given), or a course checkpoint under content/checkpoints/.",
            example: """
                model: mlp-gan
                dataset: mnist
                """,
            validate: settings => settings.Validate(),
            allowed: new Dictionary<string, IReadOnlyList<string>>
            {
                ["model"] = GanZoo.Names,
                ["dataset"] = DatasetCatalog.Names,
            })
        .Add<SampleGridPanel, SampleGridSettings>(
            "sample-grid",
            summary: "Samples over time of the student's newest run (of a model and dataset when given), found as gan-metrics finds "
                + "it: the Generator's grids from the fixed noise that the runs database keeps, on a slider with a Play button, and "
                + "real images of the run's dataset beside them. While the run trains, new grids join as they come; without such "
                + "a run it asks the student to train one above first.",
            example: """
                model: mlp-gan
                dataset: mnist
                """,
            validate: settings => settings.Validate(),
            allowed: new Dictionary<string, IReadOnlyList<string>>
            {
                ["run"] = SampleGridSettings.Runs,
                ["model"] = GanZoo.Names,
                ["dataset"] = DatasetCatalog.Names,
            })
        .AddToy<Toy2D, Toy2DSettings>(
            "toy-2d",
            summary: "A small GAN learning 2-D points, in the manner of GAN Lab: D's decision heatmap, real and fake points, "
                + "G's gradient arrows and the warped manifold as layers that can be switched off; Play/Pause and step by step "
                + "(D step, G step, both); the losses, modes covered and high-quality share as it trains. Trains through the "
                + "server's scheduler like every run.",
            example: """
                distribution: ring-8
                loss: non-saturating
                seed: 42
                """)
        .AddToy<OptimalDiscriminatorView, OptimalDiscriminatorSettings>(
            "optimal-discriminator",
            summary: "A GAN on 1-D data with live curves of p_data, p_g (the histogram of G's points), the trained D(x) and the "
                + "optimal D*(x) = p_data / (p_data + p_g) for the current G, the formula beside them, and the gap |D − D*| over training.",
            example: """
                distribution: two-gaussians-1d
                discriminator-steps: 5
                """)
        .AddToy<MinimaxGame, MinimaxGameSettings>(
            "minimax-game",
            summary: "The value V(D, G) of a live toy run against −log 4 and against −log 4 + 2·JSD (what the best D would "
                + "reach), beside the saturating log(1 − D(G(z))) and non-saturating −log D(G(z)) generator losses and their "
                + "gradients, measured from the course's loss code, with a marker at the run's current mean D(G(z)).",
            example: """
                distribution: gaussian-1d
                loss: minimax
                """)
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

    /// <summary>A toy component: its settings check themselves and know their allowed values.</summary>
    public LessonComponentRegistry AddToy<TComponent, TSettings>(string name, string summary, string example)
        where TComponent : IComponent, ILessonComponent<TSettings>
        where TSettings : ToyRunSettings, new() =>
        Add<TComponent, TSettings>(name, summary, example, settings => settings.Validate(), new TSettings().AllowedValues());

    public bool TryGet(string name, [NotNullWhen(true)] out LessonComponentDescriptor? descriptor) =>
        _byName.TryGetValue(name, out descriptor);
}
