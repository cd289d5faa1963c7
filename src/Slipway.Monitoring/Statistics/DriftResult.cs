namespace Slipway.Monitoring.Statistics;

/// <summary>One method's verdict on one column; <see cref="Error"/> is set (and the score NaN) where the method refused the inputs.</summary>
public sealed record MethodResult(
    string Method,
    string DisplayName,
    double Score,
    double Threshold,
    bool DriftDetected,
    DriftRule Rule,
    string? Error = null,
    double? Statistic = null,
    bool Deterministic = true,
    bool RegisteredForColumnType = true);

/// <summary>
/// One column's drift: its inferred type, whether it was tested (<see cref="Checked"/> is false for
/// <see cref="ColumnType.Unknown"/> columns or when it could not be tested, with <see cref="Error"/> saying why),
/// the row counts before and after cleaning, and the chosen method's result.
/// </summary>
public sealed record ColumnDriftResult(
    string Column,
    ColumnType Type,
    bool Checked,
    int ReferenceRows,
    int CurrentRows,
    int ReferenceUsed,
    int CurrentUsed,
    int UniqueReference,
    int UniqueCurrent,
    int UniqueCombined,
    MethodResult? Drift,
    IReadOnlyDictionary<string, MethodResult>? AllMethods = null,
    string? Error = null);

/// <summary>The dataset-level verdict: <c>dataset_drift = drifted / columns ≥ drift_share</c> over the checked columns.</summary>
public sealed record DatasetDriftResult(double DriftShare, int NumberOfColumns, int NumberOfDriftedColumns, double ShareOfDriftedColumns, bool DatasetDrift);

/// <summary>A whole drift calculation: every column's result in column order and the dataset verdict.</summary>
public sealed record DriftResult(int ReferenceRows, int CurrentRows, IReadOnlyList<ColumnDriftResult> Columns, DatasetDriftResult Dataset);
