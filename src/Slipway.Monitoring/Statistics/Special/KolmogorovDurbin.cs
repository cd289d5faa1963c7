namespace Slipway.Monitoring.Statistics.Special;

/// <summary>
/// Durbin's (1968) matrix formula for P(D_n ≤ d), evaluated as Marsaglia, Tsang and Wang (2003) do: write
/// d = (k − h)/n, build an m×m matrix (m = 2k − 1) and take the k-th diagonal entry of n!/n^n · H^n. Intermediate
/// powers are rescaled by 2^128 with the exponent tracked separately, because H^n overflows long before the
/// n!/n^n factor brings it back.
/// </summary>
internal static class KolmogorovDurbin
{
    private const int ScaleExponent = 128;
    private static readonly double Scale = Math.ScaleB(1.0, ScaleExponent);
    private static readonly double InverseScale = Math.ScaleB(1.0, -ScaleExponent);

    public static double Cdf(long n, double d)
    {
        if (d >= 1.0)
            return 1.0;
        var nd = n * d;
        if (nd <= 0.5)
            return 0.0;
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = 2 * k - 1;

        var matrix = BuildMatrix(h, m);
        var power = Identity(m);
        long exponent = 0;
        long matrixExponent = 0;
        for (var remaining = n; remaining > 0; remaining /= 2)
        {
            if (remaining % 2 == 1)
            {
                power = Multiply(power, matrix, m);
                exponent += matrixExponent;
            }
            matrix = Multiply(matrix, matrix, m);
            matrixExponent *= 2;
            if (Math.Abs(matrix[(k - 1) * m + k - 1]) > Scale)
            {
                for (var i = 0; i < matrix.Length; i++)
                    matrix[i] /= Scale;
                matrixExponent += ScaleExponent;
            }
        }

        var p = power[(k - 1) * m + k - 1];
        for (long i = 1; i <= n; i++)
        {
            p = i * p / n;
            if (Math.Abs(p) < InverseScale)
            {
                p *= Scale;
                exponent -= ScaleExponent;
            }
        }
        if (exponent != 0)
            p = Math.ScaleB(p, (int)exponent);
        return Math.Clamp(p, 0.0, 1.0);
    }

    /// <summary>H[i][j] = 1/(i − j + 1)! on and below the superdiagonal, with corrected first column and last row.</summary>
    private static double[] BuildMatrix(double h, int m)
    {
        var v = new double[m];
        var w = new double[m];
        var factorial = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = factorial;
            factorial /= j;
            v[j - 1] = (1.0 - Math.Pow(h, j)) * factorial;
        }
        var correction = Math.Pow(Math.Max(2 * h - 1.0, 0), m) - 2 * Math.Pow(h, m);
        v[m - 1] = (1.0 + correction) * factorial;

        var matrix = new double[m * m];
        for (var column = 1; column < m; column++)
        {
            for (var row = column - 1; row < m; row++)
                matrix[row * m + column] = w[row - column + 1];
        }
        for (var row = 0; row < m; row++)
            matrix[row * m] = v[row];
        for (var column = 0; column < m; column++)
            matrix[(m - 1) * m + column] = v[m - 1 - column];
        return matrix;
    }

    private static double[] Identity(int m)
    {
        var identity = new double[m * m];
        for (var i = 0; i < m; i++)
            identity[i * m + i] = 1.0;
        return identity;
    }

    private static double[] Multiply(double[] left, double[] right, int m)
    {
        var product = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            for (var l = 0; l < m; l++)
            {
                var a = left[i * m + l];
                if (a == 0)
                    continue;
                for (var j = 0; j < m; j++)
                    product[i * m + j] += a * right[l * m + j];
            }
        }
        return product;
    }
}
