using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace GanLab.Web.Lessons.Components;

/// <summary>One key of a block or of the front matter, as the authoring reference lists it.</summary>
public sealed record LessonParameterDoc(string Name, string Kind, string Default, IReadOnlyList<string> Allowed, string Description);

/// <summary>One component as the authoring reference lists it: what it is, its keys, and a block that uses it.</summary>
public sealed record LessonComponentDoc(string Name, string Summary, IReadOnlyList<LessonParameterDoc> Parameters, string Example)
{
    /// <summary>The example as an author writes it in a lesson, fences included.</summary>
    public string ExampleBlock => $"```{Name}\n{Example}```\n";
}

/// <summary>
/// The authoring reference, generated from code so it cannot drift from what the parser accepts:
/// keys and defaults from the settings classes (via <see cref="LessonSettingsBinder"/>), descriptions
/// from their XML doc comments, allowed values from [Range]/[AllowedValues] attributes or from the
/// registry where the settings class belongs to GanLab.Core.
/// </summary>
public static class LessonReference
{
    public static IReadOnlyList<LessonComponentDoc> Components(LessonComponentRegistry registry) =>
        registry.Components
            .Select(component => new LessonComponentDoc(
                component.Name,
                component.Summary,
                Parameters(component.Binder, component.AllowedValues),
                component.Example))
            .ToList();

    /// <summary>The keys of a lesson's front matter.</summary>
    public static IReadOnlyList<LessonParameterDoc> FrontMatter() =>
        Parameters(new LessonSettingsBinder(typeof(LessonFrontMatter)), new Dictionary<string, IReadOnlyList<string>>());

    private static IReadOnlyList<LessonParameterDoc> Parameters(
        LessonSettingsBinder binder, IReadOnlyDictionary<string, IReadOnlyList<string>> allowedByName) =>
        binder.Parameters
            .Select(parameter => new LessonParameterDoc(
                parameter.Name,
                parameter.Kind,
                parameter.Default,
                allowedByName.TryGetValue(parameter.Name, out var allowed) ? allowed : AllowedFromAttributes(parameter),
                XmlDocumentation.Summary(parameter.Property)))
            .ToList();

    private static IReadOnlyList<string> AllowedFromAttributes(LessonParameter parameter)
    {
        var property = parameter.Property;
        if (property.GetCustomAttributes(typeof(AllowedValuesAttribute), true) is [AllowedValuesAttribute values, ..])
            return values.Values.Select(value => LessonSettingsBinder.Show(value)).ToList();
        if (property.GetCustomAttributes(typeof(RangeAttribute), true) is [RangeAttribute range, ..])
            return [string.Create(CultureInfo.InvariantCulture, $"{range.Minimum} to {range.Maximum}")];
        var core = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return core == typeof(bool) ? ["true", "false"] : [];
    }
}

/// <summary>
/// Checks a settings object's [Range] attributes and says what is wrong in the words the lesson
/// parser traces back to a key: "stride 7 must be between 1 and 4" points at the stride: line.
/// </summary>
public static class LessonSettingsRanges
{
    public static IEnumerable<string> Check(object settings)
    {
        foreach (var property in settings.GetType().GetProperties())
        {
            if (property.GetCustomAttributes(typeof(RangeAttribute), true) is not [RangeAttribute range, ..]) continue;
            var value = property.GetValue(settings);
            if (value is null || range.IsValid(value)) continue;
            var words = LessonSettingsBinder.KebabCase(property.Name).Replace('-', ' ');
            yield return string.Create(CultureInfo.InvariantCulture,
                $"{words} {LessonSettingsBinder.Show(value)} must be between {range.Minimum} and {range.Maximum}");
        }
    }
}
