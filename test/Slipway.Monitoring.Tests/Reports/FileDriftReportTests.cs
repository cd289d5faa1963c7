using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Reports;

public sealed class FileDriftReportTests
{
    [Fact]
    public void Subset_RecomputesTheVerdictOverCheckedColumnsOnly()
    {
        var drifted = new MethodResult("ks", "K-S p_value", 0.001, 0.05, true, DriftRule.PValueAtMost);
        var calm = drifted with { Score = 0.5, DriftDetected = false };
        var drift = new DriftResult(10, 10,
            [
                new ColumnDriftResult("a", ColumnType.Numerical, true, 10, 10, 10, 10, 10, 10, 20, drifted),
                new ColumnDriftResult("b", ColumnType.Numerical, true, 10, 10, 10, 10, 10, 10, 20, calm),
                new ColumnDriftResult("target", ColumnType.Numerical, true, 10, 10, 10, 10, 10, 10, 20, drifted),
                new ColumnDriftResult("prediction", ColumnType.Unknown, false, 10, 10, 0, 0, 0, 0, 0, null),
            ],
            new DatasetDriftResult(0.5, 3, 2, 2.0 / 3, true));

        var subset = FileDriftReport.Subset(drift, ["prediction", "target"]);

        Assert.Equal(["target", "prediction"], subset.Columns.Select(c => c.Column));
        Assert.Equal(new DatasetDriftResult(0.5, 1, 1, 1, true), subset.Dataset);
    }
}
