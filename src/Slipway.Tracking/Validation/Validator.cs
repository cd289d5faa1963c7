using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Validation;

/// <summary>Shape checks on names and values, with MLflow's messages where clients match on them.</summary>
public static class Validator
{
    /// <summary>Metric, param and tag names: <c>^[/\w.\- :]*$</c>, normalized (no <c>..</c>, no leading <c>/</c>), ≤ 250 chars.</summary>
    public static void EntityKey(string kind, string key)
    {
        if (key.Length > Limits.MaxEntityKeyLength)
            throw SlipwayException.InvalidParameter($"{kind} '{Shorten(key)}' had length {key.Length}, which exceeded length limit of {Limits.MaxEntityKeyLength}");
        foreach (var c in key)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '/' or '.' or '-' or ' ' or ':'))
                throw SlipwayException.InvalidParameter($"Invalid {kind.ToLowerInvariant()} name: '{key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).");
        }
        if (key.StartsWith('/') || HasDotSegment(key))
            throw SlipwayException.InvalidParameter($"Invalid {kind.ToLowerInvariant()} name: '{key}'. Names cannot be absolute paths or contain '..' or '.' segments.");
    }

    /// <summary>Over-long param and tag values are truncated, as the reference server does, not rejected.</summary>
    public static string Truncate(string value, int limit) => value.Length <= limit ? value : value[..limit];

    public static void MaxLength(string what, string value, int limit)
    {
        if (value.Length > limit)
            throw SlipwayException.InvalidParameter($"{what} '{Shorten(value)}' had length {value.Length}, which exceeded length limit of {limit}");
    }

    public static void Timestamp(long timestamp)
    {
        if (timestamp < 0)
            throw SlipwayException.InvalidParameter($"Metric timestamp must be a nonnegative long, got {timestamp}");
    }

    public static void RunStatusValue(string status)
    {
        if (!RunStatus.IsValid(status))
            throw SlipwayException.InvalidParameter($"Invalid value '{status}' for parameter 'status': expected one of RUNNING, SCHEDULED, FINISHED, FAILED, KILLED.");
    }

    public static void MaxResults(int maxResults, int limit)
    {
        if (maxResults <= 0 || maxResults > limit)
            throw SlipwayException.InvalidParameter($"Invalid value {maxResults} for parameter 'max_results' supplied. It must be at most {limit}, and positive.");
    }

    /// <summary>True when a '/'-separated segment is "." or "..", checked without splitting (this runs per metric).</summary>
    private static bool HasDotSegment(string key)
    {
        var rest = key.AsSpan();
        while (true)
        {
            var slash = rest.IndexOf('/');
            var segment = slash < 0 ? rest : rest[..slash];
            if (segment is "." or "..")
                return true;
            if (slash < 0)
                return false;
            rest = rest[(slash + 1)..];
        }
    }

    private static string Shorten(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
