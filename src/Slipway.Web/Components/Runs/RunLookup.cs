using System.Runtime.CompilerServices;
using Slipway.Tracking.Domain;

namespace Slipway.Web.Components.Runs;

/// <summary>
/// A run's latest metrics, params and tags by key. Built once per loaded <see cref="Run"/> object and kept alongside
/// it, so a table that looks up rows × columns on every re-render (a checkbox click) does dictionary reads instead
/// of scanning each run's lists; a reload brings new run objects and so new lookups.
/// </summary>
public sealed class RunLookup
{
    private static readonly ConditionalWeakTable<Run, RunLookup> Cache = new();

    private RunLookup(Run run)
    {
        // The first entry of a key wins, as the scans this replaces did; keys are unique per run in practice.
        foreach (var metric in run.Metrics)
            Metrics.TryAdd(metric.Key, metric.Value);
        foreach (var param in run.Params)
            Params.TryAdd(param.Key, param.Value);
        foreach (var tag in run.Tags)
            Tags.TryAdd(tag.Key, tag.Value);
    }

    /// <summary>The latest value of each metric.</summary>
    public Dictionary<string, double> Metrics { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Params { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Tags { get; } = new(StringComparer.Ordinal);

    /// <summary>The lookup of <paramref name="run"/>, built on first use.</summary>
    public static RunLookup For(Run run) => Cache.GetValue(run, r => new RunLookup(r));

    public static double? Metric(Run run, string key) => For(run).Metrics.TryGetValue(key, out var value) ? value : null;

    public static string? Param(Run run, string key) => For(run).Params.GetValueOrDefault(key);

    /// <summary>The tag's value, or null when it is missing or empty.</summary>
    public static string? Tag(Run run, string key) => For(run).Tags.GetValueOrDefault(key) is { Length: > 0 } value ? value : null;
}

/// <summary>How the UI names a run: its run name, else the start of its id (whole when shorter).</summary>
public static class RunLabel
{
    public static string Of(RunInfo info) =>
        string.IsNullOrEmpty(info.RunName) ? info.RunId[..Math.Min(8, info.RunId.Length)] : info.RunName;

    public static string Of(Run run) => Of(run.Info);
}
