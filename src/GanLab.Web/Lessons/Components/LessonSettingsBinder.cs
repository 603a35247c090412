using System.Globalization;
using System.Reflection;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace GanLab.Web.Lessons.Components;

/// <summary>
/// Binds a YAML mapping (a component block's body, a lesson's front matter) onto a settings type's
/// public settable properties. Values are scalars; for a <c>double[][]</c> property a list of
/// rows such as <c>[[1, 2], [3, 4]]</c>; for a <c>string[]</c> property a list of names such as
/// <c>[model, dataset]</c>; for an <c>IReadOnlyDictionary&lt;string, string&gt;[]</c> property a list of
/// mappings of scalars. The properties of a property marked <see cref="LessonSettingsInlineAttribute"/>
/// are keys of the block itself, so a component can add keys of its own around a record of GanLab.Core.
/// Keys are kebab-case of the property names (batch-size → BatchSize); snake_case and camelCase are
/// accepted too. A settings type implementing <see cref="ILessonSettingsBase"/> first sees the block's
/// scalars and picks its starting values (the trainer starts from the named model's recipe); the keys
/// then override them. Every problem is reported with its line in the lesson file, never thrown, so one
/// bad block cannot take a page down.
/// </summary>
public sealed class LessonSettingsBinder
{
    private readonly Type _settingsType;
    private readonly object _defaults;
    private readonly Dictionary<string, Slot> _properties;

    /// <summary>Where a key's value goes: a property of the settings, or of the settings' inline record.</summary>
    private sealed record Slot(PropertyInfo Property, PropertyInfo? Owner)
    {
        public object Target(object settings) => Owner is null ? settings : Owner.GetValue(settings)!;
    }

    public LessonSettingsBinder(Type settingsType)
    {
        _settingsType = settingsType;
        _defaults = Activator.CreateInstance(settingsType)
            ?? throw new ArgumentException($"{settingsType} needs a public parameterless constructor.", nameof(settingsType));
        _properties = new Dictionary<string, Slot>(StringComparer.Ordinal);
        foreach (var property in Settable(settingsType))
        {
            if (property.IsDefined(typeof(LessonSettingsInlineAttribute)))
            {
                if (property.GetValue(_defaults) is null)
                    throw new ArgumentException($"{settingsType.Name}.{property.Name} is inline settings and must not be null by default.", nameof(settingsType));
                foreach (var inner in Settable(property.PropertyType).Where(inner => ValueKind(inner.PropertyType) is not null))
                    Add(inner, property);
            }
            else if (ValueKind(property.PropertyType) is not null)
            {
                Add(property, null);
            }
        }

        void Add(PropertyInfo property, PropertyInfo? owner)
        {
            if (!_properties.TryAdd(KebabCase(property.Name), new Slot(property, owner)))
                throw new ArgumentException($"{settingsType.Name} has two settings named '{KebabCase(property.Name)}'.", nameof(settingsType));
        }
    }

    private static IEnumerable<PropertyInfo> Settable(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(property => property.SetMethod is { IsPublic: true });

    /// <summary>The keys a block may use, in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames => _properties.Keys.ToList();

    /// <summary>Every key with its property, the kind of value it takes and its default, in declaration order.</summary>
    public IReadOnlyList<LessonParameter> Parameters => _properties
        .Select(entry => new LessonParameter(entry.Key, entry.Value.Property, ValueKind(entry.Value.Property.PropertyType)!,
            Show(entry.Value.Property.GetValue(entry.Value.Target(_defaults)))))
        .ToList();

    /// <summary>The type whose properties the keys set.</summary>
    public Type SettingsType => _settingsType;

    /// <summary>
    /// Returns the bound settings, or null with the problems found.
    /// <paramref name="firstLine"/> is the 1-based file line of the YAML text's first line.
    /// </summary>
    public (object? Settings, IReadOnlyList<LessonProblem> Problems) Bind(string yaml, int firstLine)
    {
        var problems = new List<LessonProblem>();
        var settings = Activator.CreateInstance(_settingsType)!;
        var lineOf = new Dictionary<string, int>();

        YamlMappingNode? mapping;
        try
        {
            mapping = ReadMapping(yaml, firstLine, problems);
        }
        catch (YamlException ex)
        {
            var line = firstLine + (int)Math.Max(0, ex.Start.Line - 1);
            problems.Add(new LessonProblem(line, $"the settings are not valid YAML: {ex.InnerException?.Message ?? ex.Message}"));
            return (null, problems);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on some malformed flow
            // collections, e.g. "title: [unclosed".
            problems.Add(new LessonProblem(firstLine, "the settings are not valid YAML: check brackets and quotes."));
            return (null, problems);
        }

        var entries = mapping?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>();
        if (settings is ILessonSettingsBase withBase)
        {
            // First occurrence wins, as in binding; a duplicate is reported below.
            var scalars = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in entries)
                if (keyNode is YamlScalarNode { Value: { } name } && valueNode is YamlScalarNode { Value: { } text })
                    scalars.TryAdd(NormaliseKey(name), text);
            withBase.StartFrom(scalars);
        }

        foreach (var (keyNode, valueNode) in entries)
        {
            var line = firstLine + (int)keyNode.Start.Line - 1;
            var key = keyNode is YamlScalarNode { Value: { } text } ? NormaliseKey(text) : keyNode.ToString();
            if (!_properties.TryGetValue(key, out var slot))
            {
                problems.Add(new LessonProblem(line, $"unknown parameter '{key}'.", key, ParameterNames));
                continue;
            }
            if (!lineOf.TryAdd(key, line))
            {
                problems.Add(new LessonProblem(line, $"'{key}' is set twice (first on line {lineOf[key]}).", key));
                continue;
            }
            var (property, target) = (slot.Property, slot.Target(settings));
            if (property.PropertyType == typeof(double[][]))
            {
                if (TryReadMatrix(valueNode, out var matrix, out var why)) property.SetValue(target, matrix);
                else problems.Add(new LessonProblem(line, why, key, [Describe(property)]));
                continue;
            }
            if (property.PropertyType == typeof(string[]))
            {
                if (TryReadNames(valueNode, out var names, out var why)) property.SetValue(target, names);
                else problems.Add(new LessonProblem(line, why, key, [Describe(property)]));
                continue;
            }
            if (property.PropertyType == typeof(IReadOnlyDictionary<string, string>[]))
            {
                if (TryReadMappings(valueNode, out var mappings, out var why)) property.SetValue(target, mappings);
                else problems.Add(new LessonProblem(line, why, key, [Describe(property)]));
                continue;
            }
            if (property.PropertyType == typeof(Dictionary<string, string>))
            {
                if (TryReadSettingsMap(valueNode, out var map, out var why)) property.SetValue(settings, map);
                else problems.Add(new LessonProblem(line, why, key, [Describe(property)]));
                continue;
            }
            if (valueNode is not YamlScalarNode scalar)
            {
                problems.Add(new LessonProblem(line, "expected a single value, not a list or mapping.", key, [Describe(property)]));
                continue;
            }
            if (!TryConvert(scalar.Value, property.PropertyType, out var value))
            {
                problems.Add(new LessonProblem(line, $"'{scalar.Value}' is not {ValueKind(property.PropertyType)}.", key, [Describe(property)]));
                continue;
            }
            property.SetValue(target, value);
        }

        return (problems.Count == 0 ? settings : null, problems);
    }

    /// <summary>
    /// Sets one scalar key on settings of this binder's type, as a block line would (a preset's values, a
    /// student's edit). False with the reason when the key is unknown or the text is not a value of its kind.
    /// </summary>
    public bool TrySet(object settings, string key, string? text, out string problem)
    {
        problem = "";
        var name = NormaliseKey(key);
        if (!_properties.TryGetValue(name, out var slot))
        {
            problem = $"unknown parameter '{name}'; allowed: {string.Join(", ", ParameterNames)}";
            return false;
        }
        if (!TryConvert(text, slot.Property.PropertyType, out var value))
        {
            problem = $"{name}: '{text}' is not {ValueKind(slot.Property.PropertyType)}";
            return false;
        }
        slot.Property.SetValue(slot.Target(settings), value);
        return true;
    }

    /// <summary>
    /// The line of the key a validation message is about. Validation messages name the setting in
    /// words ("batch size 0 must be ..."), so the key whose words start the message is the one.
    /// </summary>
    public static string? KeyNamedIn(string message, IEnumerable<string> keys) =>
        keys.OrderByDescending(key => key.Length)
            .FirstOrDefault(key => message.StartsWith(key.Replace('-', ' ') + " ", StringComparison.OrdinalIgnoreCase));

    public static string KebabCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]))) text.Append('-');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }

    private static string NormaliseKey(string key) => KebabCase(key.Trim()).Replace('_', '-');

    private static YamlMappingNode? ReadMapping(string yaml, int firstLine, List<LessonProblem> problems)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" }) return null;
        if (stream.Documents[0].RootNode is YamlMappingNode mapping) return mapping;
        problems.Add(new LessonProblem(firstLine, "the settings must be 'key: value' lines."));
        return null;
    }

    private string Describe(PropertyInfo property)
    {
        var slot = _properties.Values.First(slot => slot.Property == property);
        return $"{ValueKind(property.PropertyType)} (default {Show(property.GetValue(slot.Target(_defaults)))})";
    }

    /// <summary>A value as an author would write it in a block.</summary>
    public static string Show(object? value) => value switch
    {
        null => "none",
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        bool flag => flag ? "true" : "false",
        Dictionary<string, string> map => map.Count == 0 ? "none" : string.Join(", ", map.Select(pair => $"{pair.Key}: {pair.Value}")),
        double[][] matrix => "[" + string.Join(", ", matrix.Select(row => "[" + string.Join(", ", row.Select(x => Show(x))) + "]")) + "]",
        string[] names => "[" + string.Join(", ", names) + "]",
        IReadOnlyDictionary<string, string>[] mappings => mappings.Length == 0 ? "none"
            : "[" + string.Join(", ", mappings.Select(m => "{" + string.Join(", ", m.Select(kv => $"{kv.Key}: {kv.Value}")) + "}")) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A list of rows of numbers, all rows the same length: [[1, 2], [3, 4]] on one line, or a YAML
    /// block list of rows. Shape limits belong to the component's validation, not here.
    /// </summary>
    private static bool TryReadMatrix(YamlNode node, out double[][] matrix, out string why)
    {
        matrix = [];
        why = "";
        if (node is not YamlSequenceNode rows || rows.Children.Count == 0)
        {
            why = "expected a list of rows, e.g. [[1, 2], [3, 4]].";
            return false;
        }
        // A single row may be written without the outer brackets: [1, 2] is the 1×2 matrix [[1, 2]].
        if (rows.Children.All(child => child is YamlScalarNode))
        {
            if (!TryReadRow(rows, out var only, out why)) return false;
            matrix = [only];
            return true;
        }
        var result = new List<double[]>();
        foreach (var rowNode in rows.Children)
        {
            if (rowNode is not YamlSequenceNode row)
            {
                why = "expected a list of rows, e.g. [[1, 2], [3, 4]].";
                return false;
            }
            if (!TryReadRow(row, out var values, out why)) return false;
            result.Add(values);
        }
        if (result.Any(row => row.Length != result[0].Length))
        {
            why = $"the rows have different lengths ({string.Join(", ", result.Select(row => row.Length))}); every row needs as many numbers as the first.";
            return false;
        }
        matrix = result.ToArray();
        return true;
    }

    /// <summary>
    /// A nested block of settings (gan-compare's <c>both:</c>, <c>left:</c>, <c>right:</c>): one level of
    /// <c>key: value</c> lines, keys normalised like top-level ones. The values stay text: the component binds
    /// them onto its own settings type, which knows their kinds and allowed values.
    /// </summary>
    private static bool TryReadSettingsMap(YamlNode node, out Dictionary<string, string> map, out string why)
    {
        map = new Dictionary<string, string>(StringComparer.Ordinal);
        why = "";
        if (node is YamlScalarNode { Value: null or "" or "~" }) return true; // "left:" with nothing under it
        if (node is not YamlMappingNode mapping)
        {
            why = "expected indented 'key: value' lines under it.";
            return false;
        }
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } text } || valueNode is not YamlScalarNode value)
            {
                why = $"'{keyNode}' must be a single 'key: value' line, not a list or a deeper mapping.";
                return false;
            }
            if (!map.TryAdd(NormaliseKey(text), value.Value ?? ""))
            {
                why = $"'{NormaliseKey(text)}' is set twice under it.";
                return false;
            }
        }
        return true;
    }

    /// <summary>A list of names, [model, dataset] on one line or a YAML block list; one bare name is a list of one.</summary>
    private static bool TryReadNames(YamlNode node, out string[] names, out string why)
    {
        why = "";
        names = [];
        if (node is YamlScalarNode { Value: { Length: > 0 } single })
        {
            names = [NormaliseKey(single)];
            return true;
        }
        if (node is not YamlSequenceNode list || list.Children.Any(child => child is not YamlScalarNode { Value.Length: > 0 }))
        {
            why = "expected a list of names, e.g. [model, dataset].";
            return false;
        }
        names = [.. list.Children.Select(child => NormaliseKey(((YamlScalarNode)child).Value!))];
        return true;
    }

    /// <summary>A list of mappings whose values are scalars, e.g. a list of presets each with a name and settings.</summary>
    private static bool TryReadMappings(YamlNode node, out IReadOnlyDictionary<string, string>[] mappings, out string why)
    {
        why = "";
        mappings = [];
        if (node is not YamlSequenceNode list)
        {
            why = "expected a list of mappings, one '- name: …' entry per item with its keys indented below.";
            return false;
        }
        var result = new List<IReadOnlyDictionary<string, string>>();
        foreach (var item in list.Children)
        {
            if (item is not YamlMappingNode entry)
            {
                why = $"item '{item}' is not a mapping of 'key: value' lines.";
                return false;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (keyNode, valueNode) in entry.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } || valueNode is not YamlScalarNode { Value: var value })
                {
                    why = $"in item {result.Count + 1}, '{keyNode}' must have a single value, not a list or mapping.";
                    return false;
                }
                if (!values.TryAdd(NormaliseKey(key), value ?? ""))
                {
                    why = $"in item {result.Count + 1}, '{NormaliseKey(key)}' is set twice.";
                    return false;
                }
            }
            result.Add(values);
        }
        mappings = [.. result];
        return true;
    }

    private static bool TryReadRow(YamlSequenceNode row, out double[] values, out string why)
    {
        values = new double[row.Children.Count];
        why = "";
        for (var i = 0; i < values.Length; i++)
        {
            if (row.Children[i] is not YamlScalarNode { Value: { } text }
                || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out values[i])
                || !double.IsFinite(values[i]))
            {
                why = $"'{row.Children[i]}' in a row is not a number.";
                return false;
            }
        }
        if (values.Length == 0) why = "a row is empty.";
        return values.Length > 0;
    }

    private static string? ValueKind(Type type)
    {
        if (type == typeof(double[][])) return "a matrix of numbers";
        if (type == typeof(Dictionary<string, string>)) return "indented key: value lines";
        if (type == typeof(string[])) return "a list of names";
        if (type == typeof(IReadOnlyDictionary<string, string>[])) return "a list of mappings";
        var underlying = Nullable.GetUnderlyingType(type);
        var core = underlying ?? type;
        string? kind = core == typeof(string) ? "text"
            : core == typeof(int) || core == typeof(long) ? "a whole number"
            : core == typeof(double) || core == typeof(float) ? "a number"
            : core == typeof(bool) ? "true or false"
            : null;
        return kind is not null && underlying is not null ? kind + " or null" : kind;
    }

    private static bool TryConvert(string? text, Type type, out object? value)
    {
        value = null;
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null && text is null or "" or "~" or "null") return true;
        var core = underlying ?? type;
        var invariant = CultureInfo.InvariantCulture;
        text ??= "";

        if (core == typeof(string)) { value = text; return true; }
        if (core == typeof(int) && int.TryParse(text, NumberStyles.Integer, invariant, out var i)) { value = i; return true; }
        if (core == typeof(long) && long.TryParse(text, NumberStyles.Integer | NumberStyles.AllowThousands, invariant, out var l)) { value = l; return true; }
        if (core == typeof(double) && double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d)) { value = d; return true; }
        if (core == typeof(float) && float.TryParse(text, NumberStyles.Float, invariant, out var f) && float.IsFinite(f)) { value = f; return true; }
        if (core == typeof(bool) && bool.TryParse(text, out var b)) { value = b; return true; }
        return false;
    }
}

/// <summary>The properties of the marked property are keys of the block itself (see <see cref="LessonSettingsBinder"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class LessonSettingsInlineAttribute : Attribute;

/// <summary>
/// Settings whose starting values depend on the block: before any key is bound, <see cref="StartFrom"/> gets the
/// block's scalar keys (kebab-case) and sets defaults from them; the keys then override those defaults. Unknown or
/// invalid values are left to the binding and validation that follow, which report them with their line.
/// </summary>
public interface ILessonSettingsBase
{
    void StartFrom(IReadOnlyDictionary<string, string> scalars);
}

/// <summary>One key a block may set: its name in the lesson, the property behind it, what it takes and its default.</summary>
public sealed record LessonParameter(string Name, PropertyInfo Property, string Kind, string Default);
