using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

public sealed class ColumnTypingTests
{
    [Fact]
    public void Infer_Float_IsNumericalEvenWithFewValues()
    {
        Assert.Equal(ColumnType.Numerical, ColumnTyping.Infer(DataColumn.Numeric("x", ColumnDtype.Float64, [1, 1, double.NaN])));
    }

    [Theory]
    [InlineData(10, ColumnType.Categorical)]
    [InlineData(11, ColumnType.Numerical)]
    public void Infer_Integers_AreCategoricalUpToTenDistinctValues(int distinct, ColumnType expected)
    {
        var values = Enumerable.Range(0, 100).Select(i => (double)(i % distinct)).ToArray();
        Assert.Equal(expected, ColumnTyping.Infer(DataColumn.Numeric("x", ColumnDtype.Int64, values)));
    }

    [Fact]
    public void Infer_Bool_IsCategorical_AndBoolWithMissingIsUnknown()
    {
        Assert.Equal(ColumnType.Categorical, ColumnTyping.Infer(DataColumn.Numeric("x", ColumnDtype.Bool, [1, 0])));
        Assert.Equal(ColumnType.Unknown, ColumnTyping.Infer(DataColumn.Numeric("x", ColumnDtype.NullableBool, [1, double.NaN])));
    }

    [Fact]
    public void Infer_Strings_AreTextWhenMoreThanHalfAreDistinct()
    {
        // 2 distinct of 4 present is exactly half: categorical; 3 of 4 is text. Missing values do not count.
        Assert.Equal(ColumnType.Categorical, ColumnTyping.Infer(DataColumn.Text("x", ["a", "b", "a", null, "b"])));
        Assert.Equal(ColumnType.Text, ColumnTyping.Infer(DataColumn.Text("x", ["a", "b", "c", null, "a"])));
    }

    [Fact]
    public void Infer_NoStringAtAll_IsUnknown()
    {
        Assert.Equal(ColumnType.Unknown, ColumnTyping.Infer(DataColumn.Text("x", [null, null])));
        Assert.Equal(ColumnType.Unknown, ColumnTyping.Infer(DataColumn.Text("x", [])));
    }
}
