using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

/// <summary>Inputs for the drift-method tests, built so that C# and the NumPy reference produce identical doubles.</summary>
internal static class Samples
{
    public static DriftSample Numbers(double[] reference, double[] current) =>
        DriftSample.FromNumbers(ColumnType.Numerical, reference, current);

    public static DriftSample Categories(double[] reference, double[] current) =>
        DriftSample.FromNumbers(ColumnType.Categorical, reference, current);

    public static DriftSample Strings(string[] reference, string[] current) =>
        DriftSample.FromStrings(ColumnType.Categorical, reference, current);

    /// <summary>pandas' <c>Series(values).repeat(counts)</c>.</summary>
    public static T[] Repeat<T>(T[] values, int[] counts)
    {
        var result = new List<T>();
        for (var i = 0; i < values.Length; i++)
            result.AddRange(Enumerable.Repeat(values[i], counts[i]));
        return [.. result];
    }

    /// <summary>
    /// x_i = ((i·multiplier) mod modulus) / scale + offset for i = 0 … n − 1: a scrambled, reproducible sample whose
    /// values round identically in Python (the reference values in the tests were computed from the same formula).
    /// </summary>
    public static double[] Sequence(int n, long multiplier, long modulus, double scale, double offset = 0.0)
    {
        var values = new double[n];
        for (var i = 0; i < n; i++)
            values[i] = (i * multiplier % modulus) / scale + offset;
        return values;
    }

    /// <summary>Evidently's t-test and Anderson–Darling example (tests/stattests/test_stattests.py).</summary>
    public static readonly double[] EvidentlyReference = [38.7, 41.5, 43.8, 44.5, 45.5, 46.0, 47.7, 58.0];

    public static readonly double[] EvidentlyCurrent = [39.2, 39.3, 39.7, 41.4, 41.8, 42.9, 43.3, 45.8];

    /// <summary>|actual − expected| ≤ rtol·|expected|, with exact equality required for 0 and non-finite values.</summary>
    public static void AssertRelative(double expected, double actual, double rtol = 1e-12)
    {
        if (expected == 0 || !double.IsFinite(expected))
        {
            Assert.Equal(expected, actual);
            return;
        }
        var error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= rtol, $"expected {expected:R}, got {actual:R} (relative error {error:E2} > {rtol:E0})");
    }
}
