using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// The drift report of two datasets already in memory, as <c>slipway monitor report</c> writes it: the mapping picks
/// and types the columns, the calculator tests them, the histograms are drawn from the same columns, and the target
/// and prediction columns (when the mapping names them) get their own section.
/// </summary>
public static class FileDriftReport
{
    /// <exception cref="SlipwayException">INVALID_PARAMETER_VALUE listing every problem when the mapping does not fit
    /// the data, the datasets' columns differ, or a method does not apply to a column.</exception>
    public static ReportDocument Build(DataFrame reference, DataFrame current, ColumnMapping mapping, DriftOptions options,
        string title, DateTimeOffset createdAt, IReadOnlyDictionary<string, string> metadata)
    {
        var (applied, problems) = mapping.Apply(reference, current, options);
        if (applied is null)
            throw SlipwayException.InvalidParameter(problems.Count == 1 ? problems[0] : "The datasets and the column mapping do not fit:\n  " + string.Join("\n  ", problems));

        var drift = DriftCalculator.Compute(reference, current, applied);
        var histograms = ColumnHistograms.ForDrift(reference, current, drift);
        var predictionColumns = mapping.TargetAndPrediction;
        return new ReportDocument
        {
            Title = title,
            CreatedAt = createdAt,
            Metadata = metadata,
            FeatureDrift = drift,
            PredictionDrift = predictionColumns.Count > 0 ? Subset(drift, predictionColumns) : null,
            Histograms = histograms,
        };
    }

    /// <summary>
    /// The results of some columns with the dataset verdict recomputed over them alone, by the same rule: the share
    /// of drifted columns among the checked ones, compared with the same drift share.
    /// </summary>
    public static DriftResult Subset(DriftResult drift, IReadOnlyCollection<string> columns)
    {
        var wanted = new HashSet<string>(columns, StringComparer.Ordinal);
        var selected = drift.Columns.Where(c => wanted.Contains(c.Column)).ToList();
        var tested = selected.Count(c => c.Checked);
        var drifted = selected.Count(c => c.Checked && c.Drift?.DriftDetected == true);
        var share = tested == 0 ? 0 : (double)drifted / tested;
        var driftShare = drift.Dataset.DriftShare;
        return drift with
        {
            Columns = selected,
            Dataset = new DatasetDriftResult(driftShare, tested, drifted, share, tested > 0 && share >= driftShare),
        };
    }
}
