namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>The SciPy pieces behind kl_div and jensenshannon.</summary>
internal static class Divergence
{
    /// <summary><c>p / np.sum(p)</c>, as SciPy rescales before taking entropies.</summary>
    public static void Normalise(double[] shares)
    {
        var total = Special.PairwiseSum.Sum(shares);
        for (var i = 0; i < shares.Length; i++)
            shares[i] /= total;
    }

    /// <summary><c>scipy.special.rel_entr(x, y)</c>: x·ln(x/y) for x, y &gt; 0; 0 for x = 0 ≤ y; ∞ otherwise.</summary>
    public static double RelativeEntropy(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
            return double.NaN;
        if (x > 0 && y > 0)
            return x * Math.Log(x / y);
        return x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
    }
}
