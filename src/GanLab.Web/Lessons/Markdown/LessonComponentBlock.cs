using System.Text.RegularExpressions;
using Markdig.Syntax;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// A fenced block that embeds a live component: ```gan-trainer followed by YAML settings.
/// It is parsed by Markdig's own fenced-code parser and only re-labelled afterwards
/// (<see cref="LessonComponentExtension"/>), so the fence syntax stays exactly CommonMark's.
/// </summary>
public sealed partial class LessonComponentBlock : LeafBlock
{
    public LessonComponentBlock(string name, string settingsYaml, int fenceLine)
        : base(parser: null)
    {
        Name = name;
        SettingsYaml = settingsYaml;
        Line = fenceLine;
    }

    /// <summary>The fence's info string, e.g. "gan-trainer".</summary>
    public string Name { get; }

    /// <summary>The block body: YAML settings for the component (may be empty).</summary>
    public string SettingsYaml { get; }

    /// <summary>1-based line of the opening fence in the lesson file, for error messages.</summary>
    public int FenceLineNumber => Line + 1;

    /// <summary>1-based line of the first settings line (the line after the fence).</summary>
    public int FirstSettingsLineNumber => Line + 2;

    /// <summary>
    /// A component name is kebab-case with at least one hyphen (gan-trainer, latent-walk).
    /// Code languages (python, csharp, text) have no hyphen, so they stay ordinary code blocks;
    /// a misspelt component name (gan-trainr) still counts as a component and gets an error box
    /// instead of silently showing as code.
    /// </summary>
    public static bool IsComponentName(string? info) => info is not null && ComponentName().IsMatch(info);

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)+$")]
    private static partial Regex ComponentName();
}
