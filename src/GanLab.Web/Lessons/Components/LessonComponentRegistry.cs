using System.Diagnostics.CodeAnalysis;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Lessons.Components;

/// <summary>What a fence's info string can name: the component type and how to bind its settings.</summary>
public sealed record LessonComponentDescriptor(
    string Name,
    Type ComponentType,
    LessonSettingsBinder Binder,
    Func<object, IReadOnlyList<string>> Validate);

/// <summary>
/// Name → component for lesson fences. Filled once at start-up and read-only afterwards,
/// so lookups need no locking.
/// </summary>
public sealed class LessonComponentRegistry
{
    private readonly Dictionary<string, LessonComponentDescriptor> _byName = new(StringComparer.Ordinal);

    /// <summary>The registry of the course: every component a lesson may embed.</summary>
    public static LessonComponentRegistry CreateDefault() => new LessonComponentRegistry()
        .Add<GanTrainerPanel, GanTrainingOptions>("gan-trainer", options => options.Validate());

    public IReadOnlyCollection<string> Names => _byName.Keys;

    public LessonComponentRegistry Add<TComponent, TSettings>(string name, Func<TSettings, IReadOnlyList<string>>? validate = null)
        where TComponent : IComponent, ILessonComponent<TSettings>
        where TSettings : class, new()
    {
        if (!Markdown.LessonComponentBlock.IsComponentName(name))
            throw new ArgumentException($"'{name}' is not a component name: use kebab-case with a hyphen, e.g. gan-trainer.", nameof(name));
        var descriptor = new LessonComponentDescriptor(
            name,
            typeof(TComponent),
            new LessonSettingsBinder(typeof(TSettings)),
            settings => validate?.Invoke((TSettings)settings) ?? []);
        if (!_byName.TryAdd(name, descriptor))
            throw new InvalidOperationException($"A lesson component named '{name}' is already registered.");
        return this;
    }

    public bool TryGet(string name, [NotNullWhen(true)] out LessonComponentDescriptor? descriptor) =>
        _byName.TryGetValue(name, out descriptor);
}
