using System.Globalization;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.InferenceLog;
using Slipway.Monitoring.Performance;
using Slipway.Monitoring.Quality;
using Slipway.Monitoring.Reports;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// The numbers of one monitor run: reads the current window from the inference log (sampled to
/// <see cref="MonitorSpec.MaxRows"/>, so memory stays bounded), loads the reference, and computes feature drift,
/// prediction drift, data quality and — where feedback labels arrived — performance, plus the report to store.
/// An empty window gives a result with no verdicts and a warning (alerts treat it as "not evaluated").
/// </summary>
public sealed class MonitorComputation(ReferenceLoader references, IInferenceWindowSource windows)
{
    public async Task<(MonitorRunResult Result, ReportDocument Report)> ComputeAsync(MonitorSpec spec, DateTimeOffset start, DateTimeOffset end, string runId, CancellationToken ct)
    {
        var warnings = new List<string>();
        var requested = RequestedColumns(spec);
        // Without a feature list the features depend on the log's columns; a traffic reference reads those columns too.
        var available = spec.Features.Count > 0 ? null : await windows.ListColumnsAsync(spec.Endpoint, start, end, ct);
        var reference = await references.LoadAsync(spec, available is null ? requested : Union(requested, available), ct);
        // A traffic reference has the log's own column names, so each feature reads the same column on both sides.
        if (spec.Reference.Kind == "window")
            spec = spec with { Features = FromLog(spec.Features), Predictions = FromLog(spec.Predictions) };
        var features = FeaturePlan.Resolve(spec, available ?? [], reference.Frame);
        var columns = Union(requested, features.Select(f => f.Column));
        var window = await windows.ReadAsync(new InferenceWindowQuery(spec.Endpoint, start, end, columns, spec.MaxRows, JoinFeedback: spec.Performance is not null), ct);
        var modelVersion = window.ModelVersions.Count == 0 ? null : window.ModelVersions.MaxBy(v => v.Value).Key;
        if (window.ModelVersions.Count > 1)
            warnings.Add($"The window mixes model versions ({string.Join(", ", window.ModelVersions.Select(v => $"{v.Key}: {v.Value} rows"))}); gauges are labelled with {modelVersion}.");
        if (window.Sampled)
            warnings.Add($"The window has {window.RowsSeen} rows; drift and quality use a uniform sample of {window.Frame.RowCount}.");

        DriftResult? featureDrift = null, predictionDrift = null;
        DataQualityResult? quality = null;
        PerformanceResult? performance = null;
        var histograms = new Dictionary<string, ColumnHistogram>(StringComparer.Ordinal);
        if (window.Frame.RowCount == 0)
        {
            warnings.Add($"No traffic for endpoint '{spec.Endpoint}' between {start.UtcDateTime:O} and {end.UtcDateTime:O}; nothing was tested.");
        }
        else
        {
            await Task.Run(() =>
            {
                var missing = new List<string>();
                var current = FeaturePlan.CurrentFrame(window.Frame, features, missing);
                if (missing.Count > 0)
                    warnings.Add($"The log of this window has no column {string.Join(", ", missing)}; those features were not tested.");
                var present = features.Where(f => current.Find(f.Name) is not null).ToList();
                if (present.Count > 0)
                {
                    var referenceFrame = FeaturePlan.ReferenceFrame(reference.Frame, present, "features");
                    featureDrift = DriftCalculator.Compute(referenceFrame, current, FeaturePlan.Options(spec, present));
                    Merge(histograms, ColumnHistograms.ForDrift(referenceFrame, current, featureDrift));
                    if (spec.Quality is { Enabled: true } qualityOptions)
                        quality = DataQualityCalculator.Compute(referenceFrame, current, featureDrift.Columns.ToDictionary(c => c.Column, c => c.Type), qualityOptions);
                }
                predictionDrift = PredictionDrift(spec, reference.Frame, window.Frame, warnings, histograms);
                performance = Performance(spec, window.Frame, warnings);
            }, ct);
        }

        var result = new MonitorRunResult(spec.Name, spec.Endpoint, modelVersion, start, end, window.RowsSeen, window.Frame.RowCount,
            reference.Frame.RowCount, featureDrift, predictionDrift, quality, performance, warnings);
        var report = new ReportDocument
        {
            Title = $"Monitor {spec.Name}: endpoint {spec.Endpoint}",
            CreatedAt = end,
            Metadata = new Dictionary<string, string>
            {
                ["monitor"] = spec.Name,
                ["endpoint"] = spec.Endpoint,
                ["model version"] = modelVersion ?? "-",
                ["window"] = $"{start.UtcDateTime:O} to {end.UtcDateTime:O}",
                ["rows in window"] = window.RowsSeen.ToString(CultureInfo.InvariantCulture),
                ["rows used"] = window.Frame.RowCount.ToString(CultureInfo.InvariantCulture),
                ["reference"] = reference.Description,
                ["run"] = runId,
            },
            FeatureDrift = featureDrift,
            PredictionDrift = predictionDrift,
            Quality = quality,
            Performance = performance,
            Histograms = histograms,
        };
        return (result, report);
    }

    private static DriftResult? PredictionDrift(MonitorSpec spec, DataFrame reference, DataFrame window, List<string> warnings, Dictionary<string, ColumnHistogram> histograms)
    {
        if (spec.Predictions.Count == 0)
            return null;
        var usable = spec.Predictions.Where(p => window.Find(p.Column) is not null && reference.Find(p.ReferenceColumn ?? p.Name) is not null).ToList();
        if (usable.Count < spec.Predictions.Count)
            warnings.Add($"Prediction drift skips {string.Join(", ", spec.Predictions.Except(usable).Select(p => p.Name))}: the column is missing from the window or the reference.");
        if (usable.Count == 0)
            return null;
        var current = FeaturePlan.CurrentFrame(window, usable, []);
        var referenceFrame = FeaturePlan.ReferenceFrame(reference, usable, "predictions");
        var drift = DriftCalculator.Compute(referenceFrame, current, FeaturePlan.Options(spec, usable));
        Merge(histograms, ColumnHistograms.ForDrift(referenceFrame, current, drift));
        return drift;
    }

    private static PerformanceResult? Performance(MonitorSpec spec, DataFrame window, List<string> warnings)
    {
        if (spec.Performance is not { } performance)
            return null;
        if (window.Find(performance.PredictionColumn) is not { } predictions)
        {
            warnings.Add($"Performance skipped: the log has no column '{performance.PredictionColumn}'.");
            return null;
        }
        var labels = window.Find("label")?.Strings;
        if (labels is null || Array.TrueForAll(labels, l => l is null))
            return null;
        var probabilities = performance.ProbabilityColumn is { } column ? window.Find(column) : null;
        var result = PerformanceCalculator.Compute(performance, predictions, probabilities, labels, out var skipped);
        if (skipped > 0)
            warnings.Add($"Performance skipped {skipped} feedback labels that are not numbers (regression).");
        return result;
    }

    private static List<FeatureSpec> FromLog(IReadOnlyList<FeatureSpec> features) =>
        features.Select(f => f with { ReferenceColumn = f.ReferenceColumn ?? f.Column }).ToList();

    private static IReadOnlyList<string> RequestedColumns(MonitorSpec spec)
    {
        var columns = spec.Features.Select(f => f.Column).Concat(spec.Predictions.Select(p => p.Column));
        if (spec.Performance is { } performance)
        {
            columns = columns.Append(performance.PredictionColumn);
            if (performance.ProbabilityColumn is { } probability)
                columns = columns.Append(probability);
        }
        return columns.Distinct(StringComparer.Ordinal).ToList();
    }

    private static List<string> Union(IEnumerable<string> first, IEnumerable<string> second) =>
        first.Concat(second).Distinct(StringComparer.Ordinal).ToList();

    private static void Merge(Dictionary<string, ColumnHistogram> target, IReadOnlyDictionary<string, ColumnHistogram> source)
    {
        foreach (var (name, histogram) in source)
            target[name] = histogram;
    }
}
