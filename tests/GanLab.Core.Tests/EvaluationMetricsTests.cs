using GanLab.Core.Evaluation;

namespace GanLab.Core.Tests;

public class ClassifierScoreTests
{
    private static double[] Rows(int n, Func<int, double[]> row) => [.. Enumerable.Range(0, n).SelectMany(row)];

    private static double[] OneHot(int k, int classes) => [.. Enumerable.Range(0, classes).Select(c => c == k ? 1.0 : 0.0)];

    [Fact]
    public void Uniform_predictions_score_one()
    {
        Assert.Equal(1, ClassifierScore.Of(Rows(50, _ => Enumerable.Repeat(0.1, 10).ToArray()), 10), 1e-12);
    }

    [Fact]
    public void Confident_balanced_predictions_score_the_number_of_classes()
    {
        Assert.Equal(10, ClassifierScore.Of(Rows(100, i => OneHot(i % 10, 10)), 10), 1e-9);
    }

    [Fact]
    public void Confident_predictions_of_one_class_score_one_mode_collapse()
    {
        Assert.Equal(1, ClassifierScore.Of(Rows(100, _ => OneHot(3, 10)), 10), 1e-12);
    }

    [Fact]
    public void Confident_predictions_spread_over_some_classes_score_that_many()
    {
        // Four classes used evenly out of ten: exp(log 4) = 4.
        Assert.Equal(4, ClassifierScore.Of(Rows(80, i => OneHot(i % 4, 10)), 10), 1e-9);
    }

    [Fact]
    public void A_hand_computed_table_gives_its_value()
    {
        // Rows (0.9, 0.1) and (0.1, 0.9): p(y) = (0.5, 0.5); KL of each row = 0.9 ln 1.8 + 0.1 ln 0.2.
        double[] table = [0.9, 0.1, 0.1, 0.9];
        Assert.Equal(Math.Exp(0.9 * Math.Log(1.8) + 0.1 * Math.Log(0.2)), ClassifierScore.Of(table, 2), 1e-12);
    }

    [Fact]
    public void The_class_histogram_counts_each_samples_most_probable_class()
    {
        double[] table = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.6, 0.3, 0.1, 0.2, 0.3, 0.5];
        var histogram = ClassHistogram.Of(table, 3);
        Assert.Equal([2, 1, 1], histogram.Counts);
        Assert.Equal(3, histogram.ClassesPresent);
        Assert.Equal(0.5, histogram.LargestShare);
        Assert.Equal(0, histogram.ClassesUnderHalfShare);
        Assert.Equal(9, ClassHistogram.Of(Rows(20, _ => OneHot(0, 10)), 10).ClassesUnderHalfShare);
    }
}

public class PrecisionRecallTests
{
    private static FeatureSet Line(params double[] xs) => FeatureSet.FromRows([.. xs.Select(x => new[] { x, 0.0 })]);

    [Fact]
    public void A_set_against_itself_has_full_precision_and_recall()
    {
        var random = new Random(1);
        var set = FeatureSet.FromRows([.. Enumerable.Range(0, 60).Select(_ => new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() })]);
        Assert.Equal((1.0, 1.0), PrecisionRecall.Of(set, set));
    }

    [Fact]
    public void Far_apart_sets_have_neither()
    {
        Assert.Equal((0.0, 0.0), PrecisionRecall.Of(Line(0, 1, 2, 3, 4), Line(100, 101, 102, 103, 104)));
    }

    [Fact]
    public void A_hand_made_case_gives_the_counted_shares()
    {
        // Real: 0, 1, ..., 9. With k = 3 its balls reach 3 at the ends (0, 9) and 2 inside: the real manifold is [−3, 12].
        // Generated: 0.5 … 3.5 (inside it) and 50 … 53 (far away): precision 4/8.
        // Generated balls: 3 around 0.5 and 3.5, 2 around 1.5 and 2.5, so they cover [−2.5, 6.5] (and 47 … 56):
        // real points 0 … 6 are covered, 7, 8, 9 are not: recall 7/10.
        var real = Line(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        var generated = Line(0.5, 1.5, 2.5, 3.5, 50, 51, 52, 53);
        Assert.Equal([3.0, 2, 2, 2, 2, 2, 2, 2, 2, 3], PrecisionRecall.Radii(real, 3));
        var (precision, recall) = PrecisionRecall.Of(real, generated);
        Assert.Equal(0.5, precision, 1e-12);
        Assert.Equal(0.7, recall, 1e-12);
    }

    [Fact]
    public void A_collapsed_generator_is_precise_but_recalls_little()
    {
        // All samples at (nearly) one real point: each is realistic, but the generated balls are tiny.
        var real = Line([.. Enumerable.Range(0, 20).Select(i => (double)i)]);
        var generated = Line(5, 5.01, 5.02, 5.03, 5.04, 5.05);
        var (precision, recall) = PrecisionRecall.Of(real, generated);
        Assert.Equal(1, precision);
        Assert.Equal(1 / 20.0, recall, 1e-12);
    }
}

public class MemorizationCheckTests
{
    private static FeatureSet Gaussian(Random random, int n, int d) =>
        new([.. Enumerable.Range(0, n * d).Select(_ => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))], d);

    [Fact]
    public void A_generator_that_copies_training_images_is_caught_and_a_fresh_one_is_not()
    {
        var random = new Random(2);
        var train = Gaussian(random, 300, 10);
        var test = Gaussian(random, 300, 10);
        var real = Gaussian(random, 300, 10);
        var copies = new FeatureSet([.. train.Values.Select(v => v + 1e-3 * (random.NextDouble() - 0.5))], 10);
        var fresh = Gaussian(random, 300, 10);

        var copying = MemorizationCheck.Of(copies, real, train, test);
        Assert.Equal(1, copying.SampleShareCloserToTrain);
        Assert.Equal(1, copying.SampleNearCopyShare);
        Assert.True(copying.MedianSampleToTrain < 0.01 && copying.MedianSampleToTest > 1, $"{copying}");

        var honest = MemorizationCheck.Of(fresh, real, train, test);
        Assert.InRange(honest.SampleShareCloserToTrain, 0.38, 0.62);
        Assert.InRange(honest.RealShareCloserToTrain, 0.38, 0.62);
        Assert.True(honest.SampleNearCopyShare < 0.05, $"{honest}");
        Assert.Equal(honest.MedianRealToTrain, copying.MedianRealToTrain); // the real baseline does not depend on the samples
    }

    [Fact]
    public void Reference_sets_of_different_sizes_are_refused()
    {
        var random = new Random(3);
        var error = Assert.Throws<ArgumentException>(() =>
            MemorizationCheck.Of(Gaussian(random, 5, 2), Gaussian(random, 5, 2), Gaussian(random, 10, 2), Gaussian(random, 8, 2)));
        Assert.Contains("same size", error.Message);
    }

    [Fact]
    public void Quantiles_interpolate_between_order_statistics()
    {
        Assert.Equal(2.5, MemorizationCheck.Quantile([4, 1, 3, 2], 0.5));
        Assert.Equal(1.03, MemorizationCheck.Quantile([4, 1, 3, 2], 0.01), 1e-12);
    }
}
