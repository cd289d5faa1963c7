using System.Text.Json;
using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

public static partial class ReportJson
{
    private static void WriteDrift(Utf8JsonWriter w, DriftResult drift)
    {
        w.WriteStartObject();
        w.WriteNumber("reference_rows", drift.ReferenceRows);
        w.WriteNumber("current_rows", drift.CurrentRows);
        var dataset = drift.Dataset;
        w.WriteStartObject("dataset");
        Number(w, "drift_share", dataset.DriftShare);
        w.WriteNumber("number_of_columns", dataset.NumberOfColumns);
        w.WriteNumber("number_of_drifted_columns", dataset.NumberOfDriftedColumns);
        Number(w, "share_of_drifted_columns", dataset.ShareOfDriftedColumns);
        w.WriteBoolean("dataset_drift", dataset.DatasetDrift);
        w.WriteString("rule", "dataset_drift = share_of_drifted_columns >= drift_share");
        w.WriteEndObject();

        w.WriteStartArray("columns");
        foreach (var column in drift.Columns)
            WriteColumn(w, column);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteColumn(Utf8JsonWriter w, ColumnDriftResult column)
    {
        w.WriteStartObject();
        w.WriteString("column", column.Column);
        w.WriteString("column_type", column.Type.WireName());
        w.WriteBoolean("checked", column.Checked);
        w.WriteNumber("n_reference_rows", column.ReferenceRows);
        w.WriteNumber("n_current_rows", column.CurrentRows);
        w.WriteNumber("n_reference_used", column.ReferenceUsed);
        w.WriteNumber("n_current_used", column.CurrentUsed);
        w.WriteNumber("n_unique_reference", column.UniqueReference);
        w.WriteNumber("n_unique_current", column.UniqueCurrent);
        w.WriteNumber("n_unique_combined", column.UniqueCombined);
        if (column.Error is { } error)
            w.WriteString("error", error);
        if (column.Drift is { } drift)
        {
            w.WritePropertyName("drift");
            WriteMethod(w, drift);
        }
        if (column.AllMethods is { Count: > 0 } all)
        {
            w.WriteStartObject("tests");
            foreach (var (name, result) in all)
            {
                w.WritePropertyName(name);
                WriteMethod(w, result);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteMethod(Utf8JsonWriter w, MethodResult result)
    {
        w.WriteStartObject();
        w.WriteString("test", result.Method);
        w.WriteString("display_name", result.DisplayName);
        Number(w, "score", result.Score);
        Number(w, "threshold", result.Threshold);
        w.WriteBoolean("drift_detected", result.DriftDetected);
        w.WriteString("rule", result.Rule.Text());
        if (result.Statistic is { } statistic)
            Number(w, "statistic", statistic);
        w.WriteBoolean("deterministic", result.Deterministic);
        w.WriteBoolean("registered_for_column_type", result.RegisteredForColumnType);
        if (result.Error is { } error)
            w.WriteString("error", error);
        w.WriteEndObject();
    }

    private static void WriteQuality(Utf8JsonWriter w, DataQualityResult quality)
    {
        w.WriteStartObject();
        w.WriteNumber("failed_checks", quality.FailedChecks);
        Strings(w, "missing_columns", quality.MissingColumns);
        Strings(w, "new_columns", quality.NewColumns);
        Strings(w, "type_changes", quality.TypeChanges);
        w.WriteStartArray("columns");
        foreach (var column in quality.Columns)
        {
            w.WriteStartObject();
            w.WriteString("column", column.Column);
            w.WriteString("column_type", column.Type.WireName());
            w.WriteNumber("rows", column.Rows);
            Number(w, "missing_share", column.MissingShare);
            Number(w, "reference_missing_share", column.ReferenceMissingShare);
            Number(w, "out_of_range_share", column.OutOfRangeShare);
            Number(w, "reference_min", column.ReferenceMin);
            Number(w, "reference_max", column.ReferenceMax);
            Number(w, "unseen_category_share", column.UnseenCategoryShare);
            Strings(w, "unseen_categories", column.UnseenCategories);
            Strings(w, "failures", column.Failures);
            w.WriteBoolean("failed", column.Failed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WritePerformance(Utf8JsonWriter w, PerformanceResult performance)
    {
        w.WriteStartObject();
        w.WriteString("task", performance.Task == PerformanceTask.Regression ? "regression" : "classification");
        w.WriteNumber("labelled_rows", performance.LabelledRows);
        w.WriteStartObject("metrics");
        foreach (var (name, value) in performance.Metrics)
            Number(w, name, value);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
