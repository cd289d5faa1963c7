using System.Globalization;
using System.Text.Json;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

/// <summary>
/// Compares one drift result with a conformance case's <c>expected.json</c> and collects every mismatch as a line.
/// Exact: dtypes, types, flags, counts, method names, thresholds, verdicts, the dataset block. Within tolerance:
/// scores (closed form rtol 1e-9, p-values rtol 1e-6, both atol 1e-12); NaN must be NaN.
/// </summary>
internal sealed partial class DriftConformanceComparer(string caseName)
{
    public List<string> Mismatches { get; } = [];

    public void Compare(JsonElement expected, DataFrame reference, DataFrame current, DriftResult result)
    {
        var order = expected.GetProperty("column_order").EnumerateArray().Select(e => e.GetString()!).ToList();
        var actualOrder = result.Columns.Select(c => c.Column).ToList();
        if (!order.SequenceEqual(actualOrder))
            Fail("(columns)", $"order [{string.Join(", ", actualOrder)}], expected [{string.Join(", ", order)}]");
        Same("(rows)", "reference_rows", result.ReferenceRows, expected.GetProperty("reference_rows").GetInt32());
        Same("(rows)", "current_rows", result.CurrentRows, expected.GetProperty("current_rows").GetInt32());

        foreach (var column in expected.GetProperty("columns").EnumerateObject())
        {
            var actual = result.Columns.FirstOrDefault(c => c.Column == column.Name);
            if (actual is null)
            {
                Fail(column.Name, "missing from the result");
                continue;
            }
            CompareDtypes(column.Name, column.Value.GetProperty("pandas_dtype"), reference, current);
            CompareColumn(column.Name, column.Value, actual);
        }
        CompareDataset(expected.GetProperty("dataset"), result.Dataset);
    }

    private void CompareDtypes(string column, JsonElement expected, DataFrame reference, DataFrame current)
    {
        Same(column, "pandas_dtype.reference", PandasName(reference.Find(column)?.Dtype), expected.GetProperty("reference").GetString());
        Same(column, "pandas_dtype.current", PandasName(current.Find(column)?.Dtype), expected.GetProperty("current").GetString());
    }

    private static string? PandasName(ColumnDtype? dtype) => dtype switch
    {
        ColumnDtype.Int64 => "int64",
        ColumnDtype.Float64 => "float64",
        ColumnDtype.Bool => "bool",
        ColumnDtype.NullableBool or ColumnDtype.String => "object",
        _ => null,
    };

    private void CompareColumn(string column, JsonElement expected, ColumnDriftResult actual)
    {
        Same(column, "column_type", actual.Type.WireName(), expected.GetProperty("column_type").GetString());
        Same(column, "checked", actual.Checked, expected.GetProperty("checked").GetBoolean());
        Same(column, "n_reference_rows", actual.ReferenceRows, expected.GetProperty("n_reference_rows").GetInt32());
        Same(column, "n_current_rows", actual.CurrentRows, expected.GetProperty("n_current_rows").GetInt32());
        Same(column, "n_reference_used", actual.ReferenceUsed, expected.GetProperty("n_reference_used").GetInt32());
        Same(column, "n_current_used", actual.CurrentUsed, expected.GetProperty("n_current_used").GetInt32());
        Same(column, "n_unique_reference", actual.UniqueReference, expected.GetProperty("n_unique_reference").GetInt32());
        Same(column, "n_unique_current", actual.UniqueCurrent, expected.GetProperty("n_unique_current").GetInt32());
        Same(column, "n_unique_combined", actual.UniqueCombined, expected.GetProperty("n_unique_combined").GetInt32());

        if (expected.TryGetProperty("default", out var expectedDefault) && expectedDefault.ValueKind == JsonValueKind.Object)
        {
            if (actual.Drift is null)
            {
                Fail(column, $"default: no result ({actual.Error}), expected {expectedDefault.GetProperty("test").GetString()}");
            }
            else
            {
                Same(column, "default.test", actual.Drift.Method, expectedDefault.GetProperty("test").GetString());
                CompareScored(column, $"default {actual.Drift.Method}", expectedDefault, actual.Drift, deterministic: true);
            }
        }
        if (expected.TryGetProperty("tests", out var tests))
            CompareTests(column, tests, actual);
    }

    private void CompareDataset(JsonElement expected, DatasetDriftResult actual)
    {
        Same("(dataset)", "drift_share", actual.DriftShare, expected.GetProperty("drift_share").GetDouble());
        Same("(dataset)", "number_of_columns", actual.NumberOfColumns, expected.GetProperty("number_of_columns").GetInt32());
        Same("(dataset)", "number_of_drifted_columns", actual.NumberOfDriftedColumns, expected.GetProperty("number_of_drifted_columns").GetInt32());
        Same("(dataset)", "share_of_drifted_columns", actual.ShareOfDriftedColumns, expected.GetProperty("share_of_drifted_columns").GetDouble());
        Same("(dataset)", "dataset_drift", actual.DatasetDrift, expected.GetProperty("dataset_drift").GetBoolean());
    }

    private void Same<T>(string column, string field, T actual, T expected)
    {
        if (!EqualityComparer<T>.Default.Equals(actual, expected))
            Fail(column, $"{field} = {Show(actual)}, expected {Show(expected)}");
    }

    private void Fail(string column, string message) => Mismatches.Add($"  {caseName}/{column}: {message}");

    private static string Show<T>(T value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };
}
