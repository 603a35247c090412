using GanLab.Core.Data;
using GanLab.Core.Models;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```gan-metrics block: which generator to measure. By default it is this browser's newest run
/// (optionally of one model and dataset) that is paused (its weights as they are when Measure is pressed) or finished
/// (its final checkpoint): a gan-trainer stopped with Stop, or a gan-compare that ended, on the same page is exactly
/// such a run, so "train above, then measure here" needs no wiring. A run still training is named with a hint to stop
/// it. A lesson can instead name a checkpoint shipped with the course (a file under content/checkpoints/, written by
/// `./ganlab train --out`), so every student measures the same generator. Measuring is queued (one at a time on the
/// server) and happens only when the student presses Measure.
/// </summary>
public sealed class MetricsSettings
{
    /// <summary>Folder under the lessons folder (content/) where course checkpoints live.</summary>
    public const string CheckpointFolder = "checkpoints";

    /// <summary>Only runs of this zoo model count as "the newest run"; none takes any model.</summary>
    public string? Model { get; set; }

    /// <summary>Only runs on this dataset count as "the newest run"; none takes any dataset.</summary>
    public string? Dataset { get; set; }

    /// <summary>A checkpoint file under content/checkpoints/ (e.g. dcgan-mnist-2000.ganlab) to measure instead of the student's newest run.</summary>
    public string? Checkpoint { get; set; }

    /// <summary>
    /// Generated images drawn, and as many real test images compared with them; none takes the dataset's default
    /// (as many as it holds out, at most 5,000: 2,000 for mnist). FID rises at small sizes, so the real-vs-real floor
    /// shown beside it is measured at the same size. Between 6 and 10,000.
    /// </summary>
    public int? Samples { get; set; }

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Model is not null && !GanZoo.Names.Contains(Model)) problems.Add($"model '{Model}' is unknown; allowed: {string.Join(", ", GanZoo.Names)}");
        if (Dataset is not null && !DatasetCatalog.Names.Contains(Dataset))
            problems.Add($"dataset '{Dataset}' is unknown; allowed: {string.Join(", ", DatasetCatalog.Names)}");
        if (Checkpoint is { } file)
        {
            if (Model is not null || Dataset is not null)
                problems.Add("checkpoint names one generator; model and dataset choose among the student's runs: give either, not both");
            if (Path.IsPathRooted(file) || file.Split('/', '\\').Any(part => part is ".." or "") || !file.EndsWith(".ganlab", StringComparison.Ordinal))
                problems.Add($"checkpoint '{file}' must be a .ganlab file named relative to content/{CheckpointFolder}/, without '..', e.g. dcgan-mnist.ganlab");
        }
        if (Samples is < 6 or > 10_000) problems.Add($"samples {Samples} must be between 6 and 10,000");
        return problems;
    }
}
