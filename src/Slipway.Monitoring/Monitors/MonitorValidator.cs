using System.Text.RegularExpressions;
using Cronos;
using Slipway.Core.Errors;
using Slipway.Monitoring.Alerts;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Monitors;

/// <summary>The rules a monitor spec must follow; all violations are reported together as one INVALID_PARAMETER_VALUE.</summary>
public static partial class MonitorValidator
{
    public const int MaxFeatures = 1024;
    public const int MinRows = 100;
    public const int MaxRowsLimit = 20_000_000;
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(366);

    public static readonly IReadOnlyList<string> ReferenceKinds = ["dataset", "model", "window"];
    public static readonly IReadOnlyList<string> AlertKinds = ["drift_share", "feature_drift", "prediction_drift", "performance", "data_quality"];
    public static readonly IReadOnlyList<string> ChannelTypes = ["webhook", "slack", "alertmanager"];
    public static readonly IReadOnlyList<string> PerformanceMetrics = ["accuracy", "precision", "recall", "f1", "roc_auc", "log_loss", "mae", "rmse", "r2"];

    // Monitor, alert and channel names appear in URLs, metric labels and artifact paths.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    // Flat inference-log columns (see Slipway.Serving.Logging.FlatColumns).
    [GeneratedRegex("^(in|out)_[A-Za-z0-9_]{1,200}$", RegexOptions.CultureInvariant)]
    public static partial Regex LogColumnPattern();

    public static void ThrowIfInvalid(MonitorSpec spec)
    {
        var problems = Validate(spec);
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter("Invalid monitor spec: " + string.Join("; ", problems));
    }

    public static List<string> Validate(MonitorSpec spec)
    {
        var problems = new List<string>();
        CheckName(problems, spec.Name, "name");
        CheckName(problems, spec.Endpoint, "endpoint");
        CheckReference(problems, spec.Reference);
        if (spec.Window < TimeSpan.FromSeconds(1) || spec.Window > MaxWindow)
            problems.Add($"window must be between 1s and {MaxWindow.TotalDays:0} days");
        CheckFeatures(problems, spec.Features, "features");
        CheckFeatures(problems, spec.Predictions, "predictions");
        if (spec.Schedule is not null && !TryParseSchedule(spec.Schedule, out _))
            problems.Add($"schedule '{spec.Schedule}' is not a cron expression (5 fields: minute hour day-of-month month day-of-week, UTC)");
        if (!(spec.DriftShare > 0 && spec.DriftShare <= 1))
            problems.Add("drift_share must be in (0, 1]");
        CheckMethod(problems, spec.Method, null, "method");
        CheckThreshold(problems, spec.Threshold, "threshold");
        if (spec.MaxRows < MinRows || spec.MaxRows > MaxRowsLimit)
            problems.Add($"max_rows must be between {MinRows} and {MaxRowsLimit}");
        if (spec.Quality is { } quality)
        {
            foreach (var (value, field) in new[] { (quality.MaxMissingShareIncrease, "max_missing_share_increase"), (quality.MaxOutOfRangeShare, "max_out_of_range_share"), (quality.MaxUnseenCategoryShare, "max_unseen_category_share") })
            {
                if (!(value >= 0 && value <= 1))
                    problems.Add($"quality.{field} must be in [0, 1]");
            }
        }
        if (spec.Performance is { } performance)
        {
            if (performance.PredictionColumn is null || !LogColumnPattern().IsMatch(performance.PredictionColumn))
                problems.Add("performance.prediction_column must name a flat inference-log column such as out_label");
            if (performance.ProbabilityColumn is { } probability && !LogColumnPattern().IsMatch(probability))
                problems.Add("performance.probability_column must name a flat inference-log column such as out_probabilities_1");
        }
        CheckAlerting(problems, spec);
        return problems;
    }

    public static bool TryParseSchedule(string text, out CronExpression? expression)
    {
        try
        {
            expression = CronExpression.Parse(text, CronFormat.Standard);
            return true;
        }
        catch (CronFormatException)
        {
            expression = null;
            return false;
        }
    }

    private static void CheckName(List<string> problems, string? name, string field)
    {
        if (string.IsNullOrEmpty(name))
            problems.Add($"{field} is required");
        else if (!NamePattern().IsMatch(name))
            problems.Add($"{field} '{name}' must be 1-63 characters of letters, digits, '_', '.', '-', starting with a letter or digit");
    }

    private static void CheckReference(List<string> problems, ReferenceSpec? reference)
    {
        if (reference is null)
        {
            problems.Add("reference is required");
            return;
        }
        if (!ReferenceKinds.Contains(reference.Kind))
            problems.Add($"reference.kind must be one of {string.Join(", ", ReferenceKinds)}");
        else if (reference.Kind == "dataset" && string.IsNullOrWhiteSpace(reference.Uri))
            problems.Add("reference.uri is required for a dataset reference (runs:/<run_id>/path.csv or an artifact path)");
        else if (reference.Kind == "window" && (reference.From is not { } from || reference.To is not { } to || from >= to))
            problems.Add("a window reference needs reference.from earlier than reference.to (RFC 3339 times)");
    }

    private static void CheckFeatures(List<string> problems, IReadOnlyList<FeatureSpec>? features, string field)
    {
        if (features is null)
            return;
        if (features.Count > MaxFeatures)
            problems.Add($"{field} has more than {MaxFeatures} entries");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < features.Count && i < MaxFeatures; i++)
        {
            var feature = features[i];
            var at = $"{field}[{i}]";
            if (feature is null)
            {
                problems.Add($"{at} must be an object");
                continue;
            }
            if (string.IsNullOrEmpty(feature.Name))
                problems.Add($"{at}.name is required");
            else if (!names.Add(feature.Name))
                problems.Add($"{at}.name '{feature.Name}' appears twice");
            if (feature.Column is null || !LogColumnPattern().IsMatch(feature.Column))
                problems.Add($"{at}.column must name a flat inference-log column such as in_input_0 or out_label");
            ColumnType? type = feature.Type switch
            {
                null => null,
                "num" => ColumnType.Numerical,
                "cat" => ColumnType.Categorical,
                _ => ColumnType.Unknown,
            };
            if (type == ColumnType.Unknown)
                problems.Add($"{at}.type must be num or cat");
            CheckMethod(problems, feature.Method, type, $"{at}.method");
            CheckThreshold(problems, feature.Threshold, $"{at}.threshold");
        }
    }

    private static void CheckMethod(List<string> problems, string? name, ColumnType? type, string field)
    {
        if (name is null)
            return;
        if (DriftMethods.Find(name) is not { } method)
            problems.Add($"{field} '{name}' is not a drift method (one of {DriftMethods.Names})");
        else if (type is { } t && t != ColumnType.Unknown && !method.IsRegisteredFor(t))
            problems.Add($"{field} '{name}' does not apply to {t.WireName()} columns");
    }

    private static void CheckThreshold(List<string> problems, double? threshold, string field)
    {
        if (threshold is { } value && !(double.IsFinite(value) && value >= 0))
            problems.Add($"{field} must be a finite number ≥ 0");
    }
}
