using Slipway.Tracking.Domain;
using Slipway.Web.Components.Shared;

namespace Slipway.Web.Components.Runs;

/// <summary>What a column of the runs table shows: a run attribute, or a metric, param or tag by key.</summary>
public enum RunColumnKind
{
    Attribute,
    Metric,
    Param,
    Tag,
}

/// <summary>
/// One column of the runs table. <see cref="Id"/> is the MLflow search key (<c>metrics.rmse</c>,
/// <c>attributes.start_time</c>) and doubles as the column's stable test selector; <see cref="OrderBy"/> is the
/// order_by clause that sorts by it, with the key quoted in backticks when the grammar needs it.
/// </summary>
public sealed record RunColumn(RunColumnKind Kind, string Key, string Header)
{
    public string Id => Prefix(Kind) + "." + Key;

    /// <summary>The order_by clause, or null for a key the search language cannot express (see <see cref="QuoteKey"/>).</summary>
    public string? OrderBy(bool descending) =>
        QuoteKey(Key) is { } quoted ? Prefix(Kind) + "." + quoted + (descending ? " DESC" : " ASC") : null;

    /// <summary>The cell text for <paramref name="run"/>: the latest metric value, the param or tag value, or a dash.</summary>
    public string Cell(Run run) => Kind switch
    {
        RunColumnKind.Metric => RunLookup.Metric(run, Key) is { } value ? UiFormat.Number(value) : "—",
        RunColumnKind.Param => RunLookup.Param(run, Key) ?? "—",
        RunColumnKind.Tag => RunLookup.For(run).Tags.GetValueOrDefault(Key) ?? "—",
        _ => "",
    };

    /// <summary>
    /// Keys made of letters, digits and underscores go bare; anything else (dots, dashes, spaces) in backticks, with
    /// an embedded backtick doubled as the search tokenizer reads it. A backslash right before a backtick (or at the
    /// end) would escape it instead, so such a key is not expressible and yields null: the column does not sort.
    /// </summary>
    public static string? QuoteKey(string key)
    {
        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                return SearchQuoting.Quote(key, '`');
        }
        return key.Length == 0 || char.IsAsciiDigit(key[0]) ? SearchQuoting.Quote(key, '`') : key;
    }

    public static RunColumn Metric(string key) => new(RunColumnKind.Metric, key, key);

    public static RunColumn Param(string key) => new(RunColumnKind.Param, key, key);

    public static RunColumn Tag(string key) => new(RunColumnKind.Tag, key, key);

    private static string Prefix(RunColumnKind kind) => kind switch
    {
        RunColumnKind.Metric => "metrics",
        RunColumnKind.Param => "params",
        RunColumnKind.Tag => "tags",
        _ => "attributes",
    };
}

/// <summary>The attribute columns that sort on the server (duration has no search key, so it does not sort).</summary>
public static class RunAttributeColumns
{
    public static readonly RunColumn Name = new(RunColumnKind.Attribute, "run_name", "Run");
    public static readonly RunColumn Status = new(RunColumnKind.Attribute, "status", "Status");
    public static readonly RunColumn StartTime = new(RunColumnKind.Attribute, "start_time", "Started");
    public static readonly RunColumn User = new(RunColumnKind.Attribute, "user_id", "User");
}
