using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class BinningTests
{
    [Fact]
    public void SturgesEdges_TwoThousandValues_GiveTwelveEqualBins()
    {
        // log2(2000) + 1 = 11.97, so NumPy takes 12 bins over min..max.
        var edges = Binning.SturgesEdges(0, 10, 2000);
        Assert.Equal(13, edges.Length);
        Assert.Equal(0, edges[0]);
        Assert.Equal(10.0 / 12 * 5, edges[5]);
        Assert.Equal(10, edges[^1]);
    }

    [Fact]
    public void SturgesEdges_PowerOfTwoCount_UsesNumPysTwoRoundings()
    {
        // ceil(log2(1024) + 1) is 11, but NumPy computes ceil(ptp / (ptp / 11)) = ceil(11.000000000000002) = 12 here.
        Assert.Equal(13, Binning.SturgesEdges(0, 3.1, 1024).Length);
        Assert.Equal(12, Binning.SturgesEdges(0, 3.0, 1024).Length);
    }

    [Fact]
    public void SturgesEdges_SingleValue_WidensToOneUnitBin()
    {
        Assert.Equal([4.5, 5.5], Binning.SturgesEdges(5, 5, 1));
    }

    [Fact]
    public void CountInBins_EdgeValues_GoUpExceptInTheLastBin()
    {
        double[] edges = [0, 1, 2, 3];
        double[] sorted = [-1, 0, 0.5, 1, 2, 2.999, 3, 4];
        Assert.Equal([2L, 1, 3], Binning.CountInBins(sorted, edges));
    }

    [Fact]
    public void FillZeroes_SmallestShareAboveLimit_FillsWithOneTenThousandth()
    {
        double[] shares = [0.5, 0, 0.5];
        Binning.FillZeroes(shares);
        Assert.Equal([0.5, 0.0001, 0.5], shares);
    }

    [Fact]
    public void FillZeroes_TinySmallestShare_FillsWithItsMillionth()
    {
        double[] shares = [0.99995, 0.00005, 0];
        Binning.FillZeroes(shares);
        Assert.Equal(0.00005 / 1e6, shares[2]);
        Assert.Equal(0.99995, shares[0]);
    }

    [Fact]
    public void Shares_TwentyDistinctReferenceValues_BinPerValue()
    {
        var reference = Enumerable.Range(0, 20).Select(i => (double)i).ToArray();
        var sample = DriftSample.FromNumbers(ColumnType.Numerical, reference, [0.5, 100]);
        var (referenceShares, currentShares) = Binning.Shares(sample, fillZeroes: false);
        Assert.Equal(22, referenceShares.Length);
        Assert.Equal(1.0, currentShares.Sum(), 12);
        Assert.Equal(0.5, currentShares[1]);
    }

    [Fact]
    public void Shares_TwentyOneDistinctReferenceValues_UseSturgesBinsOverBothSamples()
    {
        var reference = Enumerable.Range(0, 21).Select(i => (double)i).ToArray();
        var sample = DriftSample.FromNumbers(ColumnType.Numerical, reference, [30, 40]);
        var (referenceShares, currentShares) = Binning.Shares(sample, fillZeroes: false);
        // 23 values: log2(23) + 1 = 5.52 → 6 bins of width 40/6 over 0..40.
        Assert.Equal(6, referenceShares.Length);
        Assert.Equal([7 / 21.0, 7 / 21.0, 6 / 21.0, 1 / 21.0, 0, 0], referenceShares);
        Assert.Equal([0, 0, 0, 0, 0.5, 0.5], currentShares);
    }

    [Fact]
    public void Shares_CategoricalIntegers_BinPerValueWhateverTheirCount()
    {
        var reference = Enumerable.Range(0, 50).Select(i => (double)i).ToArray();
        var sample = DriftSample.FromNumbers(ColumnType.Categorical, reference, [0]);
        Assert.Equal(50, Binning.Shares(sample, fillZeroes: true).Reference.Length);
    }
}
