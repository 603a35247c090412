using Markdig;

namespace GanLab.Web.Lessons.Markdown;

/// <summary>
/// The one Markdig pipeline for lessons. Building a pipeline is not thread-safe and not cheap,
/// so it is built once here; a built pipeline is safe to share between threads.
/// </summary>
public static class LessonMarkdown
{
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UseYamlFrontMatter()
        .UseMathematics()
        .UsePipeTables()
        .UseLessonTables()
        .UseAutoIdentifiers()
        .UseLessonComponents()
        .UseMeasuredValues()
        .Build();

    public static MarkdownPipelineBuilder UseMeasuredValues(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<MeasuredValueExtension>();
        return pipeline;
    }

    public static MarkdownPipelineBuilder UseLessonTables(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<LessonTableExtension>();
        return pipeline;
    }

    public static MarkdownPipelineBuilder UseLessonComponents(this MarkdownPipelineBuilder pipeline)
    {
        pipeline.Extensions.AddIfNotAlready<LessonComponentExtension>();
        return pipeline;
    }
}
