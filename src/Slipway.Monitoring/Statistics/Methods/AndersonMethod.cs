using System.Buffers;
using Slipway.Monitoring.Statistics.Special;

namespace Slipway.Monitoring.Statistics.Methods;

/// <summary>
/// Evidently's <c>anderson</c>: the significance level of SciPy 1.10's <c>anderson_ksamp([reference, current])</c>
/// (midrank statistic A²akN of Scholz and Stephens, 1987). The p-value interpolates log(significance) quadratically
/// over the tabulated critical values, and is capped at 0.25 and floored at 0.001 outside the table. A column
/// with a single distinct value cannot be tested.
/// </summary>
internal sealed class AndersonMethod : IDriftMethod
{
    /// <summary>Scholz and Stephens' Table 2 interpolation coefficients and their significance levels.</summary>
    private static readonly double[] B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
    private static readonly double[] B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
    private static readonly double[] B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];
    private static readonly double[] Significance = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001];

    // With two samples m = k − 1 = 1, so the critical values and the fitted curve are constants.
    private static readonly double[] Critical = CriticalValues(1);
    private static readonly double[] LogSignificanceFit = QuadraticFit.Fit(Critical, Array.ConvertAll(Significance, Math.Log));

    public string Name => "anderson";

    public string DisplayName => "Anderson-Darling";

    public double DefaultThreshold => 0.1;

    public DriftRule Rule => DriftRule.PValueBelow;

    public bool IsRegisteredFor(ColumnType type) => type == ColumnType.Numerical;

    public DriftScore Score(DriftSample sample)
    {
        int n1 = sample.ReferenceCount, n2 = sample.CurrentCount;
        var groups = TieGroups.Build(sample.ReferenceSorted, sample.CurrentSorted);
        if (groups.Count < 2)
            throw new DriftMethodException("anderson_ksamp needs more than one distinct observation");
        if (n1 == 0 || n2 == 0)
            throw new DriftMethodException("anderson_ksamp encountered sample without observations");
        if (n1 + n2 < 3)
            throw new DriftMethodException("anderson_ksamp cannot standardise its statistic with fewer than three observations");

        var a2 = StandardizedStatistic(MidrankStatistic(groups, n1, n2), n1, n2);
        double p;
        if (a2 < Critical.Min())
            p = Significance.Max();
        else if (a2 > Critical.Max())
            p = Significance.Min();
        else
            p = Math.Exp(QuadraticFit.Evaluate(LogSignificanceFit, a2));
        return new DriftScore(p, a2);
    }

    /// <summary>A²akN, equation 7 of Scholz and Stephens, in SciPy's order of operations.</summary>
    private static double MidrankStatistic(TieGroups groups, int n1, int n2)
    {
        long total = (long)n1 + n2;
        double n = total;
        var noTies = groups.Count == total;
        var firstTerms = ArrayPool<double>.Shared.Rent(groups.Count);
        var secondTerms = ArrayPool<double>.Shared.Rent(groups.Count);
        long before = 0, firstAtOrBelow = 0, secondAtOrBelow = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            int first = groups.FirstCounts[g], second = groups.SecondCounts[g];
            var tied = noTies ? 1.0 : first + second;
            var b = before + tied / 2.0;
            firstAtOrBelow += first;
            secondAtOrBelow += second;
            var denominator = b * (n - b) - n * tied / 4.0;
            var m1 = firstAtOrBelow - first / 2.0;
            var m2 = secondAtOrBelow - second / 2.0;
            var firstGap = n * m1 - b * n1;
            var secondGap = n * m2 - b * n2;
            firstTerms[g] = tied / n * (firstGap * firstGap) / denominator;
            secondTerms[g] = tied / n * (secondGap * secondGap) / denominator;
            before += first + second;
        }
        var statistic = PairwiseSum.Sum(firstTerms.AsSpan(0, groups.Count)) / n1
            + PairwiseSum.Sum(secondTerms.AsSpan(0, groups.Count)) / n2;
        ArrayPool<double>.Shared.Return(firstTerms);
        ArrayPool<double>.Shared.Return(secondTerms);
        return statistic * ((n - 1.0) / n);
    }

    /// <summary>(A²kN − (k − 1)) / σ_N with the exact finite-sample variance σ²_N of Scholz and Stephens (k = 2).</summary>
    private static double StandardizedStatistic(double a2kn, int n1, int n2)
    {
        const int k = 2;
        long total = (long)n1 + n2;
        double n = total;
        var harmonicOfSizes = 0.0 + 1.0 / n1 + 1.0 / n2;

        // h = Σ_{i=1}^{N−1} 1/i and g = Σ_{i=1}^{N−2} Σ_{j=i+1}^{N−1} 1/((N − i)·j), from SciPy's running sums.
        var weighted = ArrayPool<double>.Shared.Rent((int)Math.Max(total - 2, 1));
        var running = 0.0;
        for (long i = 0; i < total - 2; i++)
        {
            running += 1.0 / (total - 1 - i);
            weighted[i] = running / (i + 2);
        }
        var h = running + 1;
        var g = PairwiseSum.Sum(weighted.AsSpan(0, (int)(total - 2)));
        ArrayPool<double>.Shared.Return(weighted);

        var a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * harmonicOfSizes;
        var b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * harmonicOfSizes - 8 * h + 4 * g - 6;
        var c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * harmonicOfSizes + 4 * h;
        var d = (2 * h + 6) * k * k - 4 * h * k;
        var sigmaSquared = (a * (n * n * n) + b * (n * n) + c * n + d) / ((n - 1.0) * (n - 2.0) * (n - 3.0));
        return (a2kn - (k - 1)) / Math.Sqrt(sigmaSquared);
    }

    private static double[] CriticalValues(int m)
    {
        var critical = new double[B0.Length];
        for (var i = 0; i < critical.Length; i++)
            critical[i] = B0[i] + B1[i] / Math.Sqrt(m) + B2[i] / m;
        return critical;
    }
}
