using System.Globalization;

namespace GanLab.Cli;

/// <summary>
/// A subcommand's --name value pairs. An option the subcommand does not know, or a value that does not
/// parse, fails with a message naming what is allowed: a typo must not silently train with a default.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> values;

    private CommandLine(Dictionary<string, string> values) => this.values = values;

    public static CommandLine Parse(string command, string[] args, IReadOnlyList<string> allowed)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--") || args[i].Length == 2)
                throw new ArgumentException($"{command}: expected --option value, got '{args[i]}'");
            var name = args[i][2..];
            if (!allowed.Contains(name))
                throw new ArgumentException($"{command}: unknown option --{name}; allowed: {string.Join(", ", allowed.Select(a => "--" + a))}");
            if (i + 1 >= args.Length) throw new ArgumentException($"{command}: --{name} needs a value");
            if (!values.TryAdd(name, args[++i])) throw new ArgumentException($"{command}: --{name} is given twice");
        }
        return new CommandLine(values);
    }

    public bool Has(string name) => values.ContainsKey(name);

    public IEnumerable<string> Given => values.Keys;

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);

    public string? TextOrNull(string name) => values.GetValueOrDefault(name);

    public int Int(string name, int fallback, int min = 0) =>
        !values.TryGetValue(name, out var v) ? fallback
        : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
        : throw new ArgumentException($"--{name} wants a whole number ≥ {min}, not '{v}'");

    public int? IntOrNull(string name, int min = 0) => Has(name) ? Int(name, 0, min) : null;

    public double Double(string name, double fallback) =>
        !values.TryGetValue(name, out var v) ? fallback
        : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n
        : throw new ArgumentException($"--{name} wants a number, not '{v}'");

    /// <summary>A value that must be one of <paramref name="allowed"/>, checked here so the message can name them.</summary>
    public string Choice(string name, string fallback, IReadOnlyList<string> allowed)
    {
        var v = Text(name, fallback);
        return allowed.Contains(v) ? v : throw new ArgumentException($"--{name} '{v}' is unknown; allowed: {string.Join(", ", allowed)}");
    }
}
