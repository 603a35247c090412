using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.JSInterop;

namespace GanLab.Web.Components.Lessons;

/// <summary>
/// Renders a parsed lesson into Blazor's render tree: prose segments as markup frames, component
/// segments as real components with their bound settings, problems as error boxes in place.
/// Written in C# because the tree is built from data, one region per segment.
/// </summary>
public sealed class LessonBody : ComponentBase, IAsyncDisposable
{
    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Parameter, EditorRequired] public Lesson Lesson { get; set; } = default!;

    private ElementReference _article;
    private KatexMath? _math;
    private Lesson? _typeset;

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "article");
        builder.AddAttribute(1, "class", "lesson");
        builder.AddAttribute(2, "data-testid", "lesson-body");
        builder.AddElementReferenceCapture(3, element => _article = element);
        for (var i = 0; i < Lesson.Segments.Count; i++)
        {
            // A region per segment keeps sequence numbers stable inside the loop; the key makes a
            // component keep its state (a training run) when the lesson is re-parsed after an edit.
            builder.OpenRegion(4);
            switch (Lesson.Segments[i])
            {
                case MarkupSegment prose:
                    builder.AddMarkupContent(0, prose.Html);
                    break;
                case ComponentSegment component:
                    builder.OpenComponent(1, component.ComponentType);
                    builder.AddAttribute(2, "Settings", component.Settings);
                    builder.SetKey((Lesson.Slug, i, component.Settings));
                    builder.CloseComponent();
                    break;
                case ProblemSegment problem:
                    builder.OpenComponent<LessonErrorBox>(3);
                    builder.AddComponentParameter(4, nameof(LessonErrorBox.Title), $"This {problem.Name} block cannot be shown");
                    builder.AddComponentParameter(5, nameof(LessonErrorBox.Problems), problem.Problems);
                    builder.CloseComponent();
                    break;
            }
            builder.CloseRegion();
        }
        builder.CloseElement();
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Math is typeset in the browser after each new lesson is on the page (not on every
        // render: the markup frames of an unchanged lesson keep their typeset DOM).
        if (ReferenceEquals(_typeset, Lesson)) return;
        _typeset = Lesson;
        _math ??= new KatexMath(JS);
        await _math.TypesetAsync(_article);
    }

    public async ValueTask DisposeAsync()
    {
        if (_math is not null) await _math.DisposeAsync();
    }
}
