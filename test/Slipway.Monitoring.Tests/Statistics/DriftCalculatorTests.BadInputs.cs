using System.Text;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

/// <summary>What happens to data that cannot be tested: the column is reported, not checked, with a reason; nothing throws.</summary>
public sealed partial class DriftCalculatorTests
{
    [Fact]
    public void Compute_EmptyCurrentWindowFromCsv_ChecksNothingWithoutThrowing()
    {
        var reference = Frame(Num("a", Spread), Cycle("c", "x", "y"));
        var current = CsvFrameReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("a,c\n")), "empty.csv");

        var result = DriftCalculator.Compute(reference, current, new DriftOptions());

        Assert.All(result.Columns, c =>
        {
            Assert.False(c.Checked);
            Assert.NotNull(c.Error);
            Assert.Null(c.Drift);
        });
        Assert.Equal(new DatasetDriftResult(0.5, 0, 0, 0, false), result.Dataset);
    }

    [Fact]
    public void Compute_EmptyNumericWindow_SaysWhichSideIsEmpty()
    {
        var column = Assert.Single(DriftCalculator.Compute(Frame(Num("a", Spread)), Frame(Num("a")), new DriftOptions()).Columns);
        Assert.False(column.Checked);
        Assert.Contains("no values in the current data", column.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_AllMissingOrInfiniteColumn_IsNotChecked()
    {
        var current = Frame(Num("a", double.NaN, double.PositiveInfinity, double.NegativeInfinity), Num("b", 1, 2, 3));
        var result = DriftCalculator.Compute(Frame(Num("a", Spread), Num("b", Spread)), current, new DriftOptions());

        var a = result.Columns[0];
        Assert.False(a.Checked);
        Assert.Equal((3, 0), (a.CurrentRows, a.CurrentUsed));
        Assert.True(result.Columns[1].Checked);
        Assert.Equal(1, result.Dataset.NumberOfColumns);
    }

    [Fact]
    public void Compute_MissingAndInfinity_AreDroppedFromEachSideOnItsOwn()
    {
        var reference = Num("a", [.. Spread, double.NaN, double.PositiveInfinity]);
        var current = Num("a", [.. Spread.Take(30), double.NegativeInfinity]);

        var column = DriftCalculator.Compute(Frame(reference), Frame(current), new DriftOptions()).Columns[0];

        Assert.Equal((42, 31, 40, 30), (column.ReferenceRows, column.CurrentRows, column.ReferenceUsed, column.CurrentUsed));
        Assert.Equal((40, 30, 40), (column.UniqueReference, column.UniqueCurrent, column.UniqueCombined));
    }

    [Fact]
    public void Compute_TextInANumericalColumnOfTheReference_IsNotChecked()
    {
        // The current data types the column (numbers: numerical); Evidently refuses a reference holding text there.
        var reference = Frame(Str("a", [.. Spread.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), "oops"]));
        var column = DriftCalculator.Compute(reference, Frame(Num("a", Spread)), new DriftOptions()).Columns[0];

        Assert.Equal(ColumnType.Numerical, column.Type);
        Assert.False(column.Checked);
        Assert.Contains("reference data holds non-numeric values", column.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_TextInANumericColumnOfTheCurrentData_TypesTheColumnFromThatText()
    {
        // One stray word makes the whole current column strings (as in pandas); mostly distinct values make it text,
        // which is not tested. The reference numbers are counted by their text, so 40 values plus "oops" are 41.
        var current = Frame(Str("a", [.. Spread.Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)).Skip(1), "oops"]));
        var column = DriftCalculator.Compute(Frame(Num("a", Spread)), current, new DriftOptions()).Columns[0];

        Assert.Equal(ColumnType.Text, column.Type);
        Assert.False(column.Checked);
        Assert.Equal((40, 40, 41), (column.UniqueReference, column.UniqueCurrent, column.UniqueCombined));
    }

    [Fact]
    public void Compute_TextColumn_IsNotCheckedAndLeftOutOfTheShare()
    {
        var text = Str("note", Spread.Select(v => $"note {v}").ToArray());
        var result = DriftCalculator.Compute(Frame(text, Num("x", Spread)), Frame(text, Num("x", Spread)), new DriftOptions());

        Assert.Equal(ColumnType.Text, result.Columns[0].Type);
        Assert.False(result.Columns[0].Checked);
        Assert.Contains("text drift is not supported", result.Columns[0].Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Dataset.NumberOfColumns);
    }

    [Fact]
    public void Compute_TrueFalseWithMissingValues_IsUnknownAndNotChecked()
    {
        var flags = DataColumn.Numeric("flag", ColumnDtype.NullableBool, [1, 0, double.NaN, 1]);
        var column = DriftCalculator.Compute(Frame(flags), Frame(flags), new DriftOptions()).Columns[0];

        Assert.Equal(ColumnType.Unknown, column.Type);
        Assert.False(column.Checked);
        Assert.Equal(3, column.CurrentUsed);
    }

    [Fact]
    public void Compute_MethodRefusingTheData_RecordsItsErrorAndLeavesTheColumnUnchecked()
    {
        var reference = Frame(Str("c", "x", "y", "x", "y"));
        var current = Frame(Str("c", "x", "y", "x", "y", "x", "y"));
        var options = new DriftOptions { ColumnMethods = new Dictionary<string, string> { ["c"] = "g_test" } };

        var column = DriftCalculator.Compute(reference, current, options).Columns[0];

        Assert.False(column.Checked);
        Assert.NotNull(column.Drift!.Error);
        Assert.True(double.IsNaN(column.Drift.Score));
        Assert.False(column.Drift.DriftDetected);
        Assert.Equal(column.Drift.Error, column.Error);
    }

    [Fact]
    public void Compute_CategoricalNumbersAgainstText_ComparesTheValuesAsText()
    {
        var reference = Frame(Int("code", 1, 2, 1, 2));
        var current = Frame(Str("code", "1", "2", "2", "2"));

        var column = DriftCalculator.Compute(reference, current, new DriftOptions()).Columns[0];

        Assert.Equal(ColumnType.Categorical, column.Type);
        Assert.Equal(2, column.UniqueCombined);
        Assert.True(column.Checked);
    }

    [Fact]
    public void Compute_RunAllMethods_AddsTheDefaultEvenWhereItIsNotRegistered()
    {
        var binary = Num("b", 0, 1, 0, 1, 1);
        var column = DriftCalculator.Compute(Frame(binary), Frame(binary), new DriftOptions { RunAllMethods = true }).Columns[0];

        Assert.Equal("z", column.Drift!.Method);
        Assert.False(column.Drift.RegisteredForColumnType);
        Assert.False(column.AllMethods!["z"].RegisteredForColumnType);
        Assert.True(column.AllMethods["ks"].RegisteredForColumnType);
        Assert.DoesNotContain("chisquare", column.AllMethods.Keys);
        Assert.Contains("psi", column.AllMethods.Keys);
    }

    [Fact]
    public void Compute_DatasetDrift_IsTheShareOfDriftedCheckedColumnsAtLeastDriftShare()
    {
        var shifted = Spread.Select(v => v + 100).ToArray();
        var reference = Frame(Num("a", Spread), Num("b", Spread), Num("c", Spread), Num("d", Spread));
        var current = Frame(Num("a", shifted), Num("b", shifted), Num("c", Spread), Num("d", Spread));

        Assert.Equal(new DatasetDriftResult(0.5, 4, 2, 0.5, true), DriftCalculator.Compute(reference, current, new DriftOptions()).Dataset);
        Assert.False(DriftCalculator.Compute(reference, current, new DriftOptions { DriftShare = 0.75 }).Dataset.DatasetDrift);
    }
}
