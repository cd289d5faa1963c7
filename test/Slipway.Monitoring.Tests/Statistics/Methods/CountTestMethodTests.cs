using Slipway.Monitoring.Statistics;
using Slipway.Monitoring.Statistics.Methods;
using static Slipway.Monitoring.Tests.Statistics.Methods.Samples;

namespace Slipway.Monitoring.Tests.Statistics.Methods;

// chisquare, g_test and z. The goldens come from Evidently's tests/stattests/test_stattests.py (with its tolerance),
// the tighter values from SciPy 1.10.1 on the same inputs.
public sealed class CountTestMethodTests
{
    private static readonly double[] Faces = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void ChiSquare_EvidentlyGolden_Matches()
    {
        var reference = Repeat(Faces, [16, 18, 16, 14, 12, 12]);
        var current = Repeat(Faces, [16, 16, 16, 16, 16, 8]);

        var p = new ChiSquareMethod().Score(Categories(reference, current)).Value;

        Assert.Equal(0.67309, p, 1e-5);
        AssertRelative(0.6730876006966301, p);
    }

    [Fact]
    public void ChiSquare_ReferenceTwiceAsLarge_IsRescaled()
    {
        var reference = Repeat(Faces, [32, 36, 32, 28, 24, 24]);
        var current = Repeat(Faces, [16, 16, 16, 16, 16, 8]);

        AssertRelative(0.6730876006966301, new ChiSquareMethod().Score(Categories(reference, current)).Value);
    }

    [Fact]
    public void ChiSquare_CategoryOnlyInCurrent_IsZero()
    {
        var score = new ChiSquareMethod().Score(Strings(["a", "b", "a", "b"], ["a", "b", "c", "b"]));

        Assert.Equal(0.0, score.Value);
        Assert.Equal(double.PositiveInfinity, score.Statistic);
    }

    [Fact]
    public void ChiSquare_SingleCategory_IsNaN()
    {
        Assert.True(double.IsNaN(new ChiSquareMethod().Score(Strings(["a", "a"], ["a", "a", "a"])).Value));
    }

    [Fact]
    public void GTest_EvidentlyGolden_Matches()
    {
        string[] letters = ["a", "b", "c"];
        var p = new GTestMethod().Score(Strings(Repeat(letters, [5, 5, 8]), Repeat(letters, [4, 6, 8]))).Value;

        Assert.Equal(0.8176, p, 1e-3);
        AssertRelative(0.817622013379844, p);
    }

    [Fact]
    public void GTest_DifferentSampleSizes_Throws()
    {
        // Evidently passes raw reference counts as expected frequencies; SciPy refuses totals that differ.
        Assert.Throws<DriftMethodException>(() => new GTestMethod().Score(Strings(["a", "b", "b"], ["a", "b"])));
    }

    [Fact]
    public void GTest_SingleCategory_IsNaN()
    {
        Assert.True(double.IsNaN(new GTestMethod().Score(Strings(["a", "a"], ["a", "a"])).Value));
    }

    [Fact]
    public void GTest_CategoryOnlyInCurrent_IsZero()
    {
        Assert.Equal(0.0, new GTestMethod().Score(Strings(["a", "b"], ["a", "c"])).Value);
    }

    [Fact]
    public void Z_EvidentlyGolden_SameBinaryColumns_IsOne()
    {
        var values = Repeat(["a", "b"], [10, 10]);

        Assert.Equal(1.0, new ZMethod().Score(Strings(values, values)).Value, 1e-5);
    }

    [Fact]
    public void Z_ShiftedProportion_MatchesPooledTest()
    {
        var reference = Repeat(["a", "b"], [40, 60]);
        var current = Repeat(["a", "b"], [55, 45]);

        AssertRelative(0.03367206885634588, new ZMethod().Score(Strings(reference, current)).Value);
    }

    [Fact]
    public void Z_SameConstant_IsOne()
    {
        Assert.Equal(1.0, new ZMethod().Score(Numbers([3.5, 3.5], [3.5, 3.5, 3.5])).Value);
    }

    [Fact]
    public void Z_DifferentConstants_IsExactlyZero()
    {
        // |z| ≈ 24.5, where Φ rounds to 1 and Evidently's 2·(1 − Φ) is exactly 0.
        var score = new ZMethod().Score(Strings(Repeat(["a"], [300]), Repeat(["b"], [300])));

        Assert.Equal(0.0, score.Value);
    }
}
