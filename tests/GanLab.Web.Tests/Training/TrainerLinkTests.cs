using GanLab.Core.Training;
using GanLab.Web.Training;

namespace GanLab.Web.Tests.Training;

public class TrainerLinkTests
{
    private static (GanTrainingOptions Options, IReadOnlyList<string> Problems) Parse(params (string Key, string Value)[] query) =>
        TrainerLink.Parse(query.Select(q => new KeyValuePair<string, string?>(q.Key, q.Value)));

    [Fact]
    public void Default_settings_make_an_empty_query()
    {
        Assert.Equal("", TrainerLink.ToQuery(new GanTrainingOptions()));
    }

    [Fact]
    public void Every_setting_survives_a_round_trip_through_the_query()
    {
        var options = new GanTrainingOptions
        {
            Model = "dcgan", Dataset = "fashion-mnist", Seed = 3, BatchSize = 32, LearningRate = 2e-4, Beta1 = 0.9,
            Loss = "least-squares", Labels = "noisy", Optimizer = "rmsprop", LatentDistribution = "uniform",
            MaxSteps = 1234, Augmentation = "flip", Device = "cpu", DiscriminatorSteps = 2,
        };
        var query = TrainerLink.ToQuery(options);
        var pairs = query.TrimStart('?').Split('&').Select(p => p.Split('=')).Select(p => (p[0], Uri.UnescapeDataString(p[1]))).ToArray();

        var (back, problems) = Parse(pairs);

        Assert.Empty(problems);
        Assert.Equal(options, back);
    }

    [Fact]
    public void Names_are_matched_without_regard_to_case()
    {
        var (options, problems) = Parse(("MODEL", "dcgan"), ("maxsteps", "10"));

        Assert.Empty(problems);
        Assert.Equal("dcgan", options.Model);
        Assert.Equal(10, options.MaxSteps);
    }

    [Fact]
    public void Unknown_names_unreadable_values_and_invalid_settings_are_each_reported()
    {
        var (_, problems) = Parse(("colour", "red"), ("batchSize", "lots"), ("learningRate", "NaN"), ("loss", "magic"));

        Assert.Equal(4, problems.Count);
        Assert.StartsWith("'colour' is not a trainer setting; allowed: model, dataset, seed", problems[0]);
        Assert.Equal("'batchSize=lots' is not a valid whole number", problems[1]);
        Assert.Equal("'learningRate=NaN' is not a valid number (e.g. 0.0002)", problems[2]);
        Assert.StartsWith("loss 'magic' is unknown", problems[3]);
    }

    [Fact]
    public void A_link_naming_a_model_starts_from_its_recipe_as_a_lesson_block_does()
    {
        var (options, problems) = Parse(("maxSteps", "100"), ("model", "keras-gan"), ("batchSize", "32"));

        Assert.Empty(problems);
        Assert.Equal(GanTrainingOptions.For("keras-gan") with { MaxSteps = 100, BatchSize = 32 }, options);
    }

    [Fact]
    public void A_link_names_the_model_and_only_what_differs_from_its_recipe()
    {
        var recipe = GanTrainingOptions.For("keras-gan");
        Assert.Equal("?model=keras-gan", TrainerLink.ToQuery(recipe));

        // The plain default learning rate differs from keras-gan's 2e-4, so the link must carry it.
        var options = recipe with { LearningRate = 1e-3, Seed = 9 };
        var query = TrainerLink.ToQuery(options);
        Assert.Equal("?model=keras-gan&seed=9&learningRate=0.001", query);
        var (back, problems) = Parse([.. query.TrimStart('?').Split('&').Select(p => p.Split('=')).Select(p => (p[0], Uri.UnescapeDataString(p[1])))]);
        Assert.Empty(problems);
        Assert.Equal(options, back);
    }
}
