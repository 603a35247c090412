namespace GanLab.Core.Evaluation;

/// <summary>
/// The Inception Score computed with the domain classifier instead of Inception:
/// exp(E_x KL(p(y|x) ‖ p(y))), p(y) the mean of p(y|x) over the samples. High when each sample is classified
/// confidently (sharp p(y|x)) and the classes are balanced (flat p(y)); at most the number of classes K, reached by
/// confident, perfectly balanced samples; 1 when every sample gets the same p(y|x). Real MNIST scores about 9.9.
/// </summary>
public static class ClassifierScore
{
    /// <param name="probabilities">p(y|x) per sample, [N, K] row-major; each row sums to 1</param>
    public static double Of(double[] probabilities, int classes)
    {
        if (classes < 1 || probabilities.Length == 0 || probabilities.Length % classes != 0)
            throw new ArgumentException($"{probabilities.Length} probabilities do not make rows of {classes} classes");
        var n = probabilities.Length / classes;
        var marginal = new double[classes];
        for (var i = 0; i < n; i++)
        for (var k = 0; k < classes; k++)
            marginal[k] += probabilities[i * classes + k] / n;
        var klSum = 0.0;
        for (var i = 0; i < n; i++)
        for (var k = 0; k < classes; k++)
        {
            var p = probabilities[i * classes + k];
            // 0 · log 0 = 0: a class a sample rules out adds nothing to its KL.
            if (p > 0) klSum += p * (Math.Log(p) - Math.Log(marginal[k]));
        }
        return Math.Exp(klSum / n);
    }
}

/// <summary>How many samples the classifier puts in each class: mode collapse shows as empty or crowded classes.</summary>
public sealed record ClassHistogram(int[] Counts)
{
    public int Total => Counts.Sum();

    /// <summary>Classes that received at least one sample.</summary>
    public int ClassesPresent => Counts.Count(c => c > 0);

    /// <summary>
    /// Classes with fewer than half the samples a uniform spread would give them: a softer sign of collapse than
    /// an empty class. For a balanced real dataset this is 0.
    /// </summary>
    public int ClassesUnderHalfShare => Counts.Count(c => c * 2.0 * Counts.Length < Total);

    /// <summary>The most crowded class's share of all samples (0.1 for ten balanced classes, 1 for total collapse).</summary>
    public double LargestShare => Total == 0 ? 0 : Counts.Max() / (double)Total;

    public static ClassHistogram Of(double[] probabilities, int classes)
    {
        var counts = new int[classes];
        for (var i = 0; i < probabilities.Length / classes; i++)
        {
            var best = 0;
            for (var k = 1; k < classes; k++)
                if (probabilities[i * classes + k] > probabilities[i * classes + best]) best = k;
            counts[best]++;
        }
        return new ClassHistogram(counts);
    }

    public override string ToString() => string.Join(" ", Counts);
}
