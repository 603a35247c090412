using GanLab.Web.Training;

namespace GanLab.Web.Lessons.Components;

/// <summary>
/// A lesson component that keeps something of its own across visits of the page (a trainer's run): the lesson body
/// tells it which block of which lesson it is. Implementations mark <see cref="Place"/> with [Parameter].
/// </summary>
public interface IPlacedLessonComponent
{
    TrainerPlace? Place { get; set; }
}
