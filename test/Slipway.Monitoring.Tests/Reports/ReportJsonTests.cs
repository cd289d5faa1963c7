using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

public sealed class ReportJsonTests
{
    private static readonly JsonSerializerOptions NamedLiterals = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    [Fact]
    public void Write_DriftColumns_EveryFigureRoundTrips()
    {
        var report = SampleReports.Full();
        using var json = Write(report);
        var columns = json.RootElement.GetProperty("feature_drift").GetProperty("columns").EnumerateArray().ToList();

        Assert.Equal(report.FeatureDrift!.Columns.Count, columns.Count);
        foreach (var (expected, actual) in report.FeatureDrift.Columns.Zip(columns))
        {
            Assert.Equal(expected.Column, actual.GetProperty("column").GetString());
            Assert.Equal(expected.Type.WireName(), actual.GetProperty("column_type").GetString());
            Assert.Equal(expected.Checked, actual.GetProperty("checked").GetBoolean());
            Assert.Equal(expected.ReferenceRows, actual.GetProperty("n_reference_rows").GetInt32());
            Assert.Equal(expected.CurrentRows, actual.GetProperty("n_current_rows").GetInt32());
            Assert.Equal(expected.ReferenceUsed, actual.GetProperty("n_reference_used").GetInt32());
            Assert.Equal(expected.CurrentUsed, actual.GetProperty("n_current_used").GetInt32());
            Assert.Equal(expected.UniqueReference, actual.GetProperty("n_unique_reference").GetInt32());
            Assert.Equal(expected.UniqueCurrent, actual.GetProperty("n_unique_current").GetInt32());
            Assert.Equal(expected.UniqueCombined, actual.GetProperty("n_unique_combined").GetInt32());
            Assert.Equal(expected.Error, actual.TryGetProperty("error", out var error) ? error.GetString() : (string?)null);
            if (expected.Drift is null)
                Assert.False(actual.TryGetProperty("drift", out _));
            else
                AssertMethod(expected.Drift, actual.GetProperty("drift"));
            foreach (var (name, method) in expected.AllMethods ?? new Dictionary<string, MethodResult>())
                AssertMethod(method, actual.GetProperty("tests").GetProperty(name));
        }
    }

    [Fact]
    public void Write_DatasetBlock_HasEvidentlyFields()
    {
        var report = SampleReports.Full();
        using var json = Write(report);
        var dataset = json.RootElement.GetProperty("feature_drift").GetProperty("dataset");
        var expected = report.FeatureDrift!.Dataset;

        Assert.Equal(expected.DriftShare, Number(dataset.GetProperty("drift_share")));
        Assert.Equal(expected.NumberOfColumns, dataset.GetProperty("number_of_columns").GetInt32());
        Assert.Equal(expected.NumberOfDriftedColumns, dataset.GetProperty("number_of_drifted_columns").GetInt32());
        Assert.Equal(expected.ShareOfDriftedColumns, Number(dataset.GetProperty("share_of_drifted_columns")));
        Assert.True(dataset.GetProperty("dataset_drift").GetBoolean());
        Assert.Equal(1, json.RootElement.GetProperty("prediction_drift").GetProperty("columns").GetArrayLength());
    }

    [Fact]
    public void Write_NonFiniteNumbers_AreNamedStrings()
    {
        using var stream = new MemoryStream();
        ReportJson.Write(stream, SampleReports.Full());
        var text = System.Text.Encoding.UTF8.GetString(stream.ToArray());

        Assert.Contains("\"score\": \"NaN\"", text, StringComparison.Ordinal);
        Assert.Contains("\"score\": \"Infinity\"", text, StringComparison.Ordinal);
        Assert.Contains("\"statistic\": \"-Infinity\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_QualityPerformanceHistograms_RoundTrip()
    {
        var report = SampleReports.Full();
        using var json = Write(report);
        var root = json.RootElement;

        var quality = root.GetProperty("data_quality");
        Assert.Equal(report.Quality!.FailedChecks, quality.GetProperty("failed_checks").GetInt32());
        var age = quality.GetProperty("columns")[0];
        Assert.Equal(0.8, Number(age.GetProperty("out_of_range_share")));
        Assert.Equal(JsonValueKind.Null, age.GetProperty("unseen_category_share").ValueKind);
        Assert.Equal("<img src=x onerror=alert(2)>", quality.GetProperty("new_columns")[0].GetString());

        var metrics = root.GetProperty("performance").GetProperty("metrics");
        foreach (var (name, value) in report.Performance!.Metrics)
            Assert.Equal(value, Number(metrics.GetProperty(name)));

        foreach (var (column, histogram) in report.Histograms)
        {
            var written = root.GetProperty("histograms").GetProperty(column);
            Assert.Equal(histogram.ReferenceShares, written.GetProperty("reference_shares").EnumerateArray().Select(Number));
            Assert.Equal(histogram.CurrentShares, written.GetProperty("current_shares").EnumerateArray().Select(Number));
            Assert.Equal(histogram.Labels, written.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!));
            Assert.Equal(histogram.ReferenceMissingShare, Number(written.GetProperty("reference_missing_share")));
            if (histogram.Edges is { } edges)
                Assert.Equal(edges, written.GetProperty("edges").EnumerateArray().Select(Number));
        }
    }

    [Fact]
    public void Write_Keys_AreSnakeCase()
    {
        using var json = Write(SampleReports.Full());
        // Maps keyed by data (column names, method names, metric names, metadata) keep their keys as given.
        var dataKeyed = new HashSet<string> { "metadata", "histograms", "tests", "metrics" };
        var keys = new List<string>();
        Collect(json.RootElement, keys, dataKeyed);

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Matches("^[a-z][a-z_]*$", key));
    }

    private static void AssertMethod(MethodResult expected, JsonElement actual)
    {
        Assert.Equal(expected.Method, actual.GetProperty("test").GetString());
        Assert.Equal(expected.DisplayName, actual.GetProperty("display_name").GetString());
        Assert.Equal(expected.Score, Number(actual.GetProperty("score")));
        Assert.Equal(expected.Threshold, Number(actual.GetProperty("threshold")));
        Assert.Equal(expected.DriftDetected, actual.GetProperty("drift_detected").GetBoolean());
        Assert.Equal(expected.Rule.Text(), actual.GetProperty("rule").GetString());
        Assert.Equal(expected.Statistic, actual.TryGetProperty("statistic", out var statistic) ? Number(statistic) : (double?)null);
        Assert.Equal(expected.Deterministic, actual.GetProperty("deterministic").GetBoolean());
        Assert.Equal(expected.RegisteredForColumnType, actual.GetProperty("registered_for_column_type").GetBoolean());
        Assert.Equal(expected.Error, actual.TryGetProperty("error", out var error) ? error.GetString() : (string?)null);
    }

    /// <summary>Reads a number the way the format promises a consumer can: plain or as a named literal.</summary>
    private static double Number(JsonElement element) => element.Deserialize<double>(NamedLiterals);

    private static JsonDocument Write(ReportDocument report)
    {
        using var stream = new MemoryStream();
        ReportJson.Write(stream, report);
        return JsonDocument.Parse(stream.ToArray());
    }

    private static void Collect(JsonElement element, List<string> keys, HashSet<string> dataKeyed)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
                Collect(item, keys, dataKeyed);
        }
        else if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                keys.Add(property.Name);
                if (!dataKeyed.Contains(property.Name))
                    Collect(property.Value, keys, dataKeyed);
                else if (property.Name is "histograms" or "tests")
                    foreach (var inner in property.Value.EnumerateObject())
                        Collect(inner.Value, keys, dataKeyed);
            }
        }
    }
}
