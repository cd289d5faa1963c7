using Slipway.Monitoring.Data;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

public sealed class ColumnHistogramsTests
{
    [Fact]
    public void Compute_Numeric_SharesEqualWidthBinsOverBothSides()
    {
        var reference = DataColumn.Numeric("x", ColumnDtype.Float64, [0, 1, 2, 3]);
        var current = DataColumn.Numeric("x", ColumnDtype.Float64, [2, 3, 4, 5]);

        var histogram = ColumnHistograms.Compute(reference, current, ColumnType.Numerical);

        // 8 values: Sturges gives ceil(log2(8) + 1) = 4 bins over 0..5.
        Assert.Equal([0, 1.25, 2.5, 3.75, 5], histogram.Edges!);
        Assert.Equal([0.5, 0.25, 0.25, 0], histogram.ReferenceShares);
        Assert.Equal([0, 0.25, 0.25, 0.5], histogram.CurrentShares);
        Assert.True(histogram.IsNumeric);
    }

    [Fact]
    public void Compute_NonFiniteValues_CountAsMissing()
    {
        var reference = DataColumn.Numeric("x", ColumnDtype.Float64, [1, double.NaN, 2, double.PositiveInfinity]);
        var current = DataColumn.Numeric("x", ColumnDtype.Float64, [1, 2, 3, double.NegativeInfinity, 4]);

        var histogram = ColumnHistograms.Compute(reference, current, ColumnType.Numerical);

        Assert.Equal(0.5, histogram.ReferenceMissingShare);
        Assert.Equal(0.2, histogram.CurrentMissingShare);
        Assert.Equal(2, histogram.ReferenceValues);
        Assert.Equal(4, histogram.CurrentValues);
        Assert.Equal(1, histogram.Edges![0]);
        Assert.Equal(4, histogram.Edges[^1]);
        Assert.Equal(1, histogram.ReferenceShares.Sum(), 12);
        Assert.Equal(1, histogram.CurrentShares.Sum(), 12);
    }

    [Fact]
    public void Compute_ConstantColumn_OneBin()
    {
        var column = DataColumn.Numeric("x", ColumnDtype.Float64, [7, 7, 7]);

        var histogram = ColumnHistograms.Compute(column, column, ColumnType.Numerical);

        Assert.Equal([1.0], histogram.ReferenceShares);
        Assert.Equal([7.0, 7.0], histogram.Edges!);
    }

    [Fact]
    public void Compute_ManyCategories_KeepsTopTwentyAndFoldsTheRest()
    {
        // Category k appears k + 1 times, so the 20 largest are c5..c24.
        var values = Enumerable.Range(0, 25).SelectMany(k => Enumerable.Repeat($"c{k}", k + 1)).Append(null).ToArray();
        var column = DataColumn.Text("city", values);

        var histogram = ColumnHistograms.Compute(column, column, ColumnType.Categorical);

        Assert.Equal(21, histogram.BinCount);
        Assert.Equal("c24", histogram.Labels[0]);
        Assert.Equal("c5", histogram.Labels[19]);
        Assert.Equal(5, histogram.OtherCategories);
        Assert.StartsWith("other", histogram.Labels[20], StringComparison.Ordinal);
        var present = values.Count(v => v is not null);
        Assert.Equal((1 + 2 + 3 + 4 + 5) / (double)present, histogram.ReferenceShares[20], 12);
        Assert.Equal(1, histogram.ReferenceShares.Sum(), 12);
        Assert.Equal(1.0 / values.Length, histogram.ReferenceMissingShare, 12);
        Assert.Null(histogram.Edges);
    }

    [Fact]
    public void Compute_CategoryOnlyInCurrent_IsShownWithZeroReferenceShare()
    {
        var reference = DataColumn.Text("c", ["a", "a", "b"]);
        var current = DataColumn.Text("c", ["a", "new", "new", "new"]);

        var histogram = ColumnHistograms.Compute(reference, current, ColumnType.Categorical);

        var index = histogram.Labels.ToList().IndexOf("new");
        Assert.Equal(0, histogram.ReferenceShares[index]);
        Assert.Equal(0.75, histogram.CurrentShares[index]);
    }

    [Fact]
    public void Compute_BoolColumn_LabelsAsTrueFalse()
    {
        var reference = DataColumn.Numeric("flag", ColumnDtype.Bool, [1, 0, 1, 1]);
        var current = DataColumn.Numeric("flag", ColumnDtype.Bool, [0, 0, 1, 1]);

        var histogram = ColumnHistograms.Compute(reference, current, ColumnType.Categorical);

        Assert.Equal(["True", "False"], histogram.Labels);
        Assert.Equal([0.75, 0.25], histogram.ReferenceShares);
        Assert.Equal([0.5, 0.5], histogram.CurrentShares);
    }

    [Fact]
    public void Compute_NumericalTypeOnStrings_FallsBackToCategories()
    {
        var column = DataColumn.Text("s", ["1", "2", "2"]);

        var histogram = ColumnHistograms.Compute(column, column, ColumnType.Numerical);

        Assert.False(histogram.IsNumeric);
        Assert.Equal(["2", "1"], histogram.Labels);
    }

    [Fact]
    public void ForDrift_ColumnsMissingFromAFrame_AreSkipped()
    {
        var frame = new DataFrame([DataColumn.Numeric("a", ColumnDtype.Float64, [1, 2, 3])]);
        var drift = new DriftResult(3, 3,
            [
                new ColumnDriftResult("a", ColumnType.Numerical, true, 3, 3, 3, 3, 3, 3, 3, null),
                new ColumnDriftResult("ghost", ColumnType.Numerical, true, 3, 3, 3, 3, 3, 3, 3, null),
            ],
            new DatasetDriftResult(0.5, 2, 0, 0, false));

        var histograms = ColumnHistograms.ForDrift(frame, frame, drift);

        Assert.Equal(["a"], histograms.Keys);
    }
}
