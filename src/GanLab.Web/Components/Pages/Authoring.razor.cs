using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using Microsoft.AspNetCore.Components;

namespace GanLab.Web.Components.Pages;

/// <summary>
/// The authoring reference at /authoring. Its tables come from <see cref="LessonReference"/>
/// (settings classes and their doc comments) and each example is parsed by the lesson parser and
/// rendered live, so the page shows exactly what a lesson would.
/// </summary>
public sealed partial class Authoring : ComponentBase
{
    /// <summary>A lesson that uses every part of the syntax once; the tests check that it parses without problems.</summary>
    public const string MinimalLesson = """
        ---
        title: Upsampling in the Generator
        summary: How a DCGAN Generator grows a 4×4 map into a 64×64 image.
        order: 2
        minutes: 15
        ---

        The Generator upsamples with a **transposed convolution**: its output is
        $(i - 1) \cdot s - 2p + k$ cells wide.

        ```python
        layer = nn.ConvTranspose2d(128, 64, kernel_size=4, stride=2, padding=1)
        ```

        ```conv-transpose
        input: [[1, 2], [3, 4]]
        kernel: [[1, 1], [1, 1]]
        stride: 2
        ```
        """;

    [Inject] private LessonComponentRegistry Registry { get; set; } = default!;
    [Inject] private LessonParser Parser { get; set; } = default!;

    private IReadOnlyList<LessonParameterDoc> _frontMatter = [];
    private IReadOnlyList<LessonComponentDoc> _components = [];
    private Dictionary<string, Lesson> _examples = [];

    protected override void OnInitialized()
    {
        _frontMatter = LessonReference.FrontMatter();
        _components = LessonReference.Components(Registry);
        _examples = _components.ToDictionary(
            component => component.Name,
            component => Parser.Parse($"example-{component.Name}", "authoring", ExampleLesson(component)));
    }

    /// <summary>The component's example block as the only content of a lesson, as the tests parse it too.</summary>
    public static string ExampleLesson(LessonComponentDoc component) =>
        $"---\ntitle: Example of {component.Name}\n---\n{component.ExampleBlock}";
}
