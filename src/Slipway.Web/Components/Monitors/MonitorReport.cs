using System.Globalization;
using System.Text.Json;

namespace Slipway.Web.Components.Monitors;

/// <summary>One tested column of a drift section: its type, the test that decided, score, threshold and verdict.</summary>
public sealed record ColumnDrift(string Column, string Type, bool Checked, string? Method, double Score, double Threshold, bool Drifted, int CurrentUsed, string? Error);

/// <summary>A drift section: the dataset verdict and every column.</summary>
public sealed record DriftSection(double DriftShare, int Columns, int DriftedColumns, double ShareOfDrifted, bool DatasetDrift, IReadOnlyList<ColumnDrift> ColumnResults);

/// <summary>One column's data quality in the current window against the reference.</summary>
public sealed record ColumnQualityFigures(
    string Column, string Type, long Rows, double MissingShare, double ReferenceMissingShare, double? OutOfRangeShare, double? UnseenCategoryShare, IReadOnlyList<string> Failures);

/// <summary>The data-quality section: per-column figures and schema changes.</summary>
public sealed record QualitySection(int FailedChecks, IReadOnlyList<ColumnQualityFigures> Columns, IReadOnlyList<string> MissingColumns, IReadOnlyList<string> NewColumns, IReadOnlyList<string> TypeChanges);

/// <summary>Model performance over the labelled rows of the window.</summary>
public sealed record PerformanceSection(string Task, long LabelledRows, IReadOnlyDictionary<string, double> Metrics);

/// <summary>Reference and current shares of one column on shared bins.</summary>
public sealed record HistogramFigures(string Column, string Kind, IReadOnlyList<string> Labels, IReadOnlyList<double> ReferenceShares, IReadOnlyList<double> CurrentShares,
    double ReferenceMissingShare, double CurrentMissingShare);

/// <summary>
/// A monitor run's stored JSON report (<c>ReportJson</c>'s format, the run record's <c>Result</c>) read back for the
/// page. Only the figures the page shows are kept; NaN and ±Infinity arrive as the strings the writer uses for them.
/// </summary>
public sealed record MonitorReport(
    IReadOnlyDictionary<string, string> Metadata,
    DriftSection? FeatureDrift,
    DriftSection? PredictionDrift,
    QualitySection? Quality,
    PerformanceSection? Performance,
    IReadOnlyDictionary<string, HistogramFigures> Histograms)
{
    public static MonitorReport Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in meta.EnumerateObject())
                metadata[item.Name] = item.Value.ToString();
        }
        var histograms = new Dictionary<string, HistogramFigures>(StringComparer.Ordinal);
        if (root.TryGetProperty("histograms", out var all) && all.ValueKind == JsonValueKind.Object)
        {
            foreach (var item in all.EnumerateObject())
            {
                if (Section(all, item.Name, h => ReadHistogram(item.Name, h)) is { } histogram)
                    histograms[item.Name] = histogram;
            }
        }
        return new MonitorReport(
            metadata,
            Section(root, "feature_drift", ReadDrift),
            Section(root, "prediction_drift", ReadDrift),
            Section(root, "data_quality", ReadQuality),
            Section(root, "performance", ReadPerformance),
            histograms);
    }

    /// <summary>One section, or null when it is absent or not in the shape this page knows (a report written by an
    /// older or newer version): the other sections of the report still show.</summary>
    private static T? Section<T>(JsonElement root, string name, Func<JsonElement, T> read) where T : class
    {
        if (!root.TryGetProperty(name, out var section) || section.ValueKind != JsonValueKind.Object)
            return null;
        try
        {
            return read(section);
        }
        catch (Exception exception) when (exception is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static DriftSection ReadDrift(JsonElement section)
    {
        var dataset = section.GetProperty("dataset");
        var columns = section.GetProperty("columns").EnumerateArray().Select(c =>
        {
            var drift = c.TryGetProperty("drift", out var d) ? d : (JsonElement?)null;
            return new ColumnDrift(
                c.GetProperty("column").GetString()!,
                c.GetProperty("column_type").GetString()!,
                c.GetProperty("checked").GetBoolean(),
                drift?.GetProperty("display_name").GetString(),
                drift is { } m ? Number(m.GetProperty("score")) : double.NaN,
                drift is { } t ? Number(t.GetProperty("threshold")) : double.NaN,
                drift is { } v && v.GetProperty("drift_detected").GetBoolean(),
                c.GetProperty("n_current_used").GetInt32(),
                c.TryGetProperty("error", out var e) ? e.GetString() : drift is { } x && x.TryGetProperty("error", out var me) ? me.GetString() : null);
        }).ToList();
        return new DriftSection(
            Number(dataset.GetProperty("drift_share")),
            dataset.GetProperty("number_of_columns").GetInt32(),
            dataset.GetProperty("number_of_drifted_columns").GetInt32(),
            Number(dataset.GetProperty("share_of_drifted_columns")),
            dataset.GetProperty("dataset_drift").GetBoolean(),
            columns);
    }

    private static QualitySection ReadQuality(JsonElement section) => new(
        section.GetProperty("failed_checks").GetInt32(),
        section.GetProperty("columns").EnumerateArray().Select(c => new ColumnQualityFigures(
            c.GetProperty("column").GetString()!,
            c.GetProperty("column_type").GetString()!,
            c.GetProperty("rows").GetInt64(),
            Number(c.GetProperty("missing_share")),
            Number(c.GetProperty("reference_missing_share")),
            OptionalNumber(c, "out_of_range_share"),
            OptionalNumber(c, "unseen_category_share"),
            Strings(c.GetProperty("failures")))).ToList(),
        Strings(section.GetProperty("missing_columns")),
        Strings(section.GetProperty("new_columns")),
        Strings(section.GetProperty("type_changes")));

    private static PerformanceSection ReadPerformance(JsonElement section) => new(
        section.GetProperty("task").GetString()!,
        section.GetProperty("labelled_rows").GetInt64(),
        section.GetProperty("metrics").EnumerateObject().ToDictionary(m => m.Name, m => Number(m.Value), StringComparer.Ordinal));

    private static HistogramFigures ReadHistogram(string column, JsonElement h) => new(
        column,
        h.GetProperty("kind").GetString()!,
        Strings(h.GetProperty("labels")),
        h.GetProperty("reference_shares").EnumerateArray().Select(Number).ToList(),
        h.GetProperty("current_shares").EnumerateArray().Select(Number).ToList(),
        Number(h.GetProperty("reference_missing_share")),
        Number(h.GetProperty("current_missing_share")));

    /// <summary>A number, or one of the strings <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c> the writer uses for the others.</summary>
    internal static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) ? parsed : double.NaN,
        _ => double.NaN,
    };

    private static double? OptionalNumber(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Number(value) : null;

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(s => s.GetString() ?? "").ToList();
}
