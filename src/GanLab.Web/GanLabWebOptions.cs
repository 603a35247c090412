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

    /// <summary>
    /// Seconds a tab whose connection dropped (without the browser saying goodbye) keeps its
    /// paused runs before they are freed. Blazor's default of 180 s would hold a vanished
    /// student's model in memory for three minutes; 30 s still covers a brief network blip.
    /// </summary>
    [Range(1, 3600)]
    public int DisconnectedTabSeconds { get; set; } = 30;
}
