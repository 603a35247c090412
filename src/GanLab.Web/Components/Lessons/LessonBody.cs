using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Training;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// Renders a parsed lesson into Blazor's render tree: prose segments as markup frames, component
/// segments as real components with their bound settings, problems as error boxes in place.
/// Written in C# because the tree is built from data.
/// </summary>
public sealed class LessonBody : ComponentBase, IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public Lesson Lesson { get; set; } = default!;

    private ElementReference _article;
    private KatexMath? _math;
    private CodeHighlighter? _code;
    private Lesson? _typeset;

    /// <summary>
    /// Identifies a component block across edits of the lesson: its name, its settings text, and
    /// which of the identical blocks it is. A block whose text is unchanged keeps its component
    /// (and a training run in it) even when text is added above it; a block whose settings were
    /// edited gets a new component, as its settings are only read when it starts.
    /// </summary>
    public sealed record BlockKey(string Name, string SettingsYaml, int Occurrence);

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "article");
        builder.AddAttribute(1, "class", "lesson");
        builder.AddAttribute(2, "data-testid", "lesson-body");
        builder.AddElementReferenceCapture(3, element => _article = element);
        var occurrences = new Dictionary<(string, string), int>();
        // No region per segment: keyed components must be siblings in one range for Blazor's diff
        // to match them when segments are added or removed before them (as Razor's own loops do).
        foreach (var segment in Lesson.Segments)
        {
            switch (segment)
            {
                case MarkupSegment prose:
                    builder.AddMarkupContent(4, prose.Html);
                    break;
                case ComponentSegment component:
                    var occurrence = occurrences.GetValueOrDefault((component.Name, component.SettingsYaml));
                    occurrences[(component.Name, component.SettingsYaml)] = occurrence + 1;
                    builder.OpenComponent(5, component.ComponentType);
                    builder.SetKey(new BlockKey(component.Name, component.SettingsYaml, occurrence));
                    builder.AddAttribute(6, "Settings", component.Settings);
                    if (component.ComponentType.IsAssignableTo(typeof(IPlacedLessonComponent)))
                        builder.AddAttribute(7, nameof(IPlacedLessonComponent.Place),
                            TrainerPlace.LessonBlock(Lesson.Slug, component.Name, component.SettingsYaml, occurrence));
                    builder.CloseComponent();
                    break;
                case ProblemSegment problem:
                    builder.OpenComponent<LessonErrorBox>(8);
                    builder.AddComponentParameter(9, nameof(LessonErrorBox.Title), $"This {problem.Name} block cannot be shown");
                    builder.AddComponentParameter(10, nameof(LessonErrorBox.Problems), problem.Problems);
                    builder.CloseComponent();
                    break;
            }
        }
        builder.CloseElement();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Math is typeset and code highlighted in the browser after each new version of the lesson
        // is on the page (not on every render: unchanged markup keeps its typeset DOM, and both
        // passes skip elements they have already done).
        if (ReferenceEquals(_typeset, Lesson)) return;
        _typeset = Lesson;
        _math ??= new KatexMath(JS);
        _code ??= new CodeHighlighter(JS);
        await _math.TypesetAsync(_article);
        await _code.HighlightAsync(_article);
    }

    public async ValueTask DisposeAsync()
    {
        if (_math is not null) await _math.DisposeAsync();
        if (_code is not null) await _code.DisposeAsync();
    }
}
