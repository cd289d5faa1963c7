using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

/// <summary>Hand-checkable values; the conformance cases check the same methods against Evidently to 1e-9.</summary>
public sealed class ClosedFormMethodTests
{
    private static DriftSample Categories(string[] reference, string[] current) => DriftSample.FromStrings(ColumnType.Categorical, reference, current);

    private static DriftSample Numbers(double[] reference, double[] current) => DriftSample.FromNumbers(ColumnType.Numerical, reference, current);

    private static readonly DriftSample HalfHalfVersusThreeToOne = Categories(["a", "a", "b", "b"], ["a", "a", "a", "b"]);

    [Fact]
    public void Psi_TwoCategories_IsQuarterLnThree()
    {
        // (0.5 − 0.75)·ln(0.5/0.75) + (0.5 − 0.25)·ln(0.5/0.25) = ln(3)/4
        Assert.Equal(Math.Log(3) / 4, DriftMethods.Psi.Score(HalfHalfVersusThreeToOne).Value, 15);
    }

    [Fact]
    public void KlDiv_TwoCategories_IsHalfLnFourThirds()
    {
        Assert.Equal(Math.Log(4.0 / 3) / 2, DriftMethods.KlDiv.Score(HalfHalfVersusThreeToOne).Value, 15);
    }

    [Fact]
    public void PsiAndKl_CategoryMissingOnOneSide_UseTheZeroFill()
    {
        var sample = Categories(["a", "b"], ["a", "a"]);
        // Reference shares 0.5/0.5; current 1 and 0, filled with 1e-4 (no renormalisation for psi).
        var expectedPsi = (0.5 - 1) * Math.Log(0.5 / 1) + (0.5 - 0.0001) * Math.Log(0.5 / 0.0001);
        Assert.Equal(expectedPsi, DriftMethods.Psi.Score(sample).Value, 12);
        var q = new[] { 1 / 1.0001, 0.0001 / 1.0001 };
        Assert.Equal(0.5 * Math.Log(0.5 / q[0]) + 0.5 * Math.Log(0.5 / q[1]), DriftMethods.KlDiv.Score(sample).Value, 12);
    }

    [Fact]
    public void JensenShannon_IdenticalIsZero_DisjointIsSqrtLnTwo()
    {
        Assert.Equal(0, DriftMethods.JensenShannon.Score(Categories(["a", "b"], ["b", "a"])).Value);
        Assert.Equal(Math.Sqrt(Math.Log(2)), DriftMethods.JensenShannon.Score(Categories(["a", "a"], ["b"])).Value, 15);
    }

    [Fact]
    public void Hellinger_Categorical_IsSqrtOneMinusBhattacharyya()
    {
        var coefficient = Math.Sqrt(0.5 * 0.75) + Math.Sqrt(0.5 * 0.25);
        Assert.Equal(Math.Sqrt(1 - coefficient), DriftMethods.Hellinger.Score(HalfHalfVersusThreeToOne).Value, 15);
    }

    [Fact]
    public void Hellinger_NumericalIdenticalSamples_IsZeroAndDisjointIsOne()
    {
        double[] values = [1, 2, 3, 4, 5, 6, 7, 8];
        Assert.Equal(0, DriftMethods.Hellinger.Score(Numbers(values, values)).Value, 7);
        Assert.Equal(1, DriftMethods.Hellinger.Score(Numbers([0, 0.1], [10, 10.1])).Value);
    }

    [Fact]
    public void Wasserstein_ShiftByOne_IsOneOverPopulationStd()
    {
        // W1 = 1; σ of 0..3 with ddof 0 is √1.25.
        Assert.Equal(1 / Math.Sqrt(1.25), DriftMethods.Wasserstein.Score(Numbers([0, 1, 2, 3], [1, 2, 3, 4])).Value, 15);
    }

    [Fact]
    public void Wasserstein_ConstantReference_DividesByTheFloor()
    {
        Assert.Equal(1000, DriftMethods.Wasserstein.Score(Numbers([5, 5, 5], [6, 6])).Value, 9);
    }

    [Fact]
    public void EnergyDistance_TwoPoints_IsSqrtTwoTimesTheGap()
    {
        Assert.Equal(Math.Sqrt(2), DriftMethods.EnergyDistance.Score(Numbers([0], [1])).Value, 15);
        Assert.Equal(0, DriftMethods.EnergyDistance.Score(Numbers([1, 2], [2, 1])).Value);
    }

    [Fact]
    public void ClosedFormMethods_EmptySide_Refuse()
    {
        var empty = Numbers([], [1]);
        foreach (var method in new[] { DriftMethods.Psi, DriftMethods.KlDiv, DriftMethods.JensenShannon, DriftMethods.Wasserstein, DriftMethods.Hellinger, DriftMethods.EnergyDistance })
            Assert.Throws<DriftMethodException>(() => method.Score(empty));
    }

    [Fact]
    public void Wasserstein_Strings_Refuse()
    {
        var error = Assert.Throws<DriftMethodException>(() => DriftMethods.Wasserstein.Score(Categories(["a"], ["b"])));
        Assert.Contains("numerical", error.Message, StringComparison.Ordinal);
    }
}
