namespace GanLab.Core.Evaluation;

/// <summary>
/// Is G copying its training images? Each sample's pixel distance to its nearest training image against its
/// nearest test image, beside the same for real images that are in neither reference set. The two reference sets
/// have the same size, so a sample that learned the distribution (and not the images) is as likely to be nearer
/// either: about half of the real images are nearer a training image. A copying generator's samples are nearer a
/// training image far more often, and nearer than almost any real image ever gets (the near-copy share).
/// The train-vs-test comparison only means something when G never saw the test images.
/// </summary>
public sealed record MemorizationReport(
    int Samples,
    int ReferenceImages,
    double MedianSampleToTrain,
    double MedianSampleToTest,
    double MedianRealToTrain,
    double MedianRealToTest,
    double SampleShareCloserToTrain,
    double RealShareCloserToTrain,
    double NearCopyDistance,
    double SampleNearCopyShare)
{
    /// <summary>
    /// Real images nearer a training image than <see cref="NearCopyDistance"/>: 1% by construction, the share a
    /// generator that copies nothing should roughly match.
    /// </summary>
    public const double RealNearCopyShare = MemorizationCheck.NearCopyQuantile;
}

public static class MemorizationCheck
{
    /// <summary>The near-copy distance is this quantile of real images' distances to their nearest training image.</summary>
    public const double NearCopyQuantile = 0.01;

    /// <param name="samples">generated images, as pixel rows</param>
    /// <param name="real">real images in neither reference set, as pixel rows</param>
    /// <param name="train">training images (G's), as many as <paramref name="test"/></param>
    /// <param name="test">held-out images</param>
    public static MemorizationReport Of(FeatureSet samples, FeatureSet real, FeatureSet train, FeatureSet test)
    {
        if (train.Count != test.Count)
            throw new ArgumentException($"the training and test references must be the same size (got {train.Count} and {test.Count}), or the larger one wins by numbers alone");
        var sampleToTrain = PairwiseDistances.KthSmallest(samples, train, 1);
        var sampleToTest = PairwiseDistances.KthSmallest(samples, test, 1);
        var realToTrain = PairwiseDistances.KthSmallest(real, train, 1);
        var realToTest = PairwiseDistances.KthSmallest(real, test, 1);
        var nearCopy = Quantile(realToTrain, NearCopyQuantile);
        return new MemorizationReport(samples.Count, train.Count,
            Quantile(sampleToTrain, 0.5), Quantile(sampleToTest, 0.5), Quantile(realToTrain, 0.5), Quantile(realToTest, 0.5),
            ShareCloser(sampleToTrain, sampleToTest), ShareCloser(realToTrain, realToTest),
            nearCopy, sampleToTrain.Count(x => x < nearCopy) / (double)samples.Count);
    }

    /// <summary>Ties (equally near both) count half, so identical reference sets give exactly 0.5.</summary>
    private static double ShareCloser(double[] toTrain, double[] toTest)
    {
        var score = 0.0;
        for (var i = 0; i < toTrain.Length; i++) score += toTrain[i] < toTest[i] ? 1 : toTrain[i] == toTest[i] ? 0.5 : 0;
        return score / toTrain.Length;
    }

    /// <summary>Linear interpolation between order statistics (numpy's default).</summary>
    internal static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        var position = q * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
