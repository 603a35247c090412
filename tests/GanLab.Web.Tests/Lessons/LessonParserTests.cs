using GanLab.Core.Course;
using GanLab.Core.Training;
using GanLab.Web.Components.Lessons;
using GanLab.Web.Lessons;
using GanLab.Web.Lessons.Components;

namespace GanLab.Web.Tests.Lessons;

public class LessonParserTests
{
    private const string FrontMatter = """
        ---
        title: Two players
        summary: G against D.
        order: 3
        minutes: 12
        ---
        """;

    [Fact]
    public void Front_matter_is_read_into_the_outline_fields()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\nSome prose.\n");

        Assert.Equal("Two players", lesson.FrontMatter.Title);
        Assert.Equal("G against D.", lesson.FrontMatter.Summary);
        Assert.Equal(3, lesson.FrontMatter.Order);
        Assert.Equal(12, lesson.FrontMatter.Minutes);
        Assert.Empty(lesson.Problems);
    }

    [Fact]
    public void A_lesson_without_front_matter_reports_it_on_line_1()
    {
        var lesson = WebTestContext.ParseLesson("# Just a heading\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal(1, problem.Line);
        Assert.Contains("front matter", problem.Message);
    }

    [Fact]
    public void An_unknown_front_matter_key_names_its_line_and_the_allowed_keys()
    {
        var lesson = WebTestContext.ParseLesson("---\ntitle: T\nauthor: me\n---\nText.\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal("author", problem.Parameter);
        Assert.Equal(["title", "summary", "order", "minutes"], problem.Allowed);
    }

    [Fact]
    public void Prose_math_and_a_trainer_become_markup_then_a_component_then_markup()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + """

            The Discriminator outputs $D(x)$.

            $$
            V(D, G) = \mathbb{E}_x[\log D(x)]
            $$

            ```gan-trainer
            batch-size: 32
            learning_rate: 0.001
            seed: 7
            ```

            After the trainer.
            """);

        Assert.Collection(lesson.Segments,
            first =>
            {
                var prose = Assert.IsType<MarkupSegment>(first);
                Assert.Contains("""<span class="math">\(D(x)\)</span>""", prose.Html);
                Assert.Contains("""<div class="math">""", prose.Html);
                Assert.Contains(@"\mathbb{E}_x[\log D(x)]", prose.Html);
            },
            second =>
            {
                var component = Assert.IsType<ComponentSegment>(second);
                Assert.Equal(typeof(GanTrainerPanel), component.ComponentType);
                Assert.Equal(13, component.Line);
                var settings = Assert.IsType<GanTrainerSettings>(component.Settings).Training;
                Assert.Equal(32, settings.BatchSize);
                Assert.Equal(0.001, settings.LearningRate);
                Assert.Equal(7, settings.Seed);
                Assert.Equal(new GanTrainingOptions().RealLabel, settings.RealLabel);
            },
            third => Assert.Contains("After the trainer.", Assert.IsType<MarkupSegment>(third).Html));
        Assert.Empty(lesson.Problems);
    }

    [Fact]
    public void A_code_block_in_a_language_stays_code()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```python\nloss_d.backward()\n```\n");

        var prose = Assert.IsType<MarkupSegment>(Assert.Single(lesson.Segments));
        Assert.Contains("<pre><code class=\"language-python\">loss_d.backward()", prose.Html);
    }

    [Fact]
    public void An_unknown_component_is_reported_in_place_with_the_known_names()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\nBefore.\n\n```gan-trainr\nseed: 1\n```\n\nAfter.\n");

        Assert.Collection(lesson.Segments,
            before => Assert.Contains("Before.", Assert.IsType<MarkupSegment>(before).Html),
            error =>
            {
                var problem = Assert.Single(Assert.IsType<ProblemSegment>(error).Problems);
                Assert.Equal(9, problem.Line);
                Assert.Contains("unknown component 'gan-trainr'", problem.Message);
                Assert.Contains("gan-trainer", problem.Allowed!);
            },
            after => Assert.Contains("After.", Assert.IsType<MarkupSegment>(after).Html));
    }

    [Fact]
    public void An_unknown_parameter_names_its_line_and_every_allowed_parameter()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```gan-trainer\nseed: 1\nbatchsize: 64\n```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal(9, problem.Line);
        Assert.Equal("batchsize", problem.Parameter);
        Assert.Contains("batch-size", problem.Allowed!);
        Assert.Contains("learning-rate", problem.Allowed!);
        Assert.Contains("real-label", problem.Allowed!);
    }

    [Fact]
    public void A_value_of_the_wrong_type_names_the_parameter_and_what_it_takes()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```gan-trainer\nbatch-size: lots\n```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal(8, problem.Line);
        Assert.Equal("batch-size", problem.Parameter);
        Assert.Contains("'lots'", problem.Message);
        Assert.Equal(["a whole number (default 64)"], problem.Allowed);
    }

    [Fact]
    public void An_out_of_range_value_points_at_its_own_line_with_the_valid_range()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```gan-trainer\nseed: 1\nlearning-rate: 5\n```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal(9, problem.Line);
        Assert.Equal("learning-rate", problem.Parameter);
        Assert.Contains("must be in (0, 1]", problem.Message);
    }

    [Fact]
    public void An_unknown_model_lists_the_allowed_models()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```gan-trainer\nmodel: stylegan\n```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Equal("model", problem.Parameter);
        Assert.Contains("allowed: mlp-gan", problem.Message);
    }

    [Fact]
    public void A_component_inside_a_list_is_reported_rather_than_dropped()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n- item\n\n  ```gan-trainer\n  seed: 1\n  ```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.Contains("inside a list", problem.Message);
    }

    [Fact]
    public void Invalid_yaml_is_reported_with_a_line_in_the_lesson()
    {
        var lesson = WebTestContext.ParseLesson(FrontMatter + "\n```gan-trainer\nseed: [1, 2\n```\n");

        var problem = Assert.Single(lesson.Problems);
        Assert.InRange(problem.Line, 8, 9);
        Assert.Contains("YAML", problem.Message);
    }

    private static LessonMeasurements Measured(params (string Name, double Value, string Text)[] values) =>
        new("05-test", DateTimeOffset.Parse("2026-11-23T01:00:00Z"), "2 cores", "./ganlab claims --lesson 05", "abc1234",
            values.ToDictionary(v => v.Name, v => new MeasuredValue(v.Value, v.Text, $"how {v.Name} was measured")));

    [Fact]
    public void A_measured_value_in_prose_shows_the_recorded_text_with_how_it_was_measured()
    {
        var lesson = new LessonParser(LessonComponentRegistry.CreateDefault()).Parse("test", "content/05-test.md",
            FrontMatter + "\nAn untrained D says {{untrained-d}} to fakes; in math $\\frac{{a}}{b}$ and `{{code}}` stay as written.\n",
            Measured(("untrained-d", 0.50012, "0.500")));

        Assert.Empty(lesson.Problems);
        var html = Assert.Single(lesson.Segments.OfType<MarkupSegment>()).Html;
        Assert.Contains("<span class=\"measured\" data-measured=\"untrained-d\" title=\"how untrained-d was measured\">0.500</span>", html);
        Assert.Contains("{{a}}", html);
        Assert.Contains("<code>{{code}}</code>", html);
        Assert.NotNull(lesson.Measurements);
    }

    [Fact]
    public void A_quoted_value_that_was_not_measured_is_a_problem_naming_it_and_the_command()
    {
        var parser = new LessonParser(LessonComponentRegistry.CreateDefault());
        var text = FrontMatter + "\nFirst line.\n\nD(x) was {{d-of-x}} and D(G(z)) {{d-of-gz}}.\n";

        var partly = parser.Parse("test", "content/05-test.md", text, Measured(("d-of-x", 0.8, "0.80")));
        var problem = Assert.Single(partly.Problems);
        Assert.Equal(9, problem.Line); // front matter on lines 1–6, "First line." on 7, a blank line
        Assert.Contains("'d-of-gz', which 05-test.measured.json does not hold; measure them with ./ganlab claims --lesson 05", problem.Message);
        Assert.Contains("data-testid=\"measured-missing\">{{d-of-gz}}</span>", Assert.Single(partly.Segments.OfType<MarkupSegment>()).Html);

        var none = parser.Parse("test", "content/05-test.md", text);
        Assert.Equal(2, none.Problems.Count());
        Assert.All(none.Problems, p => Assert.Contains("no measurements file (05-test.measured.json)", p.Message));
    }

    [Fact]
    public void A_measured_value_in_a_tables_heading_labels_its_cells_with_the_recorded_text()
    {
        var lesson = new LessonParser(LessonComponentRegistry.CreateDefault()).Parse("test", "content/05-test.md",
            FrontMatter + "\n| | after {{steps}} steps | FID | score |\n|---|---|---|---|\n| MLP GAN | 0.41 | 45.2 | 7.1 |\n",
            Measured(("steps", 3000, "3,000")));

        var html = Assert.Single(lesson.Segments.OfType<MarkupSegment>()).Html;
        Assert.Contains("<td data-label=\"after 3,000 steps\">0.41</td>", html);
        Assert.Contains("<table class=\"stack-on-phone\">", html);
    }
}
