using Slipway.Core.Errors;

namespace Slipway.Tracking.Search;

/// <summary>
/// Parses <c>runs/search</c> <c>filter</c> and <c>order_by</c> with the rules of MLflow's <c>SearchUtils</c>:
/// which prefixes name which kind of key, which attributes exist, and which comparators and value types fit each.
/// </summary>
public static class RunSearchParser
{
    private const string RunIdKey = "run_id";

    // The keys MLflow accepts after attribute./attr./run. or bare, in its own spellings; "created" and the spaced
    // run-name forms are aliases kept for old UI-generated filters (SearchUtils.translate_key_alias).
    private static readonly string[] FilterAttributeKeys =
        [RunIdKey, "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time", "created", "Created", "run name", "Run name", "Run Name"];

    // lifecycle_stage is orderable but not filterable: deleted runs are selected with run_view_type instead.
    private static readonly string[] OrderAttributeKeys =
        [RunIdKey, "run_name", "status", "user_id", "artifact_uri", "start_time", "end_time", "lifecycle_stage", "created", "Created", "run name", "Run name", "Run Name"];

    private static readonly string[] DatasetKeys = ["name", "digest", "context"];

    /// <summary>Parses an AND-joined filter; a null, empty or blank filter matches everything.</summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) => FilterSyntax.ParseFilter(filter, Validate);

    /// <summary>Parses <c>"key [ASC|DESC]"</c> entries, keeping their order; ascending is the default.</summary>
    public static IReadOnlyList<OrderClause> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        if (orderBy is null || orderBy.Count == 0)
            return [];
        var clauses = new OrderClause[orderBy.Count];
        for (var i = 0; i < orderBy.Count; i++)
        {
            var (key, ascending) = FilterSyntax.ParseOrder(orderBy[i]);
            var kind = ResolveKind(key);
            var name = kind switch
            {
                EntityKind.Attribute => CanonicalAttribute(key, OrderAttributeKeys),
                EntityKind.Dataset => throw SlipwayException.InvalidParameter(
                    $"Invalid order_by clause '{orderBy[i]}': runs can be ordered by metrics, params, tags and attributes, not datasets."),
                _ => key.Name,
            };
            clauses[i] = new OrderClause(kind, name, ascending);
        }
        return clauses;
    }

    private static FilterClause Validate(RawClause clause)
    {
        var kind = ResolveKind(clause.Key);
        var key = clause.Key.Name;
        switch (kind)
        {
            case EntityKind.Metric:
                ClauseRules.RequireNumber(clause, "metric");
                ClauseRules.RequireComparator(clause, ClauseRules.Numeric, "metric");
                break;
            case EntityKind.Param or EntityKind.Tag:
                var what = kind == EntityKind.Param ? "parameter" : "tag";
                ClauseRules.RequireText(clause, what);
                ClauseRules.RequireComparator(clause, ClauseRules.Text, what);
                break;
            case EntityKind.Attribute:
                key = CanonicalAttribute(clause.Key, FilterAttributeKeys);
                ValidateAttribute(clause, key);
                break;
            default:
                if (Array.IndexOf(DatasetKeys, key) < 0)
                    throw SlipwayException.InvalidParameter(
                        $"Invalid dataset key '{key}' specified. Valid keys are {ClauseRules.KeyList(DatasetKeys)}");
                if (clause.Value.List is null)
                    ClauseRules.RequireText(clause, "dataset attribute");
                ClauseRules.RequireComparator(clause, ClauseRules.TextOrList, "dataset attribute");
                break;
        }
        return new FilterClause(kind, key, clause.Comparator, clause.Value);
    }

    private static void ValidateAttribute(RawClause clause, string key)
    {
        if (key is "start_time" or "end_time")
        {
            ClauseRules.RequireNumber(clause, "numeric attribute");
            ClauseRules.RequireComparator(clause, ClauseRules.Numeric, "numeric attribute");
            return;
        }
        if (key != RunIdKey)
            ClauseRules.RejectList(clause, "Only the 'run_id' attribute supports comparison with a list of quoted string values.");
        if (clause.Value.List is null)
            ClauseRules.RequireText(clause, "attribute");
        ClauseRules.RequireComparator(clause, key == RunIdKey ? ClauseRules.TextOrList : ClauseRules.Text, "attribute");
    }

    private static EntityKind ResolveKind(SearchKey key)
    {
        if (key.Name.Length == 0)
            throw SlipwayException.InvalidParameter($"Invalid key '{key.Text}': the name after the prefix is empty.");
        if (key.Prefix is null)
            return EntityKind.Attribute;
        return key.Prefix switch
        {
            "metric" or "metrics" => EntityKind.Metric,
            "param" or "params" or "parameter" or "parameters" => EntityKind.Param,
            "tag" or "tags" => EntityKind.Tag,
            "attribute" or "attributes" or "attr" or "run" => EntityKind.Attribute,
            "dataset" or "datasets" => EntityKind.Dataset,
            _ => throw SlipwayException.InvalidParameter(
                $"Invalid entity type '{key.Prefix}'. Valid values are ['metric', 'parameter', 'tag', 'attribute', 'dataset']"),
        };
    }

    private static string CanonicalAttribute(SearchKey key, string[] validKeys)
    {
        if (Array.IndexOf(validKeys, key.Name) < 0)
            throw SlipwayException.InvalidParameter(
                $"Invalid attribute key '{key.Name}' specified. Valid keys are {ClauseRules.KeyList(validKeys)}");
        return key.Name switch
        {
            "created" or "Created" => "start_time",
            "run name" or "Run name" or "Run Name" => "run_name",
            _ => key.Name,
        };
    }
}
