using GanLab.Core.Training;

namespace GanLab.Web.Training;

/// <summary>
/// Which trainer a run belongs to, as a reloaded page can name it again: the page, and the trainer on it. Together
/// with the browser id it is how a page opened again finds the run its trainer had (<see cref="RunReclaim"/>).
/// A lesson's trainer is its block: the lesson's slug, the block's name and settings text, and which of the identical
/// blocks it is (the key that keeps a block's component across edits, <c>LessonBody.BlockKey</c>), so adding prose
/// above a trainer keeps its run, and editing its settings makes it another trainer. The /trainer page's trainer is
/// its link: the settings the address asked for.
/// </summary>
public sealed record TrainerPlace(string Page, string Trainer)
{
    public static TrainerPlace LessonBlock(string slug, string blockName, string settingsYaml, int occurrence) =>
        new($"lessons/{slug}", $"{blockName}#{occurrence}\n{settingsYaml}");

    /// <summary>Options as the link writes them: two addresses that read as the same settings are the same trainer.</summary>
    public static TrainerPlace TrainerLink(GanTrainingOptions options) => new("trainer", Training.TrainerLink.ToQuery(options));

    public override string ToString() => $"{Page} {Trainer.Split('\n')[0]}";
}
