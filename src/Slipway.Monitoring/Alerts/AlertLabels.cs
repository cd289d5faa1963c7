using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Slipway.Monitoring.Alerts;

/// <summary>
/// The rule kinds, the label and annotation names Slipway puts on alerts, and the fingerprint. Labels identify an
/// alert, so only things that stay put for the life of a problem go there: never a score, a model version or a run,
/// or a rollout (or a new drift score) would look like a different alert to Alertmanager and the old one would hang
/// until it timed out.
/// </summary>
public static class AlertLabels
{
    public const string DriftShareKind = "drift_share";
    public const string FeatureDriftKind = "feature_drift";
    public const string PredictionDriftKind = "prediction_drift";
    public const string PerformanceKind = "performance";
    public const string DataQualityKind = "data_quality";

    public const string AlertName = "alertname";
    public const string Monitor = "monitor";
    public const string Endpoint = "endpoint";
    public const string Rule = "rule";
    public const string Severity = "severity";
    public const string Feature = "feature";
    public const string Metric = "metric";

    public const string Summary = "summary";
    public const string Description = "description";
    public const string Method = "method";
    public const string Score = "score";
    public const string Threshold = "threshold";
    public const string ModelVersion = "model_version";
    public const string DriftShare = "drift_share";
    public const string RunUrl = "run_url";
    public const string WindowStart = "window_start";
    public const string WindowEnd = "window_end";

    /// <summary>The rule kinds the evaluator knows.</summary>
    public static IReadOnlyList<string> Kinds { get; } =
        [DriftShareKind, FeatureDriftKind, PredictionDriftKind, PerformanceKind, DataQualityKind];

    /// <summary>The <c>alertname</c> of a rule kind, e.g. <c>SlipwayFeatureDrift</c> for <c>feature_drift</c>.</summary>
    public static string AlertNameOf(string kind)
    {
        var name = new StringBuilder("Slipway", kind.Length + 7);
        var upper = true;
        foreach (var c in kind)
        {
            if (c is '_' or '-' or ' ')
            {
                upper = true;
                continue;
            }
            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return name.ToString();
    }

    /// <summary>
    /// A stable hash of the label set: SHA-256 over the labels sorted by name (ordinal), each as name, NUL, value,
    /// NUL, of which the first 8 bytes in lowercase hex. Independent of insertion order, process and platform.
    /// </summary>
    public static string Fingerprint(IReadOnlyDictionary<string, string> labels)
    {
        var names = labels.Keys.ToArray();
        Array.Sort(names, StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> separator = [0];
        foreach (var name in names)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(name));
            hash.AppendData(separator);
            hash.AppendData(Encoding.UTF8.GetBytes(labels[name]));
            hash.AppendData(separator);
        }
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Convert.ToHexStringLower(digest[..8]);
    }

    /// <summary>A number as annotations show it: invariant, six significant digits.</summary>
    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A time as Alertmanager and the webhook payload carry it: RFC 3339, UTC, milliseconds.</summary>
    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
