using System.Runtime.ExceptionServices;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Statistics;

/// <summary>
/// Evidently's <c>DataDriftPreset</c>: infers each column's type from the current data, cleans each side, picks the
/// default method (or the configured one), scores every column in parallel and derives the dataset share.
/// <para>
/// Columns: <see cref="DriftOptions.Columns"/> in that order, else every column of the current data that the reference
/// also has, in the current data's order; columns on one side only are left out. A column is reported but not checked
/// (it does not count in the dataset share; <see cref="ColumnDriftResult.Error"/> says why) when its type is unknown
/// (True/False with missing values, or no value at all), when it is text (Evidently's text drift trains a classifier,
/// which Slipway does not), when a numerical column holds text on either side (Evidently refuses these as well),
/// when either side has no value left after dropping missing and ±Infinity, or when its method refuses the data
/// (e.g. g_test for unequal sizes). A categorical column read as numbers on one side and text on the other is
/// compared by the values' text.
/// </para>
/// </summary>
public static partial class DriftCalculator
{
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE for a column missing from either side, no common column, an unknown method name, or a method that does not apply to the column's type.</exception>
    public static DriftResult Compute(DataFrame reference, DataFrame current, DriftOptions options)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(options);
        var names = SelectColumns(reference, current, options);
        ValidateOptions(options, names);

        var types = new ColumnType[names.Count];
        RunParallel(names.Count, i => types[i] = options.ColumnTypes is not null && options.ColumnTypes.TryGetValue(names[i], out var given)
            ? given
            : ColumnTyping.Infer(current.Find(names[i])!));
        var configured = new IDriftMethod?[names.Count];
        for (var i = 0; i < names.Count; i++)
            configured[i] = ConfiguredMethod(options, names[i], types[i]);

        var columns = new ColumnDriftResult[names.Count];
        RunParallel(names.Count, i => columns[i] = ComputeColumn(
            reference.Find(names[i])!, current.Find(names[i])!, types[i], configured[i], options));
        return new DriftResult(reference.RowCount, current.RowCount, columns, Dataset(columns, options.DriftShare));
    }

    private static List<string> SelectColumns(DataFrame reference, DataFrame current, DriftOptions options)
    {
        if (options.Columns is null)
        {
            var common = current.Columns.Select(c => c.Name).Where(n => reference.Find(n) is not null).ToList();
            if (common.Count == 0)
            {
                throw SlipwayException.InvalidParameter(
                    "The reference and current data have no column in common, so there is nothing to compare for drift.");
            }
            return common;
        }
        var problems = new List<string>();
        foreach (var name in options.Columns)
        {
            if (reference.Find(name) is null)
                problems.Add($"'{name}' is not a column of the reference data");
            if (current.Find(name) is null)
                problems.Add($"'{name}' is not a column of the current data");
        }
        if (options.Columns.Distinct(StringComparer.Ordinal).Count() != options.Columns.Count)
            problems.Add("a column is listed more than once");
        if (options.Columns.Count == 0)
            problems.Add("the column list is empty");
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter($"Cannot compute drift: {string.Join("; ", problems)}.");
        return options.Columns.ToList();
    }

    private static DatasetDriftResult Dataset(ColumnDriftResult[] columns, double driftShare)
    {
        var tested = columns.Count(c => c.Checked);
        var drifted = columns.Count(c => c.Checked && c.Drift is { DriftDetected: true });
        // With nothing tested there is no share to compare; that is no drift rather than 0/0.
        var share = tested == 0 ? 0.0 : drifted / (double)tested;
        return new DatasetDriftResult(driftShare, tested, drifted, share, tested > 0 && share >= driftShare);
    }

    /// <summary>Parallel.For that rethrows a worker's own exception instead of an AggregateException.</summary>
    private static void RunParallel(int count, Action<int> body)
    {
        try
        {
            Parallel.For(0, count, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }
}
