using Slipway.Monitoring.Data;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Quality;

public sealed class DataQualityCalculatorTests
{
    private static readonly DataQualityOptions Defaults = new();

    [Fact]
    public void Compute_MissingShareRisesPastTheAllowance_FailsWithReadableMessage()
    {
        var reference = Frame(Float("x", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var current = Frame(Float("x", 1, double.NaN, 3, double.NaN, 5, 6, double.NaN, 8, 9, 10));

        var column = Single(reference, current, ColumnType.Numerical);

        Assert.Equal(0.3, column.MissingShare, 12);
        Assert.Equal(0, column.ReferenceMissingShare);
        Assert.Equal(["missing share 0.30 (reference 0.00, allowed increase 0.05)"], column.Failures);
    }

    [Fact]
    public void Compute_MissingShareRisesExactlyByTheAllowance_Passes()
    {
        var reference = Frame(Float("x", [double.NaN, double.NaN, .. Enumerable.Range(0, 18).Select(i => (double)i)]));
        var current = Frame(Float("x", [double.NaN, double.NaN, double.NaN, .. Enumerable.Range(0, 17).Select(i => (double)i)]));

        var column = Single(reference, current, ColumnType.Numerical);

        Assert.Equal(0.15, column.MissingShare, 12);
        Assert.Equal(0.10, column.ReferenceMissingShare, 12);
        Assert.Empty(column.Failures);
    }

    [Fact]
    public void Compute_CurrentColumnAllMissing_ReportsShareOneAndFailsWithoutATypeChange()
    {
        var reference = Frame(DataColumn.Text("city", ["Oslo", "Rome", null]));
        var current = Frame(Float("city", double.NaN, double.NaN));

        var result = DataQualityCalculator.Compute(reference, current, new Dictionary<string, ColumnType> { ["city"] = ColumnType.Categorical }, Defaults);

        var column = Assert.Single(result.Columns);
        Assert.Equal(1, column.MissingShare);
        Assert.Null(column.UnseenCategoryShare);
        Assert.Equal(["all 2 values missing (reference missing share 0.3333)"], column.Failures);
        Assert.Empty(result.TypeChanges);
        Assert.Equal(1, result.FailedChecks);
    }

    [Fact]
    public void Compute_NumericValuesOutsideTheReferenceRange_CountsThemOverPresentValues()
    {
        var reference = Frame(Float("x", 0, 10, 5, double.PositiveInfinity, double.NaN));
        var current = Frame(Float("x", -1, 5, 11, double.PositiveInfinity, double.NaN, 0, 10, 3));

        var column = Single(reference, current, ColumnType.Numerical);

        Assert.Equal(0d, column.ReferenceMin);
        Assert.Equal(10d, column.ReferenceMax);
        Assert.Equal(3.0 / 7, column.OutOfRangeShare!.Value, 12);
        Assert.Null(column.UnseenCategoryShare);
        Assert.Contains("out of range share 0.4286 (reference range 0 to 10, allowed 0.05)", column.Failures);
    }

    [Fact]
    public void Compute_CategoriesTheReferenceNeverHad_ListsThemMostFrequentFirst()
    {
        var reference = Frame(DataColumn.Text("c", ["a", "b", "c"]));
        var current = Frame(DataColumn.Text("c", ["a", "e", "d", "d", null]));

        var column = Single(reference, current, ColumnType.Categorical);

        Assert.Equal(0.75, column.UnseenCategoryShare);
        Assert.Equal(["d", "e"], column.UnseenCategories);
        Assert.Null(column.OutOfRangeShare);
        Assert.Contains("unseen category share 0.75 (allowed 0.05): 'd', 'e'", column.Failures);
    }

    [Fact]
    public void Compute_NumericCategoriesOfDifferentDtypes_CompareByValueAndListAtMostTen()
    {
        var reference = Frame(DataColumn.Numeric("k", ColumnDtype.Int64, [1, 2, 3]));
        var current = Frame(Float("k", [1.0, 2.0, 2.5, 2.5, .. Enumerable.Range(10, 12).Select(i => (double)i)]));

        var column = Single(reference, current, ColumnType.Categorical);

        Assert.Equal(14.0 / 16, column.UnseenCategoryShare!.Value, 12);
        Assert.Equal(["2.5", "10", "11", "12", "13", "14", "15", "16", "17", "18"], column.UnseenCategories);
    }

    [Fact]
    public void Compute_SchemaDiffers_ReportsMissingNewAndRetypedColumns()
    {
        var reference = Frame(Float("a", 1, 2), Float("b", 1, 2), DataColumn.Text("c", ["x", "y"]), DataColumn.Text("t", ["one two", "three"]));
        var current = Frame(DataColumn.Text("a", ["1", "two"]), DataColumn.Text("c", ["x", "y"]), Float("d", 1, 2), DataColumn.Text("t", [null, "four"]));
        var types = new Dictionary<string, ColumnType> { ["a"] = ColumnType.Numerical, ["b"] = ColumnType.Numerical, ["c"] = ColumnType.Categorical, ["t"] = ColumnType.Text };

        var result = DataQualityCalculator.Compute(reference, current, types, Defaults);

        Assert.Equal(["b"], result.MissingColumns);
        Assert.Equal(["d"], result.NewColumns);
        Assert.Equal(["a: numeric in reference, string in current"], result.TypeChanges);
        Assert.Equal(["a", "c", "t"], result.Columns.Select(c => c.Column));
        var text = result.Columns.Single(c => c.Column == "t");
        Assert.Equal(0.5, text.MissingShare);
        Assert.Null(text.OutOfRangeShare);
        Assert.Null(text.UnseenCategoryShare);
        // b is missing, a changed type and t lost half its values.
        Assert.Equal(3, result.FailedChecks);
    }

    [Fact]
    public void Compute_EmptyCurrentWindow_HasNoFailures()
    {
        var column = Single(Frame(Float("x", 1, 2)), Frame(Float("x")), ColumnType.Numerical);

        Assert.Equal(0, column.Rows);
        Assert.Equal(0, column.MissingShare);
        Assert.Null(column.OutOfRangeShare);
        Assert.Empty(column.Failures);
    }

    private static ColumnQuality Single(DataFrame reference, DataFrame current, ColumnType type)
    {
        var result = DataQualityCalculator.Compute(reference, current, new Dictionary<string, ColumnType> { [reference.Columns[0].Name] = type }, Defaults);
        return Assert.Single(result.Columns);
    }

    private static DataFrame Frame(params DataColumn[] columns) => new(columns);

    private static DataColumn Float(string name, params double[] values) => DataColumn.Numeric(name, ColumnDtype.Float64, values);
}
