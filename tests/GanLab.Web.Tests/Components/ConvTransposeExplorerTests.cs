using AngleSharp.Dom;
using Bunit;
using GanLab.Web.Components.Lessons;

namespace GanLab.Web.Tests.Components;

/// <summary>The conv-transpose explorer: what it shows for its settings and how it follows the student's edits.</summary>
public class ConvTransposeExplorerTests : BunitContext
{
    private IRenderedComponent<ConvTransposeExplorer> RenderExplorer(ConvTransposeSettings? settings = null) =>
        Render<ConvTransposeExplorer>(parameters => parameters.Add(p => p.Settings, settings ?? new ConvTransposeSettings()));

    private static string[][] Grid(IRenderedComponent<ConvTransposeExplorer> explorer, string testId) =>
        explorer.Find($"[data-testid={testId}]").QuerySelectorAll("tr")
            .Select(row => row.QuerySelectorAll("td").Select(cell => cell.TextContent.Trim()).ToArray())
            .ToArray();

    private static IElement Field(IRenderedComponent<ConvTransposeExplorer> explorer, string testId, int row = -1, int column = -1) =>
        row < 0 ? explorer.Find($"[data-testid={testId}]") : explorer.Find($"[data-testid={testId}][data-row='{row}'][data-column='{column}']");

    [Fact]
    public void The_default_is_seed_001s_example_two_by_two_to_three_by_three()
    {
        var explorer = RenderExplorer();

        Assert.Equal([["0", "0", "1"], ["0", "4", "6"], ["4", "12", "9"]], Grid(explorer, "ct-output"));
        Assert.Equal("rows: (2 − 1)·1 − 2·0 + 2 + 0 = 3", explorer.Find("[data-testid=ct-formula-rows]").TextContent.Trim());
        Assert.Equal("columns: (2 − 1)·1 − 2·0 + 2 + 0 = 3", explorer.Find("[data-testid=ct-formula-columns]").TextContent.Trim());
        Assert.Equal(["0", "1", "2", "3"], explorer.FindAll("[data-testid=ct-input-cell]").Select(cell => cell.GetAttribute("value")));
    }

    [Fact]
    public void Each_input_cell_shows_its_scaled_kernel_in_place()
    {
        var explorer = RenderExplorer(new ConvTransposeSettings { Input = [[1, 2], [3, 4]], Kernel = [[1, 1], [1, 1]], Stride = 2 });

        var contributions = explorer.FindAll("[data-testid=ct-contribution]");
        Assert.Equal(4, contributions.Count);
        // Input cell (1, 0) holds 3: a 2×2 block of 3s at canvas row 2, column 0 of a 4×4 canvas.
        var third = contributions[2].QuerySelectorAll("tr").Select(row => row.QuerySelectorAll("td").Select(cell => cell.TextContent).ToArray()).ToArray();
        Assert.Equal([["", "", "", ""], ["", "", "", ""], ["3", "3", "", ""], ["3", "3", "", ""]], third);
        Assert.Contains("3 × w at (2, 0)", contributions[2].TextContent);
        Assert.Equal([["1", "1", "2", "2"], ["1", "1", "2", "2"], ["3", "3", "4", "4"], ["3", "3", "4", "4"]], Grid(explorer, "ct-output"));
    }

    [Fact]
    public void Selecting_a_contribution_outlines_its_kernel_on_the_sum()
    {
        var explorer = RenderExplorer();

        explorer.FindAll("[data-testid=ct-contribution]")[3].Click();

        Assert.Equal("true", explorer.FindAll("[data-testid=ct-contribution]")[3].GetAttribute("aria-pressed"));
        var covered = explorer.Find("[data-testid=ct-canvas]").QuerySelectorAll("tr")
            .SelectMany((row, r) => row.QuerySelectorAll("td").Select((cell, c) => (r, c, cell.ClassList.Contains("is-covered"))))
            .Where(cell => cell.Item3).Select(cell => (cell.r, cell.c));
        Assert.Equal([(1, 1), (1, 2), (2, 1), (2, 2)], covered);
    }

    [Fact]
    public void Editing_a_value_recomputes_the_output()
    {
        var explorer = RenderExplorer();

        Field(explorer, "ct-input-cell", 0, 0).Change("10");

        // 10 × kernel [[0, 1], [2, 3]] now sits at the top left, on top of the rest.
        Assert.Equal([["0", "10", "1"], ["20", "34", "6"], ["4", "12", "9"]], Grid(explorer, "ct-output"));
    }

    [Fact]
    public void Stride_padding_and_output_padding_change_the_size_and_the_formula_says_why()
    {
        var explorer = RenderExplorer(new ConvTransposeSettings { Input = [[1, 1, 1], [1, 1, 1], [1, 1, 1]], Kernel = [[1, 1, 1], [1, 1, 1], [1, 1, 1]] });

        Field(explorer, "ct-stride").Change("2");
        Field(explorer, "ct-padding").Change("1");
        Field(explorer, "ct-output-padding").Change("1");

        Assert.Equal("rows: (3 − 1)·2 − 2·1 + 3 + 1 = 6", explorer.Find("[data-testid=ct-formula-rows]").TextContent.Trim());
        Assert.Equal(6, Grid(explorer, "ct-output").Length);
        Assert.All(Grid(explorer, "ct-output"), row => Assert.Equal(6, row.Length));
        // The canvas keeps the cropped border, marked, so the student sees what padding removed.
        var canvas = explorer.Find("[data-testid=ct-canvas]");
        Assert.Equal(7, canvas.QuerySelectorAll("tr").Length);
        Assert.True(canvas.QuerySelectorAll("tr")[0].QuerySelectorAll("td").All(cell => cell.ClassList.Contains("is-cropped")));
    }

    [Fact]
    public void Output_padding_stays_below_the_stride()
    {
        var explorer = RenderExplorer(new ConvTransposeSettings { Stride = 3, OutputPadding = 2 });

        Field(explorer, "ct-stride").Change("2");

        Assert.Equal("1", Field(explorer, "ct-output-padding").GetAttribute("value"));
        Assert.Equal("1", Field(explorer, "ct-output-padding").GetAttribute("max"));
    }

    [Fact]
    public void Resizing_keeps_the_values_that_still_fit()
    {
        var explorer = RenderExplorer();

        Field(explorer, "ct-input-columns").Change("3");

        Assert.Equal(["0", "1", "1", "2", "3", "1"], explorer.FindAll("[data-testid=ct-input-cell]").Select(cell => cell.GetAttribute("value")));
        Assert.Equal(4, Grid(explorer, "ct-output")[0].Length);
    }

    [Fact]
    public void Too_much_padding_says_so_instead_of_an_empty_grid()
    {
        var explorer = RenderExplorer(new ConvTransposeSettings { Input = [[1]], Kernel = [[1, 1], [1, 1]] });

        Field(explorer, "ct-padding").Change("1");

        Assert.Empty(explorer.FindAll("[data-testid=ct-output]"));
        Assert.Contains("crops everything", explorer.Find("[data-testid=ct-no-output]").TextContent);
    }

    [Fact]
    public void Reset_returns_to_the_blocks_settings()
    {
        var explorer = RenderExplorer();
        Field(explorer, "ct-input-cell", 1, 1).Change("-2");
        Field(explorer, "ct-stride").Change("3");

        explorer.Find("[data-testid=ct-reset]").Click();

        Assert.Equal([["0", "0", "1"], ["0", "4", "6"], ["4", "12", "9"]], Grid(explorer, "ct-output"));
        Assert.Equal("1", Field(explorer, "ct-stride").GetAttribute("value"));
    }

    [Fact]
    public void Equal_settings_from_a_re_read_lesson_keep_the_students_edits()
    {
        var explorer = RenderExplorer();
        Field(explorer, "ct-input-cell", 0, 0).Change("10");

        explorer.Render(parameters => parameters.Add(p => p.Settings, new ConvTransposeSettings()));

        Assert.Equal("10", Field(explorer, "ct-input-cell", 0, 0).GetAttribute("value"));
    }

    [Fact]
    public void Negative_numbers_show_with_a_minus_sign_and_no_negative_zero()
    {
        Assert.Equal("−1.5", ConvTransposeExplorer.Show(-1.5));
        Assert.Equal("0", ConvTransposeExplorer.Show(-0.0));
        Assert.Equal("0.333", ConvTransposeExplorer.Show(1.0 / 3));
    }
}
