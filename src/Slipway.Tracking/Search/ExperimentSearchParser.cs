using Slipway.Core.Errors;

namespace Slipway.Tracking.Search;

/// <summary>
/// Parses <c>experiments/search</c> <c>filter</c> and <c>order_by</c> with the rules of MLflow's
/// <c>SearchExperimentsUtils</c>: only attributes and tags, and a smaller attribute set than runs.
/// </summary>
public static class ExperimentSearchParser
{
    private static readonly string[] FilterAttributeKeys = ["name", "creation_time", "last_update_time"];

    // experiment_id is orderable (it is also the tie-break) but MLflow does not accept it in a filter.
    private static readonly string[] OrderAttributeKeys = ["name", "experiment_id", "creation_time", "last_update_time"];

    /// <summary>Parses an AND-joined filter; a null, empty or blank filter matches everything.</summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter) => FilterSyntax.ParseFilter(filter, Validate);

    /// <summary>Parses <c>"key [ASC|DESC]"</c> entries over experiment attributes; ascending is the default.</summary>
    public static IReadOnlyList<OrderClause> ParseOrderBy(IReadOnlyList<string>? orderBy)
    {
        if (orderBy is null || orderBy.Count == 0)
            return [];
        var clauses = new OrderClause[orderBy.Count];
        for (var i = 0; i < orderBy.Count; i++)
        {
            var (key, ascending) = FilterSyntax.ParseOrder(orderBy[i]);
            if (ResolveKind(key) != EntityKind.Attribute)
                throw SlipwayException.InvalidParameter(
                    $"Invalid order_by clause '{orderBy[i]}': experiments can only be ordered by attributes.");
            clauses[i] = new OrderClause(EntityKind.Attribute, RequireAttribute(key, OrderAttributeKeys), ascending);
        }
        return clauses;
    }

    private static FilterClause Validate(RawClause clause)
    {
        var kind = ResolveKind(clause.Key);
        if (kind == EntityKind.Tag)
        {
            ClauseRules.RequireText(clause, "tag");
            ClauseRules.RequireComparator(clause, ClauseRules.Text, "tag");
            return new FilterClause(kind, clause.Key.Name, clause.Comparator, clause.Value);
        }

        var key = RequireAttribute(clause.Key, FilterAttributeKeys);
        if (key == "name")
        {
            ClauseRules.RejectList(clause, "Experiment attributes do not support comparison with a list of values.");
            ClauseRules.RequireText(clause, "attribute");
            ClauseRules.RequireComparator(clause, ClauseRules.Text, "attribute");
        }
        else
        {
            ClauseRules.RequireNumber(clause, "numeric attribute");
            ClauseRules.RequireComparator(clause, ClauseRules.Numeric, "numeric attribute");
        }
        return new FilterClause(kind, key, clause.Comparator, clause.Value);
    }

    private static EntityKind ResolveKind(SearchKey key)
    {
        if (key.Name.Length == 0)
            throw SlipwayException.InvalidParameter($"Invalid key '{key.Text}': the name after the prefix is empty.");
        return key.Prefix switch
        {
            null or "attribute" or "attributes" => EntityKind.Attribute,
            "tag" or "tags" => EntityKind.Tag,
            _ => throw SlipwayException.InvalidParameter(
                $"Invalid entity type '{key.Prefix}'. Valid entity types are ('attribute', 'tag', 'tags')"),
        };
    }

    private static string RequireAttribute(SearchKey key, string[] validKeys)
    {
        if (Array.IndexOf(validKeys, key.Name) < 0)
            throw SlipwayException.InvalidParameter(
                $"Invalid attribute key '{key.Name}' specified. Valid keys are {ClauseRules.KeyList(validKeys)}");
        return key.Name;
    }
}
