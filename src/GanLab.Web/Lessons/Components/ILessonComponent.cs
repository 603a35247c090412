namespace GanLab.Web.Lessons.Components;

/// <summary>
/// A component a lesson can embed with a fenced block. Its whole configuration is one settings
/// object bound from the block's YAML, so the lesson syntax and the component share one vocabulary.
/// Implementations mark <see cref="Settings"/> with [Parameter].
/// </summary>
public interface ILessonComponent<TSettings> where TSettings : class, new()
{
    TSettings Settings { get; set; }
}
