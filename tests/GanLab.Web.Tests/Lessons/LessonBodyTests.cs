using Bunit;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Interop;

namespace GanLab.Web.Tests.Lessons;

/// <summary>The lesson body is a render tree: live components are real components among the prose.</summary>
public class LessonBodyTests : WebTestContext
{
    private const string Markdown = """
        ---
        title: Body
        ---
        Prose about the **Generator** and $D(G(z))$.

        ```gan-trainer
        seed: 3
        ```

        ```gan-sampler
        seed: 3
        ```

        ```gan-trainer
        real-label: 2
        ```

        Closing prose.
        """;

    private readonly JSRuntimeInvocationHandler _typeset;
    private readonly JSRuntimeInvocationHandler _highlight;

    public LessonBodyTests()
    {
        _typeset = JSInterop.SetupModule(KatexMath.ModulePath).SetupVoid("typeset", _ => true).SetVoidResult();
        _highlight = JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
        var charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        // A trainer whose block was edited is replaced, and the old one clears its charts.
        charts.SetupVoid("purge", _ => true).SetVoidResult();
    }

    [Fact]
    public void Prose_components_and_error_boxes_render_in_page_order()
    {
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, ParseLesson(Markdown)));

        var trainer = Assert.Single(body.FindComponents<GanTrainerPanel>());
        Assert.Equal(3, trainer.Instance.Settings.Training.Seed);

        Assert.Contains("Prose about the", body.Find("article.lesson > p").TextContent);
        Assert.Equal(@"\(D(G(z))\)", body.Find("span.math").TextContent);
        Assert.Contains("Closing prose.", body.Markup);

        var errors = body.FindAll("[data-testid=lesson-error]");
        Assert.Equal(2, errors.Count);
        Assert.Contains("Line 10", errors[0].TextContent);
        Assert.Contains("unknown component 'gan-sampler'", errors[0].TextContent);
        Assert.Contains($"Allowed: {AllowedComponentNames}.", errors[0].TextContent);
        Assert.Contains("Line 15, parameter 'real-label'", errors[1].TextContent);
        Assert.Contains("real label 2 must be in (0, 1]", errors[1].TextContent);

        // Error boxes sit where their blocks were: after the trainer, before the closing prose.
        var markup = body.Markup;
        Assert.True(markup.IndexOf("data-testid=\"gan-trainer\"", StringComparison.Ordinal) < markup.IndexOf("gan-sampler", StringComparison.Ordinal));
        Assert.True(markup.IndexOf("gan-sampler", StringComparison.Ordinal) < markup.IndexOf("Closing prose.", StringComparison.Ordinal));
    }

    [Fact]
    public void Math_is_typeset_and_code_highlighted_once_after_the_lesson_renders()
    {
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, ParseLesson(Markdown)));
        // bUnit writes an element's reference id into the markup of the render that captured it only.
        var article = body.Find("article.lesson").GetAttribute("blazor:elementReference");
        body.Render();

        var typeset = _typeset.VerifyInvoke("typeset", calledTimes: 1);
        Assert.Equal(article, ((Microsoft.AspNetCore.Components.ElementReference)typeset[0].Arguments[0]!).Id);
        var highlight = _highlight.VerifyInvoke("highlight", calledTimes: 1);
        Assert.Equal(article, ((Microsoft.AspNetCore.Components.ElementReference)highlight[0].Arguments[0]!).Id);
    }

    [Fact]
    public void A_code_fence_with_a_language_is_left_for_the_highlighter()
    {
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, ParseLesson("---\ntitle: Code\n---\n```python\nloss_d.backward()\n```\n")));

        Assert.Equal("language-python", body.Find("pre > code").ClassName);
    }

    [Fact]
    public void An_edited_lesson_keeps_the_components_whose_blocks_are_unchanged()
    {
        const string before = """
            ---
            title: Edit
            ---
            Intro.

            ```conv-transpose
            stride: 2
            ```

            ```gan-trainer
            seed: 3
            ```
            """;
        // A paragraph and a new block above both, the explorer's block untouched, the trainer's edited.
        const string after = """
            ---
            title: Edit
            ---
            A new paragraph.

            ```conv-transpose
            stride: 1
            ```

            Intro.

            ```conv-transpose
            stride: 2
            ```

            ```gan-trainer
            seed: 4
            ```
            """;
        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, ParseLesson(before)));
        var explorer = body.FindComponent<ConvTransposeExplorer>().Instance;
        var trainer = body.FindComponent<GanTrainerPanel>().Instance;

        body.Render(parameters => parameters.Add(p => p.Lesson, ParseLesson(after)));

        var explorers = body.FindComponents<ConvTransposeExplorer>();
        Assert.Equal(2, explorers.Count);
        Assert.Same(explorer, explorers[1].Instance);
        Assert.NotSame(trainer, body.FindComponent<GanTrainerPanel>().Instance);
        Assert.Equal(4, body.FindComponent<GanTrainerPanel>().Instance.Settings.Training.Seed);
        Assert.Contains("A new paragraph.", body.Markup);
    }
}
