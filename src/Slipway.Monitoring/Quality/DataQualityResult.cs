using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Quality;

/// <summary>
/// Limits a data-quality check fails on. A column fails when its current missing share exceeds the reference's
/// by more than <see cref="MaxMissingShareIncrease"/> (or is all missing), when more than
/// <see cref="MaxOutOfRangeShare"/> of its numeric values lie outside the reference min..max, or when more than
/// <see cref="MaxUnseenCategoryShare"/> of its categorical values never occur in the reference.
/// </summary>
public sealed record DataQualityOptions
{
    /// <summary>False turns the data-quality checks of a monitor off.</summary>
    public bool Enabled { get; init; } = true;

    public double MaxMissingShareIncrease { get; init; } = 0.05;

    public double MaxOutOfRangeShare { get; init; } = 0.05;

    public double MaxUnseenCategoryShare { get; init; } = 0.05;
}

/// <summary>One column's quality in the current window, compared with the reference.</summary>
public sealed record ColumnQuality(
    string Column,
    ColumnType Type,
    long Rows,
    double MissingShare,
    double ReferenceMissingShare,
    double? OutOfRangeShare,
    double? ReferenceMin,
    double? ReferenceMax,
    double? UnseenCategoryShare,
    IReadOnlyList<string> UnseenCategories,
    IReadOnlyList<string> Failures)
{
    public bool Failed => Failures.Count > 0;
}

/// <summary>
/// The data-quality part of a monitor run: per-column checks plus schema changes (columns the reference has and
/// the current window lacks, or the other way round, or whose type changed).
/// </summary>
public sealed record DataQualityResult(
    IReadOnlyList<ColumnQuality> Columns,
    IReadOnlyList<string> MissingColumns,
    IReadOnlyList<string> NewColumns,
    IReadOnlyList<string> TypeChanges)
{
    public int FailedChecks => Columns.Count(c => c.Failed) + MissingColumns.Count + TypeChanges.Count;
}
