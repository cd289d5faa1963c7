using Slipway.Monitoring.Monitors;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Alerts;

public static partial class AlertEvaluator
{
    // Lower is better for these; every other metric (accuracy, f1, roc_auc, r2, …) alerts when it falls below.
    private static readonly HashSet<string> ErrorMetrics = new(StringComparer.Ordinal) { "mae", "rmse", "log_loss" };

    /// <summary>One breach of a rule: the feature it concerns (per-feature rules only) and its annotations.</summary>
    private sealed record Breach(string? Feature, string Summary, string Description, IReadOnlyDictionary<string, string> Details);

    /// <summary>
    /// An evaluated rule. <see cref="CheckedFeatures"/> (per-feature rules) lists the features this run tested: an
    /// episode of a feature outside it cannot be resolved by this run, unless the rule now watches one feature only
    /// (<see cref="OnlyFeature"/>) and the episode is about another, which the rule will never judge again.
    /// </summary>
    private sealed record RuleOutcome(IReadOnlyList<Breach> Breaches, IReadOnlySet<string>? CheckedFeatures = null, string? OnlyFeature = null)
    {
        public bool Covers(AlertState episode) =>
            CheckedFeatures is null
            || !episode.Labels.TryGetValue(AlertLabels.Feature, out var feature)
            || CheckedFeatures.Contains(feature)
            || (OnlyFeature is not null && feature != OnlyFeature);
    }

    /// <summary>The rule's verdict on the run, or null when the run holds nothing to judge it by.</summary>
    private static RuleOutcome? EvaluateRule(MonitorSpec spec, MonitorRunResult run, AlertRuleSpec rule) => rule.Kind switch
    {
        AlertLabels.DriftShareKind => DriftShare(spec, run, rule),
        AlertLabels.FeatureDriftKind => FeatureDrift(spec, run, rule),
        AlertLabels.PredictionDriftKind => PredictionDrift(spec, run),
        AlertLabels.PerformanceKind => Performance(spec, run, rule),
        AlertLabels.DataQualityKind => DataQuality(spec, run),
        _ => null,
    };

    private static RuleOutcome? DriftShare(MonitorSpec spec, MonitorRunResult run, AlertRuleSpec rule)
    {
        if (run.RowsUsed == 0 || run.FeatureDrift is not { Dataset.NumberOfColumns: > 0 } drift)
            return null;
        var threshold = rule.Threshold ?? spec.DriftShare;
        var dataset = drift.Dataset;
        if (dataset.ShareOfDriftedColumns < threshold)
            return new RuleOutcome([]);
        var drifted = DriftedNames(spec, drift);
        return new RuleOutcome([new Breach(null,
            $"Drift in {dataset.NumberOfDriftedColumns} of {dataset.NumberOfColumns} features of monitor {spec.Name} (endpoint {spec.Endpoint})",
            $"Share of drifted features {AlertLabels.Format(dataset.ShareOfDriftedColumns)} ≥ {AlertLabels.Format(threshold)}; drifted: {Listed(drifted)}",
            new Dictionary<string, string>
            {
                [AlertLabels.Score] = AlertLabels.Format(dataset.ShareOfDriftedColumns),
                [AlertLabels.Threshold] = AlertLabels.Format(threshold),
            })]);
    }

    private static RuleOutcome? FeatureDrift(MonitorSpec spec, MonitorRunResult run, AlertRuleSpec rule)
    {
        if (run.RowsUsed == 0 || run.FeatureDrift is not { } drift)
            return null;
        var tested = new HashSet<string>(StringComparer.Ordinal);
        var breaches = new List<Breach>();
        foreach (var column in drift.Columns)
        {
            if (!column.Checked || column.Drift is not { Error: null } result)
                continue;
            var feature = FeatureNameOf(spec.Features, column.Column);
            if (rule.Feature is not null && feature != rule.Feature && column.Column != rule.Feature)
                continue;
            tested.Add(feature);
            if (result.DriftDetected)
            {
                breaches.Add(DriftBreach(feature, $"Drift in feature {feature} of monitor {spec.Name} (endpoint {spec.Endpoint})",
                    column, result));
            }
        }
        // A named feature the run did not test (missing column, all values missing) says nothing about its drift.
        if (rule.Feature is null)
            return new RuleOutcome(breaches, tested);
        return tested.Count == 0 ? null : new RuleOutcome(breaches, tested, FeatureNameOf(spec.Features, rule.Feature));
    }

    private static RuleOutcome? PredictionDrift(MonitorSpec spec, MonitorRunResult run)
    {
        if (run.RowsUsed == 0 || run.PredictionDrift is not { } drift)
            return null;
        var tested = drift.Columns.Where(c => c.Checked && c.Drift is { Error: null }).ToList();
        if (tested.Count == 0)
            return null;
        var drifted = tested.Where(c => c.Drift!.DriftDetected).ToList();
        if (drifted.Count == 0)
            return new RuleOutcome([]);
        // One alert for the rule, described by its first drifted column; the others are named in the description.
        var first = drifted[0];
        var name = FeatureNameOf(spec.Predictions, first.Column);
        var breach = DriftBreach(null, $"Prediction drift in {name} of monitor {spec.Name} (endpoint {spec.Endpoint})", first, first.Drift!);
        if (drifted.Count > 1)
        {
            var all = Listed(drifted.Select(c => FeatureNameOf(spec.Predictions, c.Column)).ToList());
            breach = breach with { Description = $"{breach.Description}; drifted prediction columns: {all}" };
        }
        return new RuleOutcome([breach]);
    }

    private static RuleOutcome? Performance(MonitorSpec spec, MonitorRunResult run, AlertRuleSpec rule)
    {
        // No labels yet means no metric: nothing to judge, so a firing episode stays firing.
        if (rule.Metric is not { } metric || rule.Threshold is not { } threshold
            || run.Performance is not { LabelledRows: > 0 } performance
            || !performance.Metrics.TryGetValue(metric, out var value) || !double.IsFinite(value))
            return null;
        var lowerIsBetter = ErrorMetrics.Contains(metric);
        if (lowerIsBetter ? value <= threshold : value >= threshold)
            return new RuleOutcome([]);
        var comparison = lowerIsBetter ? "above" : "below";
        return new RuleOutcome([new Breach(null,
            $"{metric} of monitor {spec.Name} (endpoint {spec.Endpoint}) is {comparison} {AlertLabels.Format(threshold)}",
            $"{metric} = {AlertLabels.Format(value)} over {performance.LabelledRows} labelled rows, {comparison} the threshold {AlertLabels.Format(threshold)}",
            new Dictionary<string, string>
            {
                [AlertLabels.Method] = metric,
                [AlertLabels.Score] = AlertLabels.Format(value),
                [AlertLabels.Threshold] = AlertLabels.Format(threshold),
            })]);
    }

    private static RuleOutcome? DataQuality(MonitorSpec spec, MonitorRunResult run)
    {
        if (run.RowsUsed == 0 || run.Quality is not { } quality)
            return null;
        if (quality.FailedChecks == 0)
            return new RuleOutcome([]);
        var problems = quality.Columns.Where(c => c.Failed).Select(c => $"{c.Column}: {string.Join("; ", c.Failures)}")
            .Concat(quality.MissingColumns.Select(c => $"{c}: missing"))
            .Concat(quality.TypeChanges)
            .ToList();
        return new RuleOutcome([new Breach(null,
            $"{quality.FailedChecks} failed data-quality checks on monitor {spec.Name} (endpoint {spec.Endpoint})",
            Listed(problems, " | "),
            new Dictionary<string, string> { [AlertLabels.Score] = quality.FailedChecks.ToString(System.Globalization.CultureInfo.InvariantCulture) })]);
    }

    private static Breach DriftBreach(string? feature, string summary, ColumnDriftResult column, MethodResult result) => new(feature, summary,
        $"{result.DisplayName} {AlertLabels.Format(result.Score)} (threshold {AlertLabels.Format(result.Threshold)}) on {column.CurrentUsed} current and {column.ReferenceUsed} reference rows",
        new Dictionary<string, string>
        {
            [AlertLabels.Method] = result.Method,
            [AlertLabels.Score] = AlertLabels.Format(result.Score),
            [AlertLabels.Threshold] = AlertLabels.Format(result.Threshold),
        });

    private static List<string> DriftedNames(MonitorSpec spec, DriftResult drift) =>
        drift.Columns.Where(c => c.Checked && c.Drift is { DriftDetected: true }).Select(c => FeatureNameOf(spec.Features, c.Column)).ToList();

    /// <summary>
    /// The first few items and how many more: a run over a thousand columns must not produce a description that
    /// chat tools reject (Slack refuses section texts over 3000 characters) or nobody reads.
    /// </summary>
    private static string Listed(List<string> items, string separator = ", ")
    {
        const int Shown = 10;
        return items.Count <= Shown
            ? string.Join(separator, items)
            : $"{string.Join(separator, items.Take(Shown))}{separator}and {items.Count - Shown} more";
    }

    /// <summary>The spec's name for a result column (the result may name it by log column or by feature name).</summary>
    private static string FeatureNameOf(IReadOnlyList<FeatureSpec> features, string column)
    {
        foreach (var feature in features)
        {
            if (feature.Name == column || feature.Column == column)
                return feature.Name;
        }
        return column;
    }
}
