using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using Slipway.Monitoring.Statistics.Special;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// Goldens from Evidently's test_pvalue_fisher_exact (tolerance 1e-3); the exact values from SciPy 1.10.1.
public sealed class FisherExactMethodTests
{
    private readonly FisherExactMethod _method = new();

    public static TheoryData<string[], string[], double> EvidentlyCases() => new()
    {
        { Cycle(["a", "b", "b", "a", "a", "b"], 15), Cycle(["b", "b", "a", "b", "b", "a"], 15), 0.033972274322700745 },
        { ["a", "b", "b", "a", "a", "b"], ["a", "a", "a", "a", "a", "a"], 0.18181818181818185 },
        { ["a", "a", "a", "a", "a", "a"], ["b", "b", "b", "b", "b", "b"], 0.0021645021645021645 },
        { Cycle(["a", "a", "a", "b", "b"], 30), Cycle(["b", "b", "b", "a", "a"], 30), 0.0007843987149579247 },
    };

    [Theory]
    [MemberData(nameof(EvidentlyCases))]
    public void Score_EvidentlyGoldens_Match(string[] reference, string[] current, double expected)
    {
        var p = _method.Score(Strings(reference, current)).Value;

        Assert.Equal(expected, p, 1e-3);
        AssertRelative(expected, p, 1e-10);
    }

    [Fact]
    public void Score_SameValuesInBoth_IsOne()
    {
        Assert.Equal(1.0, _method.Score(Strings(["a", "b", "b", "b", "a", "b"], ["b", "b", "b", "a", "b", "a"])).Value);
    }

    [Fact]
    public void Score_SingleSharedValue_IsOne()
    {
        Assert.Equal(1.0, _method.Score(Strings(["a", "a", "a"], ["a", "a", "a"])).Value);
    }

    [Fact]
    public void Score_ThreeValuesOnOneSide_Throws()
    {
        var error = Assert.Throws<DriftMethodException>(() => _method.Score(Strings(["a", "c", "a", "a", "a", "b"], ["b", "b", "a", "b", "b", "a"])));

        Assert.Contains("unique categories > 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_DifferentLengths_Throws()
    {
        var error = Assert.Throws<DriftMethodException>(() => _method.Score(Strings(["a", "b", "a"], ["a", "b"])));

        Assert.Contains("equal length", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoSidedPValue_ScipyDocstringTable_Matches()
    {
        // SciPy's docstring example: whales and sharks in two oceans.
        AssertRelative(0.034965034965034975, FisherExact.TwoSidedPValue(8, 2, 1, 5));
    }

    [Fact]
    public void TwoSidedPValue_EmptyColumn_IsOne()
    {
        Assert.Equal(1.0, FisherExact.TwoSidedPValue(0, 5, 0, 7));
    }

    [Fact]
    public void TwoSidedPValue_MirrorImageTable_CountsBothTails()
    {
        // [[300, 0], [0, 300]] and its mirror are the only tables as extreme: p = 2 / C(600, 300).
        var p = FisherExact.TwoSidedPValue(300, 0, 0, 300);

        AssertRelative(1.4802978791996796e-179, p, 1e-9);
    }

    private static string[] Cycle(string[] pattern, int times) =>
        Enumerable.Repeat(pattern, times).SelectMany(p => p).ToArray();
}
