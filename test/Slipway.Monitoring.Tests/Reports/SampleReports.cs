using Slipway.Monitoring.Data;
using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

/// <summary>
/// Report documents built by hand, so the writers are tested on every field and on awkward values (NaN, ±Infinity,
/// errors, hostile names) without depending on the drift calculator.
/// </summary>
internal static class SampleReports
{
    public const string HostileName = "<script>alert(1)</script>";

    public static ReportDocument Full()
    {
        var reference = new DataFrame([
            DataColumn.Numeric("age", ColumnDtype.Float64, [20, 30, 40, double.NaN, 50]),
            DataColumn.Text(HostileName, ["a", "b", "<b>bold</b>", null, "a"]),
            DataColumn.Numeric("prediction", ColumnDtype.Float64, [0.1, 0.2, 0.3, 0.4, 0.5]),
        ]);
        var current = new DataFrame([
            DataColumn.Numeric("age", ColumnDtype.Float64, [60, 70, double.PositiveInfinity, 80, 90]),
            DataColumn.Text(HostileName, ["b", "b", "<b>bold</b>", "c", null]),
            DataColumn.Numeric("prediction", ColumnDtype.Float64, [0.9, 0.8, 0.7, 0.6, 0.5]),
        ]);

        var ks = new MethodResult("ks", "K-S p_value", 0.0123456789012345, 0.05, true, DriftRule.PValueAtMost);
        var wasserstein = new MethodResult("wasserstein", "Wasserstein distance (normed)", double.PositiveInfinity, 0.1, true, DriftRule.ScoreAtLeast, Statistic: 1.5e-300);
        var chi = new MethodResult("chisquare", "chi-square p_value", double.NaN, 0.05, false, DriftRule.PValueBelow, Error: "a single category");
        var tvd = new MethodResult("TVD", "Total-Variation-Distance", 0.5, 0.1, false, DriftRule.PValueBelow, Statistic: double.NegativeInfinity, Deterministic: false);
        var z = new MethodResult("z", "Z-test p_value", 1, 0.05, false, DriftRule.PValueBelow, RegisteredForColumnType: false);
        var columns = new List<ColumnDriftResult>
        {
            new("age", ColumnType.Numerical, true, 5, 5, 4, 4, 4, 4, 8, ks, new Dictionary<string, MethodResult> { ["ks"] = ks, ["wasserstein"] = wasserstein }),
            new(HostileName, ColumnType.Categorical, true, 5, 5, 4, 4, 3, 3, 4, chi, new Dictionary<string, MethodResult> { ["chisquare"] = chi, ["TVD"] = tvd, ["z"] = z }),
            new("prediction", ColumnType.Numerical, true, 5, 5, 5, 5, 5, 5, 9, wasserstein),
            new("flags", ColumnType.Unknown, false, 5, 5, 0, 0, 0, 0, 0, null, Error: "booleans with missing values are not typed"),
        };
        var drift = new DriftResult(5, 5, columns, new DatasetDriftResult(0.5, 3, 2, 2.0 / 3, true));

        var quality = new DataQualityResult(
            [
                new ColumnQuality("age", ColumnType.Numerical, 5, 0, 0.2, 0.8, 20, 50, null, [], ["80 % of values outside the reference range"]),
                new ColumnQuality(HostileName, ColumnType.Categorical, 5, 0.2, 0.2, null, null, null, 0.25, ["c"], []),
            ],
            ["gone"], ["<img src=x onerror=alert(2)>"], ["age: int64 → float64"]);
        var performance = new PerformanceResult(PerformanceTask.Classification, 1234,
            new Dictionary<string, double> { ["accuracy"] = 0.875, ["log_loss"] = double.NaN, ["roc_auc"] = 0.9123456789 });

        return new ReportDocument
        {
            Title = "Sample & <report>",
            CreatedAt = new DateTimeOffset(2026, 5, 1, 10, 0, 0, TimeSpan.Zero),
            Metadata = new Dictionary<string, string> { ["reference"] = "ref.csv", ["endpoint"] = "churn \"prod\"" },
            FeatureDrift = drift,
            PredictionDrift = FileDriftReport.Subset(drift, ["prediction"]),
            Quality = quality,
            Performance = performance,
            Histograms = ColumnHistograms.ForDrift(reference, current, drift),
        };
    }
}
