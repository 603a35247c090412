using System.Globalization;
using System.Text;
using GanLab.Core.Training;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```gan-compare block: two gan-trainer configurations trained with the same seed and the same
/// budget, side by side. <c>both:</c> holds what the two share, <c>left:</c> and <c>right:</c> what each changes; every
/// key under them is a gan-trainer setting (model, dataset, loss, labels, learning-rate, …).
/// </summary>
public sealed class GanCompareSettings
{
    private static readonly LessonSettingsBinder TrainerBinder = new(typeof(GanTrainingOptions));

    /// <summary>gan-trainer settings both runs use, e.g. dataset: mnist and seed: 42. The seed belongs here: both runs always share it.</summary>
    public Dictionary<string, string> Both { get; set; } = [];

    /// <summary>gan-trainer settings of the left run only, over those of both, e.g. model: mlp-gan.</summary>
    public Dictionary<string, string> Left { get; set; } = [];

    /// <summary>gan-trainer settings of the right run only, over those of both, e.g. model: dcgan.</summary>
    public Dictionary<string, string> Right { get; set; } = [];

    /// <summary>Training steps each run gets (G steps, as the charts count them); used unless seconds is given.</summary>
    public long Steps { get; set; } = 500;

    /// <summary>
    /// Seconds of training each run gets instead of a step budget: equal time, as "MLP GAN vs DCGAN at equal time" needs.
    /// Only time spent training counts (not waiting for a slot or building the networks), so two runs that share the
    /// CPU by turns still get the same. Between 1 and 600.
    /// </summary>
    public double? Seconds { get; set; }

    /// <summary>The left run's heading; none names it by what differs (e.g. "mlp-gan").</summary>
    public string? LeftTitle { get; set; }

    /// <summary>The right run's heading; none names it by what differs (e.g. "dcgan").</summary>
    public string? RightTitle { get; set; }

    /// <summary>Generated images per run for FID and the classifier score when both end; none takes the dataset's default (2,000 for mnist).</summary>
    public int? Samples { get; set; }

    /// <summary>The keys a run's settings may not set here: the comparison owns the seed and the budget.</summary>
    public static IReadOnlyList<string> ReservedKeys { get; } = ["max-steps"];

    /// <summary>The options of one side ("left" or "right"), or the problems that keep it from being built.</summary>
    public (GanTrainingOptions? Options, IReadOnlyList<string> Problems) OptionsOf(string side)
    {
        var own = side == "left" ? Left : Right;
        var problems = new List<string>();
        foreach (var key in ReservedKeys.Where(k => Both.ContainsKey(k) || own.ContainsKey(k)))
            problems.Add($"{side} run: {key} is set by the comparison's steps or seconds; remove it");
        if (own.ContainsKey("seed"))
            problems.Add($"{side} run: seed must be the same for both runs; set it under both, not under {side}");

        var merged = new Dictionary<string, string>(Both, StringComparer.Ordinal);
        foreach (var (key, value) in own) merged[key] = value;
        foreach (var key in ReservedKeys) merged.Remove(key);
        var (bound, bindProblems) = TrainerBinder.Bind(ToYaml(merged), 1);
        foreach (var p in bindProblems)
            problems.Add($"{side} run: {(p.Parameter is { } key && !p.Message.Contains($"'{key}'") ? key + ": " : "")}{p.Message}"
                + (p.Allowed is { Count: > 0 } allowed ? $" Allowed: {string.Join(", ", allowed)}." : ""));
        if (bound is not GanTrainingOptions options) return (null, problems);

        options = options with { MaxSteps = Seconds is null ? Steps : null };
        problems.AddRange(options.Validate().Select(p => $"{side} run: {p}"));
        return problems.Count == 0 ? (options, problems) : (null, problems);
    }

    /// <summary>Every problem of both sides and of the budget, each naming its side or key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Seconds is { } seconds && !(seconds >= 1 && seconds <= 600))
            problems.Add($"seconds {seconds.ToString(CultureInfo.InvariantCulture)} must be between 1 and 600");
        if (Seconds is null && Steps is < 1 or > 100_000) problems.Add($"steps {Steps} must be between 1 and 100,000");
        if (Samples is < 6 or > 10_000) problems.Add($"samples {Samples} must be between 6 and 10,000");
        // A mistake under both shows in both sides' options: say it once, about both.
        var left = OptionsOf("left").Problems.Select(p => p["left run: ".Length..]).ToList();
        var right = OptionsOf("right").Problems.Select(p => p["right run: ".Length..]).ToList();
        problems.AddRange(left.Intersect(right).Select(p => $"both runs: {p}"));
        problems.AddRange(left.Except(right).Select(p => $"left run: {p}"));
        problems.AddRange(right.Except(left).Select(p => $"right run: {p}"));
        return problems;
    }

    /// <summary>The heading of a side: its own title, else what its settings change, else "left"/"right".</summary>
    public string TitleOf(string side)
    {
        var title = side == "left" ? LeftTitle : RightTitle;
        if (!string.IsNullOrWhiteSpace(title)) return title;
        var own = side == "left" ? Left : Right;
        if (own.Count == 0) return side;
        // One change names itself by its value ("dcgan"), several by key and value.
        return own.Count == 1 && own.ContainsKey("model") ? own["model"]
            : string.Join(", ", own.Select(pair => $"{pair.Key} {pair.Value}"));
    }

    /// <summary>The budget in words, for the panel's heading.</summary>
    public string BudgetText => Seconds is { } s
        ? string.Create(CultureInfo.InvariantCulture, $"{s:0.#} s of training each")
        : string.Create(CultureInfo.InvariantCulture, $"{Steps:N0} steps each");

    // Values go back through the trainer's own binder, which knows each key's kind and allowed values.
    private static string ToYaml(IReadOnlyDictionary<string, string> settings)
    {
        var yaml = new StringBuilder();
        foreach (var (key, value) in settings)
            yaml.Append(key).Append(": \"").Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"\n");
        return yaml.ToString();
    }
}
