using MathNet.Numerics;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Exact draws from the hypergeometric distribution: how many of <c>draws</c> items taken without replacement from a
/// population holding <c>successes</c> marked items are marked. Small draws are simulated one by one; larger ones use
/// inversion searching outward from the mode, whose expected cost grows with the standard deviation rather than with
/// the number of draws, so a permutation test over millions of rows stays cheap.
/// </summary>
internal static class Hypergeometric
{
    private const long DirectLimit = 16;

    public static long Sample(Random random, long population, long successes, long draws)
    {
        if (draws == 0 || successes == 0)
            return 0;
        if (successes == population)
            return draws;
        if (draws == population)
            return successes;
        return draws <= DirectLimit ? Simulate(random, population, successes, draws) : Invert(random, population, successes, draws);
    }

    private static long Simulate(Random random, long population, long successes, long draws)
    {
        long hits = 0;
        for (var k = 0; k < draws; k++)
        {
            if (random.NextDouble() * population < successes)
            {
                hits++;
                successes--;
            }
            population--;
        }
        return hits;
    }

    private static long Invert(Random random, long population, long successes, long draws)
    {
        var failures = population - successes;
        var low = Math.Max(0, draws - failures);
        var high = Math.Min(draws, successes);
        var mode = (long)Math.Floor((draws + 1.0) * (successes + 1.0) / (population + 2.0));
        mode = Math.Clamp(mode, low, high);
        var atMode = Math.Exp(LogChoose(successes, mode) + LogChoose(failures, draws - mode) - LogChoose(population, draws));
        var u = random.NextDouble() - atMode;
        if (u <= 0)
            return mode;
        long down = mode, up = mode;
        double below = atMode, above = atMode;
        while (down > low || up < high)
        {
            if (down > low)
            {
                // P(k−1) = P(k) · k·(failures − draws + k) / ((successes − k + 1)·(draws − k + 1))
                below *= down * (double)(failures - draws + down) / ((successes - down + 1.0) * (draws - down + 1.0));
                down--;
                u -= below;
                if (u <= 0)
                    return down;
            }
            if (up < high)
            {
                // P(k+1) = P(k) · (successes − k)·(draws − k) / ((k + 1)·(failures − draws + k + 1))
                above *= (successes - up) * (double)(draws - up) / ((up + 1.0) * (failures - draws + up + 1.0));
                up++;
                u -= above;
                if (u <= 0)
                    return up;
            }
        }
        // Rounding left a sliver of probability unassigned; the mode is the likeliest home for it.
        return mode;
    }

    private static double LogChoose(long n, long k) =>
        SpecialFunctions.GammaLn(n + 1.0) - SpecialFunctions.GammaLn(k + 1.0) - SpecialFunctions.GammaLn(n - k + 1.0);
}
