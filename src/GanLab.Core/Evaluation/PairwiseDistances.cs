using GanLab.Torch;
using static GanLab.Torch.torch;

namespace GanLab.Core.Evaluation;

/// <summary>
/// Euclidean distances between every query row and every reference row, a block of query rows at a time:
/// libtorch does the products (‖q‖² + ‖r‖² − 2 q·r, one matrix multiplication per block, in float64) and each
/// row of distances is handed to the caller, so a 10,000 × 10,000 comparison never sits in memory whole.
/// </summary>
internal static class PairwiseDistances
{
    /// <summary>About 32 MB of float64 distances per block.</summary>
    private const long BlockElements = 4_000_000;

    public static void ForEachRow(FeatureSet queries, FeatureSet references, Action<int, ReadOnlySpan<double>> visit)
    {
        if (queries.Dimension != references.Dimension)
            throw new ArgumentException($"queries have {queries.Dimension} dimensions, references {references.Dimension}");
        var (n, m, d) = (queries.Count, references.Count, queries.Dimension);
        var block = (int)Math.Clamp(BlockElements / m, 1, n);
        using var outer = NewDisposeScope();
        using var noGrad = no_grad();
        var r = tensor(references.Values, [m, d]);
        var rT = r.t();
        var rNorms = (r * r).sum([1]).reshape(1, m);
        for (var start = 0; start < n; start += block)
        {
            using var scope = NewDisposeScope();
            var rows = Math.Min(block, n - start);
            var q = tensor(queries.Values.AsSpan(start * d, rows * d).ToArray(), [rows, d]);
            var squared = (q * q).sum([1], keepdim: true) + rNorms - 2.0 * q.matmul(rT);
            // Rounding can push a zero distance slightly below 0 in the expansion; clamp before the root.
            var distances = squared.clamp(0, double.MaxValue).sqrt().ToDoubleArray();
            for (var i = 0; i < rows; i++) visit(start + i, distances.AsSpan(i * m, m));
        }
    }

    /// <summary>For each query, the k-th smallest of its distances to the references (k = 1: the nearest).</summary>
    public static double[] KthSmallest(FeatureSet queries, FeatureSet references, int k)
    {
        if (k < 1 || k > references.Count) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in 1..{references.Count}");
        var result = new double[queries.Count];
        var smallest = new double[k];
        ForEachRow(queries, references, (i, row) =>
        {
            // Keep the k smallest so far in ascending order: k is tiny (1 to 4), so insertion beats a heap.
            var count = 0;
            foreach (var x in row)
            {
                if (count == k && x >= smallest[k - 1]) continue;
                var j = count < k ? count++ : k - 1;
                while (j > 0 && smallest[j - 1] > x)
                {
                    smallest[j] = smallest[j - 1];
                    j--;
                }
                smallest[j] = x;
            }
            result[i] = smallest[k - 1];
        });
        return result;
    }
}
