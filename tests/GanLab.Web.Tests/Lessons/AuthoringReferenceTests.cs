using Bunit;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Components.Pages;
using GanLab.Web.Interop;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;
using GanLab.Web.Tests.Components;
using Microsoft.Extensions.DependencyInjection;

namespace GanLab.Web.Tests.Lessons;

/// <summary>
/// The authoring reference (/authoring) is generated from the registry and the settings classes,
/// and its examples are tests: each parses without problems and renders its live component.
/// </summary>
public class AuthoringReferenceTests : WebTestContext
{
    private static readonly LessonComponentRegistry Registry = LessonComponentRegistry.CreateDefault();

    public static TheoryData<string> ComponentNames() => new(Registry.Names);

    public AuthoringReferenceTests()
    {
        JSInterop.SetupModule(KatexMath.ModulePath).SetupVoid("typeset", _ => true).SetVoidResult();
        JSInterop.SetupModule(CodeHighlighter.ModulePath).SetupVoid("highlight", _ => true).SetVoidResult();
        var charts = JSInterop.SetupModule(PlotlyCharts.ModulePath);
        charts.SetupVoid("newPlot", _ => true).SetVoidResult();
        charts.SetupVoid("syncCharts", _ => true).SetVoidResult();
        // The toy components draw their static curves (p_data, the generator's losses) at once.
        charts.SetupVoid("drawCurves", _ => true).SetVoidResult();
    }

    private static LessonComponentDoc Doc(string name) => LessonReference.Components(Registry).Single(doc => doc.Name == name);

    [Theory]
    [MemberData(nameof(ComponentNames))]
    public void The_example_of_each_component_parses_without_problems_and_renders_it(string name)
    {
        var lesson = WebTestContext.ParseLesson(Authoring.ExampleLesson(Doc(name)));

        Assert.Empty(lesson.Problems.Select(problem => problem.ToString()));
        var segment = Assert.IsType<ComponentSegment>(Assert.Single(lesson.Segments));
        Assert.Equal(name, segment.Name);

        var body = Render<LessonBody>(parameters => parameters.Add(p => p.Lesson, lesson));
        Assert.Empty(body.FindAll("[data-testid=lesson-error]"));
        Assert.NotEmpty(body.FindAll($"[data-testid={name}]"));
    }

    [Theory]
    [MemberData(nameof(ComponentNames))]
    public void Every_parameter_is_listed_with_a_description_from_its_doc_comment(string name)
    {
        Registry.TryGet(name, out var descriptor);
        var doc = Doc(name);

        Assert.Equal(descriptor!.Binder.ParameterNames, doc.Parameters.Select(parameter => parameter.Name));
        Assert.All(doc.Parameters, parameter => Assert.False(string.IsNullOrWhiteSpace(parameter.Description), $"{name}: {parameter.Name} has no doc comment"));
        Assert.False(string.IsNullOrWhiteSpace(doc.Summary));
    }

    [Fact]
    public void Allowed_values_come_from_the_lists_validation_uses_and_from_range_attributes()
    {
        var trainer = Doc("gan-trainer").Parameters.ToDictionary(parameter => parameter.Name);
        Assert.Equal(GanLab.Core.Models.GanZoo.Names, trainer["model"].Allowed);
        Assert.Equal("text", trainer["loss"].Kind);
        Assert.Equal("non-saturating", trainer["loss"].Default);
        Assert.Contains("Adam's step size", trainer["learning-rate"].Description);

        var explorer = Doc("conv-transpose").Parameters.ToDictionary(parameter => parameter.Name);
        Assert.Equal(["1 to 4"], explorer["stride"].Allowed);
        Assert.Equal("a matrix of numbers", explorer["input"].Kind);
        Assert.Equal("[[0, 1], [2, 3]]", explorer["input"].Default);
    }

    [Fact]
    public void Front_matter_fields_are_documented()
    {
        var fields = LessonReference.FrontMatter();

        Assert.Equal(["title", "summary", "order", "minutes"], fields.Select(field => field.Name));
        Assert.All(fields, field => Assert.False(string.IsNullOrWhiteSpace(field.Description)));
    }

    [Fact]
    public void The_complete_lesson_on_the_page_parses_without_problems()
    {
        var lesson = WebTestContext.ParseLesson(Authoring.MinimalLesson);

        Assert.Empty(lesson.Problems.Select(problem => problem.ToString()));
        Assert.Equal(["conv-transpose"], lesson.ComponentNames);
    }

    [Fact]
    public void The_page_lists_every_component_with_its_parameters_and_renders_its_example()
    {
        var page = Render<Authoring>();

        var sections = page.FindAll("[data-testid=reference-component]");
        Assert.Equal(Registry.Names, sections.Select(section => section.GetAttribute("data-component")));
        foreach (var section in sections)
        {
            var name = section.GetAttribute("data-component")!;
            Registry.TryGet(name, out var descriptor);
            Assert.Equal(descriptor!.Binder.ParameterNames,
                section.QuerySelectorAll("[data-testid=reference-parameter]").Select(row => row.GetAttribute("data-parameter")));
            Assert.Equal(Doc(name).ExampleBlock, section.QuerySelector("[data-testid=reference-example-source]")!.TextContent);
            Assert.NotNull(section.QuerySelector($"[data-testid=reference-example] [data-testid={name}]"));
            Assert.Null(section.QuerySelector("[data-testid=lesson-error]"));
        }
        Assert.Equal(4, page.FindAll("[data-testid=reference-front-matter] [data-testid=reference-parameter]").Count);
    }

    [Theory]
    [MemberData(nameof(ComponentNames))]
    public void On_a_phone_each_parameter_is_a_card_whose_cells_are_labelled_with_their_columns(string name)
    {
        var table = Render<ParameterTable>(parameters => parameters.Add(p => p.Parameters, Doc(name).Parameters));

        StackedTables.AssertLabelled(table.Find("table"));
    }
}
