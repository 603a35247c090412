namespace GanLab.Core.Evaluation;

/// <summary>
/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method, in float64. Each rotation
/// zeroes one off-diagonal pair; sweeps repeat until the off-diagonal mass is negligible. Slower than LAPACK's
/// eigh but exact to rounding, dependency-free and the same on every libtorch version: the feature spaces here
/// have at most a few hundred dimensions, where a solve takes well under a second.
/// </summary>
public static class SymmetricEigen
{
    private const int MaxSweeps = 100;

    /// <summary>
    /// Returns the eigenvalues and the eigenvectors as columns of <c>Vectors</c>, so that
    /// matrix = Vectors · diag(Values) · Vectorsᵀ. The input must be square and symmetric; it is not changed.
    /// </summary>
    public static (double[] Values, double[,] Vectors) Decompose(double[,] matrix)
    {
        var n = matrix.GetLength(0);
        if (matrix.GetLength(1) != n) throw new ArgumentException($"the matrix is {n}×{matrix.GetLength(1)}, not square");
        var a = (double[,])matrix.Clone();
        var scale = 0.0;
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            if (Math.Abs(a[i, j] - a[j, i]) > 1e-9 * (Math.Abs(a[i, j]) + Math.Abs(a[j, i]) + 1e-300))
                throw new ArgumentException($"the matrix is not symmetric: [{i},{j}] = {a[i, j]} but [{j},{i}] = {a[j, i]}");
            scale = Math.Max(scale, Math.Abs(a[i, j]));
        }
        var v = new double[n, n];
        for (var i = 0; i < n; i++) v[i, i] = 1;
        if (scale == 0) return (new double[n], v);

        for (var sweep = 0; sweep < MaxSweeps; sweep++)
        {
            var off = 0.0;
            for (var p = 0; p < n; p++)
            for (var q = p + 1; q < n; q++)
                off += a[p, q] * a[p, q];
            // Converged once what is left off the diagonal is at rounding level relative to the largest entry.
            if (Math.Sqrt(off) <= 1e-15 * scale * n) break;
            for (var p = 0; p < n; p++)
            for (var q = p + 1; q < n; q++)
                if (a[p, q] != 0) Rotate(a, v, p, q, n);
        }

        var values = new double[n];
        for (var i = 0; i < n; i++) values[i] = a[i, i];
        return (values, v);
    }

    /// <summary>One Jacobi rotation in the (p, q) plane, chosen to zero a[p, q] (Golub and Van Loan, Algorithm 8.5.1).</summary>
    private static void Rotate(double[,] a, double[,] v, int p, int q, int n)
    {
        var theta = (a[q, q] - a[p, p]) / (2 * a[p, q]);
        // The smaller root keeps the rotation angle at most π/4, which is what makes the method stable.
        var t = Math.Sign(theta == 0 ? 1 : theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
        var c = 1 / Math.Sqrt(t * t + 1);
        var s = t * c;
        for (var k = 0; k < n; k++)
        {
            var akp = a[k, p];
            var akq = a[k, q];
            a[k, p] = c * akp - s * akq;
            a[k, q] = s * akp + c * akq;
        }
        for (var k = 0; k < n; k++)
        {
            var apk = a[p, k];
            var aqk = a[q, k];
            a[p, k] = c * apk - s * aqk;
            a[q, k] = s * apk + c * aqk;
        }
        for (var k = 0; k < n; k++)
        {
            var vkp = v[k, p];
            var vkq = v[k, q];
            v[k, p] = c * vkp - s * vkq;
            v[k, q] = s * vkp + c * vkq;
        }
    }
}
