using System.Globalization;
using System.Text.RegularExpressions;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Gc;

/// <summary>What <c>slipway gc</c> should remove: everything deleted longer ago than <paramref name="OlderThan"/>,
/// narrowed to the named runs and experiments when either list is given.</summary>
public sealed record GcRequest(TimeSpan OlderThan, IReadOnlyList<string> RunIds, IReadOnlyList<string> ExperimentIds, bool DryRun);

/// <summary>One run or experiment the collector purged (or would purge, in a dry run) or kept, and why.</summary>
public sealed record GcItem(string Kind, string Id, string Name, long DeletedTime, string Detail);

/// <summary>
/// The outcome of one collection. <see cref="LeftInPlace"/> names artifact locations kept on purpose (outside the
/// server's store, or shared); <see cref="Missing"/> names artifact paths where the store held nothing (a wrong
/// <c>--artifacts-destination</c> shows up here); <see cref="Failures"/> names folders whose delete failed after their
/// rows were gone, so an operator can remove them by hand.
/// </summary>
public sealed record GcReport(
    bool DryRun,
    IReadOnlyList<GcItem> Purged,
    IReadOnlyList<GcItem> Kept,
    IReadOnlyList<string> LeftInPlace,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Failures);

/// <summary>Retention periods as MLflow's <c>mlflow gc --older-than</c> writes them: <c>30d</c>, <c>12h</c>, <c>1d2h3m4s</c>, <c>0</c>.</summary>
public static partial class RetentionPeriod
{
    [GeneratedRegex(@"^(?:(?<n>\d+)(?<unit>[dhms]))+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static TimeSpan Parse(string text)
    {
        var trimmed = text.Trim();
        if (trimmed == "0")
            return TimeSpan.Zero;
        var match = Pattern().Match(trimmed);
        if (!match.Success)
            throw SlipwayException.InvalidParameter($"Invalid retention period '{text}': use a number with a unit, e.g. 30d, 12h, 1d2h30m, 45s (or 0 for no retention).");
        var total = TimeSpan.Zero;
        var numbers = match.Groups["n"].Captures;
        var units = match.Groups["unit"].Captures;
        for (var i = 0; i < numbers.Count; i++)
        {
            var n = long.Parse(numbers[i].Value, CultureInfo.InvariantCulture);
            total += units[i].Value switch
            {
                "d" => TimeSpan.FromDays(n),
                "h" => TimeSpan.FromHours(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromSeconds(n),
            };
        }
        return total;
    }
}
