using System.Globalization;
using System.Reflection;
using System.Text;
using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// A trainer configuration as a URL query (?model=dcgan&amp;loss=hinge&amp;maxSteps=2000): the model, then the settings
/// that differ from that model's recommended ones (<see cref="GanTrainingOptions.For"/>), by property name in camelCase.
/// The /trainer page reads it back the way a lesson block is read, the model's recipe first and the other names over it,
/// so a link in a chat or on the Runs page reopens the same run settings. Unknown names and unreadable values are
/// reported, never guessed.
/// </summary>
public static class TrainerLink
{
    private static readonly PropertyInfo[] Settings = typeof(GanTrainingOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.CanWrite && Readable(p.PropertyType))
        .ToArray();

    private static readonly GanTrainingOptions Defaults = new();

    /// <summary>The names a query may use, in the record's order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Settings.Select(p => Name(p))];

    /// <summary>"?name=value&amp;…" for the model unless it is the default one, and every setting that differs from its recipe; "" when none does.</summary>
    public static string ToQuery(GanTrainingOptions options)
    {
        var recipe = GanTrainingOptions.For(options.Model);
        var query = new StringBuilder();
        foreach (var property in Settings)
        {
            var value = Format(property.GetValue(options));
            var baseline = property.Name == nameof(GanTrainingOptions.Model) ? Defaults : recipe;
            if (value == Format(property.GetValue(baseline))) continue;
            query.Append(query.Length == 0 ? '?' : '&').Append(Name(property)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return query.ToString();
    }

    /// <summary>Options from query parameters over the named model's recipe; problems name each parameter that could not be used.</summary>
    public static (GanTrainingOptions Options, IReadOnlyList<string> Problems) Parse(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var pairs = query.ToList();
        var model = pairs.LastOrDefault(p => string.Equals(p.Key, "model", StringComparison.OrdinalIgnoreCase)).Value;
        // A fresh instance either way: the properties below are set on it.
        var options = model is { Length: > 0 } ? GanTrainingOptions.For(model) : new GanTrainingOptions();
        var problems = new List<string>();
        foreach (var (key, raw) in pairs)
        {
            var property = Settings.FirstOrDefault(p => string.Equals(Name(p), key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                problems.Add($"'{key}' is not a trainer setting; allowed: {string.Join(", ", Names)}");
                continue;
            }
            if (!TryConvert(raw ?? "", property.PropertyType, out var value))
            {
                problems.Add($"'{key}={raw}' is not a valid {Describe(property.PropertyType)}");
                continue;
            }
            // Init-only setters are still setters to reflection; this instance is ours alone, just made.
            property.SetValue(options, value);
        }
        problems.AddRange(options.Validate());
        return (options, problems);
    }

    private static string Name(PropertyInfo p) => char.ToLowerInvariant(p.Name[0]) + p.Name[1..];

    private static bool Readable(Type t) =>
        (Nullable.GetUnderlyingType(t) ?? t) is var u && (u == typeof(string) || u == typeof(int) || u == typeof(long) || u == typeof(double) || u == typeof(bool));

    private static string Format(object? value) => value switch
    {
        null => "",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool TryConvert(string raw, Type type, out object? value)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null && raw.Length == 0)
        {
            value = null;
            return true;
        }
        var target = underlying ?? type;
        value = null;
        if (target == typeof(string)) value = raw;
        else if (target == typeof(int) && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)) value = i;
        else if (target == typeof(long) && long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) value = l;
        else if (target == typeof(double) && double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) value = d;
        else if (target == typeof(bool) && bool.TryParse(raw, out var b)) value = b;
        return value is not null;
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(int) || t == typeof(long) => "whole number",
        var t when t == typeof(double) => "number (e.g. 0.0002)",
        var t when t == typeof(bool) => "true or false",
        _ => "value",
    };
}
