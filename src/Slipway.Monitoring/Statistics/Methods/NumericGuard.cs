namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>The input checks the closed-form methods share: numbers where SciPy needs numbers, and no empty side.</summary>
internal static class NumericGuard
{
    public static void Require(DriftSample sample, string method)
    {
        if (!sample.IsNumeric)
            throw new DriftMethodException($"{method} needs numerical values; this column holds strings.");
        RequireValues(sample, method);
    }

    public static void RequireValues(DriftSample sample, string method)
    {
        if (sample.ReferenceCount == 0 || sample.CurrentCount == 0)
            throw new DriftMethodException($"{method} needs at least one value in both the reference and the current data.");
    }
}
