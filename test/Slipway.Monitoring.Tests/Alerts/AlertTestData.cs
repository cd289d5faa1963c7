using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Monitors;
using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Alerts;

/// <summary>Monitor specs and run results small enough to read in a test.</summary>
internal static class AlertTestData
{
    public static readonly DateTimeOffset T0 = new(2026, 5, 1, 10, 0, 0, TimeSpan.Zero);

    public static MonitorSpec Spec(string name, IReadOnlyList<AlertRuleSpec> rules, IReadOnlyList<AlertChannelSpec>? channels = null) => new()
    {
        Name = name,
        Endpoint = "churn-prod",
        Reference = new ReferenceSpec { Kind = "dataset", Uri = "runs:/abc/reference.csv" },
        Features =
        [
            new FeatureSpec { Name = "age", Column = "in_age" },
            new FeatureSpec { Name = "plan", Column = "in_plan" },
            new FeatureSpec { Name = "tenure", Column = "in_tenure" },
        ],
        Predictions = [new FeatureSpec { Name = "label", Column = "out_label" }],
        Alerts = rules,
        Channels = channels ?? [],
    };

    public static AlertRuleSpec Rule(string kind, string name = "r1", string? feature = null, string? metric = null, double? threshold = null,
        IReadOnlyList<string>? channels = null, IReadOnlyList<string>? actions = null) => new()
    {
        Name = name,
        Kind = kind,
        Feature = feature,
        Metric = metric,
        Threshold = threshold,
        Channels = channels,
        Actions = actions,
    };

    /// <summary>A drift result: each column as (name, drifted), or not tested when <c>drifted</c> is null.</summary>
    public static DriftResult Drift(params (string Column, bool? Drifted)[] columns)
    {
        var results = columns.Select(c => new ColumnDriftResult(c.Column, ColumnType.Numerical, c.Drifted is not null, 500, 1000, 500, 1000, 40, 50, 60,
            c.Drifted is { } drifted
                ? new MethodResult("wasserstein", "Wasserstein distance (normed)", drifted ? 0.23 : 0.02, 0.1, drifted, DriftRule.ScoreAtLeast)
                : null)).ToList();
        var tested = columns.Count(c => c.Drifted is not null);
        var drifted = columns.Count(c => c.Drifted == true);
        var share = tested == 0 ? 0 : (double)drifted / tested;
        return new DriftResult(500, 1000, results, new DatasetDriftResult(0.5, tested, drifted, share, tested > 0 && share >= 0.5));
    }

    public static MonitorRunResult Run(string monitor, DriftResult? drift = null, DriftResult? predictions = null, DataQualityResult? quality = null,
        PerformanceResult? performance = null, string? modelVersion = "7", int rowsUsed = 1000) =>
        new(monitor, "churn-prod", modelVersion, T0.AddDays(-1), T0, rowsUsed, rowsUsed, 500, drift, predictions, quality, performance, []);

    public static PerformanceResult Labelled(string metric, double value, long labelled = 200) =>
        new(PerformanceTask.Classification, labelled, new Dictionary<string, double> { [metric] = value });

    public static DataQualityResult QualityChecks(bool failing) => new(
        [new ColumnQuality("age", ColumnType.Numerical, 1000, failing ? 0.3 : 0.01, 0.01, 0, 18, 90, null, [],
            failing ? ["missing share 0.3 exceeds the reference's 0.01 by more than 0.05"] : [])],
        [], [], []);

    /// <summary>A firing episode as a previous run would have stored it.</summary>
    public static AlertState Firing(MonitorSpec spec, string rule, DriftResult drift, DateTimeOffset startedAt)
    {
        var run = Run(spec.Name, drift);
        return AlertEvaluator.Evaluate(spec, run, [], startedAt).Single(t => t.State.Rule == rule).State;
    }
}

/// <summary>A clock the test moves by hand; timers (HTTP timeouts, retry delays) still run in real time.</summary>
internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
