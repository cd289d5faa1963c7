using System.Text.RegularExpressions;

namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>
/// The metric names a PromQL expression (or a Grafana <c>label_values(...)</c> query) selects. Not a full parser: it
/// removes what cannot be a metric name (strings, label matchers, ranges, grouping clauses, numbers), then keeps every
/// identifier that is not a function call, keyword or Grafana variable. Tests compare the result with a real scrape.
/// </summary>
internal static partial class PromQlMetricNames
{
    /// <summary>Series Prometheus makes itself for every target; they are never on a target's /metrics.</summary>
    public static readonly IReadOnlySet<string> Synthetic = new HashSet<string>(StringComparer.Ordinal)
    {
        "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added",
    };

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset",
        "inf", "nan", "le",
    };

    public static IReadOnlySet<string> Of(string expression)
    {
        var text = StringLiteral().Replace(expression, "\"\"");
        text = Matchers().Replace(text, " ");
        text = Ranges().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        text = Variables().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifier().Matches(text))
        {
            var name = match.Groups["name"].Value;
            if (match.Groups["call"].Success || Keywords.Contains(name.ToLowerInvariant()))
                continue;
            names.Add(name);
        }
        return names;
    }

    /// <summary>The metric a Grafana variable query reads: <c>label_values(metric{...}, label)</c>, or the names in a
    /// <c>query_result(expr)</c>; a query over labels only (<c>label_values(label)</c>) names none.</summary>
    public static IReadOnlySet<string> OfVariableQuery(string query)
    {
        var labelValues = LabelValues().Match(query);
        if (labelValues.Success)
            return labelValues.Groups["metric"].Success ? new HashSet<string>([labelValues.Groups["metric"].Value], StringComparer.Ordinal) : new HashSet<string>();
        var result = QueryResult().Match(query);
        return result.Success ? Of(result.Groups["expr"].Value) : new HashSet<string>();
    }

    /// <summary>Whether the scrape exposes <paramref name="name"/> as a series (histogram <c>_bucket/_sum/_count</c> included).</summary>
    public static bool IsExported(string name, IReadOnlySet<string> scrapedSeriesNames) =>
        Synthetic.Contains(name) || scrapedSeriesNames.Contains(name);

    /// <summary>Names of the series in a Prometheus text exposition (the part before <c>{</c> or the value).</summary>
    public static IReadOnlySet<string> SeriesNames(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line[..line.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

    [GeneratedRegex(@"^\s*label_values\(\s*(?:(?<metric>[a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{[^{}]*\})?\s*,)?\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValues();

    [GeneratedRegex(@"^\s*query_result\((?<expr>.*)\)\s*$")]
    private static partial Regex QueryResult();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Matchers();

    [GeneratedRegex(@"\[[^\[\]]*\]")]
    private static partial Regex Ranges();

    [GeneratedRegex(@"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\$\{?\w+\}?")]
    private static partial Regex Variables();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifier();
}
