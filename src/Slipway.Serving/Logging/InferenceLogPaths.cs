using System.Globalization;
using Slipway.Core.Errors;

namespace Slipway.Serving.Logging;

/// <summary>
/// Where the inference log lives in the artifact store. Hive-style <c>date=YYYY-MM-DD</c> folders let DuckDB, Spark
/// and pandas prune by day; feedback sits in its own <c>feedback/</c> folder so a <c>&lt;endpoint&gt;/*/*.parquet</c>
/// glob sees only predictions.
/// </summary>
public static class InferenceLogPaths
{
    public const string Root = "inference-logs";

    public static string EndpointFolder(string endpoint) => $"{Root}/{CheckedName(endpoint)}";

    public static string DateFolder(string endpoint, DateOnly date) => $"{EndpointFolder(endpoint)}/{DatePartition(date)}";

    public static string FeedbackDateFolder(string endpoint, DateOnly date) => $"{EndpointFolder(endpoint)}/feedback/{DatePartition(date)}";

    /// <summary>A new segment's file name: UTC write time, then 8 random hex digits so that replicas never collide.</summary>
    public static string SegmentName(DateTimeOffset now) =>
        $"part-{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{Guid.NewGuid().ToString("N")[..8]}.parquet";

    /// <summary>The UTC day of a unix time in milliseconds; false when it is outside what <see cref="DateTimeOffset"/> can hold.</summary>
    public static bool TryUtcDate(long unixMilliseconds, out DateOnly date)
    {
        if (unixMilliseconds < DateTimeOffset.MinValue.ToUnixTimeMilliseconds() || unixMilliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds())
        {
            date = default;
            return false;
        }
        date = DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime);
        return true;
    }

    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    public static string DatePartition(DateOnly date) => "date=" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // An endpoint name becomes exactly one folder; the artifact store rejects escapes, this rejects nesting.
    private static string CheckedName(string endpoint) =>
        endpoint.Length == 0 || endpoint is "." or ".." || endpoint.Contains('/', StringComparison.Ordinal) || endpoint.Contains('\\', StringComparison.Ordinal)
            ? throw SlipwayException.InvalidParameter($"Endpoint name '{endpoint}' cannot be used as an inference log folder.")
            : endpoint;
}
