using System.ComponentModel.DataAnnotations;

namespace GanLab.Web;

/// <summary>The web app's settings, bound from the "GanLab" configuration section.</summary>
public sealed class GanLabWebOptions
{
    public const string Section = "GanLab";

    /// <summary>The repository root (the folder holding GanLab.sln); found by walking up when not set.</summary>
    [Required]
    public string Root { get; set; } = "";

    /// <summary>The folder of lesson files; defaults to Root/content.</summary>
    [Required]
    public string Content { get; set; } = "";

    /// <summary>
    /// How many training runs may hold a model at once across all users. Each run holds native
    /// memory and a training thread; past this the Train button says the server is busy.
    /// </summary>
    [Range(1, 1024)]
    public int MaxLiveRuns { get; set; } = 8;
}
