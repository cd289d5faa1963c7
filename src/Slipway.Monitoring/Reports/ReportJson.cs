using System.Text.Json;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Writes a <see cref="ReportDocument"/> as JSON with snake_case keys, every figure the report holds, and the names of
/// Evidently's conformance files where they overlap (<c>n_reference_used</c>, <c>drift_detected</c>, <c>rule</c>…).
/// Finite doubles round-trip exactly; NaN and ±Infinity are the strings <c>"NaN"</c>, <c>"Infinity"</c> and
/// <c>"-Infinity"</c>, which <c>JsonNumberHandling.AllowNamedFloatingPointLiterals</c> reads back.
/// </summary>
public static partial class ReportJson
{
    public static void Write(Stream stream, ReportDocument report)
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("title", report.Title);
        w.WriteString("created_at", report.CreatedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
        w.WriteStartObject("metadata");
        foreach (var (key, value) in report.Metadata)
            w.WriteString(key, value);
        w.WriteEndObject();

        if (report.FeatureDrift is { } features)
        {
            w.WritePropertyName("feature_drift");
            WriteDrift(w, features);
        }
        if (report.PredictionDrift is { } predictions)
        {
            w.WritePropertyName("prediction_drift");
            WriteDrift(w, predictions);
        }
        if (report.Quality is { } quality)
        {
            w.WritePropertyName("data_quality");
            WriteQuality(w, quality);
        }
        if (report.Performance is { } performance)
        {
            w.WritePropertyName("performance");
            WritePerformance(w, performance);
        }

        w.WriteStartObject("histograms");
        foreach (var (column, histogram) in report.Histograms)
        {
            w.WritePropertyName(column);
            WriteHistogram(w, histogram);
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteHistogram(Utf8JsonWriter w, ColumnHistogram histogram)
    {
        w.WriteStartObject();
        w.WriteString("column_type", histogram.Type.WireName());
        w.WriteString("kind", histogram.IsNumeric ? "equal_width" : "categories");
        w.WriteNumber("reference_values", histogram.ReferenceValues);
        w.WriteNumber("current_values", histogram.CurrentValues);
        Number(w, "reference_missing_share", histogram.ReferenceMissingShare);
        Number(w, "current_missing_share", histogram.CurrentMissingShare);
        if (histogram.Edges is { } edges)
            Numbers(w, "edges", edges);
        else
            w.WriteNumber("other_categories", histogram.OtherCategories);
        w.WriteStartArray("labels");
        foreach (var label in histogram.Labels)
            w.WriteStringValue(label);
        w.WriteEndArray();
        Numbers(w, "reference_shares", histogram.ReferenceShares);
        Numbers(w, "current_shares", histogram.CurrentShares);
        w.WriteEndObject();
    }

    /// <summary>A double that survives the trip: shortest round-trip form when finite, a named literal otherwise.</summary>
    internal static void NumberValue(Utf8JsonWriter w, double value)
    {
        if (double.IsFinite(value))
            w.WriteNumberValue(value);
        else
            w.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        NumberValue(w, value);
    }

    private static void Number(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } number)
            Number(w, name, number);
        else
            w.WriteNull(name);
    }

    private static void Numbers(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            NumberValue(w, value);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
            w.WriteStringValue(value);
        w.WriteEndArray();
    }
}
