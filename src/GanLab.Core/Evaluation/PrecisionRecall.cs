namespace GanLab.Core.Evaluation;

/// <summary>
/// Improved precision and recall (Kynkäänniemi et al. 2019) in a feature space. Each set's manifold is the union of
/// balls around its points, each ball reaching to the point's k-th nearest neighbour in its own set (k = 3).
/// Precision: the share of generated samples inside the real manifold (are samples realistic?).
/// Recall: the share of real images inside the generated manifold (does G cover the data, or has it collapsed?).
/// </summary>
public static class PrecisionRecall
{
    public const int DefaultK = 3;

    public static (double Precision, double Recall) Of(FeatureSet real, FeatureSet generated, int k = DefaultK)
    {
        var realRadii = Radii(real, k);
        var generatedRadii = Radii(generated, k);
        return (ShareInside(generated, real, realRadii), ShareInside(real, generated, generatedRadii));
    }

    /// <summary>
    /// Distance from each point to its k-th nearest neighbour in its own set: the (k + 1)-th smallest distance,
    /// the smallest being the point's distance to itself, as in the authors' code.
    /// </summary>
    public static double[] Radii(FeatureSet points, int k)
    {
        if (points.Count <= k) throw new ArgumentException($"k = {k} nearest neighbours need more than {k} points; the set has {points.Count}");
        return PairwiseDistances.KthSmallest(points, points, k + 1);
    }

    /// <summary>Share of the queries that lie within the radius of at least one manifold point.</summary>
    private static double ShareInside(FeatureSet queries, FeatureSet manifold, double[] radii)
    {
        var inside = new bool[queries.Count];
        PairwiseDistances.ForEachRow(queries, manifold, (i, distances) =>
        {
            for (var j = 0; j < distances.Length; j++)
                if (distances[j] <= radii[j])
                {
                    inside[i] = true;
                    return;
                }
        });
        return inside.Count(x => x) / (double)queries.Count;
    }
}
