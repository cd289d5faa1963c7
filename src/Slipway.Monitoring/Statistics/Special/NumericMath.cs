namespace Slipway.Monitoring.Statistics.Special;

/// <summary>Elementary functions that .NET lacks in an accurate form (its LogP1 is log(1 + x), which loses small x).</summary>
internal static class NumericMath
{
    /// <summary>log(1 + x), accurate for tiny x (Goldberg's correction of the rounded 1 + x).</summary>
    public static double Log1p(double x)
    {
        var u = 1.0 + x;
        if (u == 1.0)
            return x;
        return Math.Log(u) * x / (u - 1.0);
    }
}
