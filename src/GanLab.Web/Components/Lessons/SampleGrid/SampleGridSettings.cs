using GanLab.Core.Data;
using GanLab.Core.Models;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// The settings of a ```sample-grid block: whose samples over time to show. It is this browser's newest image run
/// (optionally of one model and dataset), the way ```gan-metrics finds it: a gan-trainer above on the same page, training
/// or paused or finished, is exactly such a run, so "train above, watch its samples here" needs no wiring. The grids
/// are the ones the runs database keeps for the run, and while it trains the new ones as they come.
/// </summary>
public sealed class SampleGridSettings
{
    /// <summary>The values <see cref="Run"/> allows.</summary>
    public static readonly IReadOnlyList<string> Runs = ["newest"];

    /// <summary>Which run: newest (the default) is the browser's most recently created run that the model and dataset filters let through.</summary>
    public string Run { get; set; } = "newest";

    /// <summary>Only runs of this zoo model count as "the newest run"; none takes any model.</summary>
    public string? Model { get; set; }

    /// <summary>Only runs on this dataset count as "the newest run"; none takes any dataset.</summary>
    public string? Dataset { get; set; }

    /// <summary>Whether real images of the run's dataset show beside the fakes from the start (the student can switch them off). Default true.</summary>
    public bool Real { get; set; } = true;

    /// <summary>What is wrong, each message starting with the words of its key so the error box points at its line.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!Runs.Contains(Run)) problems.Add($"run '{Run}' is unknown; allowed: {string.Join(", ", Runs)}");
        if (Model is not null && !GanZoo.Names.Contains(Model)) problems.Add($"model '{Model}' is unknown; allowed: {string.Join(", ", GanZoo.Names)}");
        if (Dataset is not null && !DatasetCatalog.Names.Contains(Dataset))
            problems.Add($"dataset '{Dataset}' is unknown; allowed: {string.Join(", ", DatasetCatalog.Names)}");
        return problems;
    }
}
