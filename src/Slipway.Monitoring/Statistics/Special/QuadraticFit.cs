namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// Least-squares fit of y ≈ c0·x² + c1·x + c2 (<c>np.polyfit(x, y, 2)</c>) by Householder QR on the Vandermonde
/// matrix, which avoids squaring its condition number as the normal equations would.
/// </summary>
internal static class QuadraticFit
{
    private const int Terms = 3;

    /// <summary>The coefficients, highest power first, as NumPy returns them.</summary>
    public static double[] Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var rows = x.Length;
        if (rows < Terms || y.Length != rows)
            throw new ArgumentException("A quadratic fit needs at least three points and one y per x.", nameof(x));

        // The Vandermonde columns with y appended, so each reflection transforms the right-hand side too.
        var m = new double[rows, Terms + 1];
        for (var i = 0; i < rows; i++)
        {
            m[i, 0] = x[i] * x[i];
            m[i, 1] = x[i];
            m[i, 2] = 1.0;
            m[i, 3] = y[i];
        }

        var v = new double[rows];
        for (var k = 0; k < Terms; k++)
        {
            var norm = 0.0;
            for (var i = k; i < rows; i++)
                norm = double.Hypot(norm, m[i, k]);
            var alpha = m[k, k] > 0 ? -norm : norm;
            v[k] = m[k, k] - alpha;
            var vNormSquared = v[k] * v[k];
            for (var i = k + 1; i < rows; i++)
            {
                v[i] = m[i, k];
                vNormSquared += v[i] * v[i];
            }
            if (vNormSquared == 0)
                continue;

            for (var j = k; j <= Terms; j++)
            {
                var dot = 0.0;
                for (var i = k; i < rows; i++)
                    dot += v[i] * m[i, j];
                var scale = 2 * dot / vNormSquared;
                for (var i = k; i < rows; i++)
                    m[i, j] -= scale * v[i];
            }
        }

        var coefficients = new double[Terms];
        for (var k = Terms - 1; k >= 0; k--)
        {
            var sum = m[k, Terms];
            for (var j = k + 1; j < Terms; j++)
                sum -= m[k, j] * coefficients[j];
            coefficients[k] = sum / m[k, k];
        }
        return coefficients;
    }

    /// <summary>Evaluates the polynomial at x by Horner's rule (<c>np.polyval</c>).</summary>
    public static double Evaluate(ReadOnlySpan<double> coefficients, double x)
    {
        var result = 0.0;
        foreach (var coefficient in coefficients)
            result = result * x + coefficient;
        return result;
    }
}
