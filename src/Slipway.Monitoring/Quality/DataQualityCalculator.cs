using System.Globalization;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Quality;

/// <summary>
/// Data-quality checks of a current window against its reference: per column the missing share (both sides), the
/// share of numeric values outside the reference's finite min..max, and the share of categorical values the
/// reference never had; and the schema, i.e. columns only one side has and columns whose kind (numeric, bool,
/// string) changed. Each side of a column is read once, and columns are checked in parallel.
/// </summary>
public static class DataQualityCalculator
{
    // Shares are ratios of counts, and a difference such as 0.15 - 0.10 is 0.04999999999999999 in doubles; limits
    // are compared with this much slack so a share exactly at its limit passes as the options promise.
    private const double Slack = 1e-12;

    /// <param name="types">
    /// The Evidently type of each column: numerical columns get the range check, categorical ones the unseen-category
    /// check. A column both frames have but <paramref name="types"/> lacks is checked for missing values only.
    /// </param>
    public static DataQualityResult Compute(DataFrame reference, DataFrame current, IReadOnlyDictionary<string, ColumnType> types, DataQualityOptions options)
    {
        var missingColumns = new List<string>();
        var pairs = new List<(DataColumn Reference, DataColumn Current, ColumnType Type)>();
        foreach (var column in reference.Columns)
        {
            if (current.Find(column.Name) is { } currentColumn)
                pairs.Add((column, currentColumn, types.GetValueOrDefault(column.Name, ColumnType.Unknown)));
            else
                missingColumns.Add(column.Name);
        }
        var newColumns = new List<string>();
        foreach (var column in current.Columns)
        {
            if (reference.Find(column.Name) is null)
                newColumns.Add(column.Name);
        }

        var checks = new ColumnCheck[pairs.Count];
        Parallel.For(0, pairs.Count, i => checks[i] = ColumnCheck.Run(pairs[i].Reference, pairs[i].Current, pairs[i].Type));

        var columns = new ColumnQuality[checks.Length];
        var typeChanges = new List<string>();
        for (var i = 0; i < checks.Length; i++)
        {
            columns[i] = ToQuality(checks[i], pairs[i].Type, options);
            if (TypeChange(pairs[i].Reference, pairs[i].Current, checks[i]) is { } change)
                typeChanges.Add(change);
        }
        return new DataQualityResult(columns, missingColumns, newColumns, typeChanges);
    }

    private static ColumnQuality ToQuality(ColumnCheck check, ColumnType type, DataQualityOptions options)
    {
        var failures = new List<string>();
        if (check.Rows > 0 && check.Missing == check.Rows)
        {
            failures.Add($"all {check.Rows} values missing (reference missing share {Share(check.ReferenceMissingShare)})");
        }
        else if (check.MissingShare - check.ReferenceMissingShare > options.MaxMissingShareIncrease + Slack)
        {
            failures.Add($"missing share {Share(check.MissingShare)} (reference {Share(check.ReferenceMissingShare)}, allowed increase {Share(options.MaxMissingShareIncrease)})");
        }
        if (check.OutOfRangeShare is { } outOfRange && outOfRange > options.MaxOutOfRangeShare + Slack)
        {
            failures.Add($"out of range share {Share(outOfRange)} (reference range {Number(check.ReferenceMin!.Value)} to {Number(check.ReferenceMax!.Value)}, allowed {Share(options.MaxOutOfRangeShare)})");
        }
        if (check.UnseenShare is { } unseen && unseen > options.MaxUnseenCategoryShare + Slack)
        {
            var listed = string.Join(", ", check.UnseenCategories.Select(c => "'" + c + "'"));
            failures.Add($"unseen category share {Share(unseen)} (allowed {Share(options.MaxUnseenCategoryShare)}): {listed}");
        }
        return new ColumnQuality(check.Name, type, check.Rows, check.MissingShare, check.ReferenceMissingShare, check.OutOfRangeShare,
            check.ReferenceMin, check.ReferenceMax, check.UnseenShare, check.UnseenCategories, failures);
    }

    /// <summary>
    /// A change between numeric, bool and string columns. A side with no value at all says nothing about its type
    /// (an all-empty CSV column reads as float64), so it never counts as a change; int64 vs float64 is no change either.
    /// </summary>
    private static string? TypeChange(DataColumn reference, DataColumn current, ColumnCheck check)
    {
        if (check.ReferenceRows == check.ReferenceMissing || check.Rows == check.Missing)
            return null;
        var from = Kind(reference);
        var to = Kind(current);
        return from == to ? null : $"{reference.Name}: {from} in reference, {to} in current";
    }

    private static string Kind(DataColumn column) =>
        !column.IsNumeric ? "string" : column.Dtype is ColumnDtype.Bool or ColumnDtype.NullableBool ? "bool" : "numeric";

    private static string Share(double share) => share.ToString("0.00##", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
