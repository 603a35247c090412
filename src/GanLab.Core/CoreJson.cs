using System.Text.Json.Serialization;
using GanLab.Core.Course;
using GanLab.Core.Evaluation;
using GanLab.Core.Training;

namespace GanLab.Core;

/// <summary>
/// The records Core writes into checkpoint metadata, serialised by generated code rather than reflection:
/// a trimmed, self-contained ganlab-cli (as carried to the GPU machine) has reflection-based JSON switched
/// off, and saving a checkpoint must work there too.
/// </summary>
[JsonSerializable(typeof(GanTrainingOptions))]
[JsonSerializable(typeof(ClassifierRecord))]
[JsonSerializable(typeof(Pretrained.PretrainedRecord))]
[JsonSerializable(typeof(LessonMeasurements))]
internal sealed partial class CoreJson : JsonSerializerContext
{
    /// <summary>For files people read and diff (a lesson's measurements).</summary>
    public static CoreJson Indented { get; } = new(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
