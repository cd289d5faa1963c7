using Slipway.Core.Errors;
using Slipway.Tracking.Search;

namespace Slipway.Registry.Search;

/// <summary>
/// Parses <c>registered-models/search</c> and <c>model-versions/search</c> filters and orderings with the rules of
/// MLflow's <c>SearchModelUtils</c> and <c>SearchModelVersionUtils</c>. Canonical attribute keys:
/// <c>name</c>, <c>run_id</c>, <c>source</c> (written <c>source_path</c>), <c>version_number</c>,
/// <c>creation_timestamp</c> (also <c>timestamp</c>) and <c>last_updated_timestamp</c>; tag clauses keep the tag key.
/// </summary>
public static class RegistrySearchParser
{
    private static readonly string[] ModelFilterKeys = ["name"];
    private static readonly string[] ModelOrderKeys = ["name", "timestamp", "creation_timestamp", "last_updated_timestamp"];
    private static readonly string[] VersionFilterKeys = ["name", "run_id", "source_path", "version_number"];
    private static readonly string[] VersionOrderKeys = ["name", "version_number", "timestamp", "creation_timestamp", "last_updated_timestamp"];

    public static IReadOnlyList<FilterClause> ParseModelFilter(string? filter) =>
        FilterSyntax.ParseFilter(filter, clause => ValidateClause(clause, ModelFilterKeys, "registered model"));

    public static IReadOnlyList<FilterClause> ParseVersionFilter(string? filter) =>
        FilterSyntax.ParseFilter(filter, clause => ValidateClause(clause, VersionFilterKeys, "model version"));

    public static IReadOnlyList<OrderClause> ParseModelOrderBy(IReadOnlyList<string>? orderBy) => ParseOrderBy(orderBy, ModelOrderKeys);

    public static IReadOnlyList<OrderClause> ParseVersionOrderBy(IReadOnlyList<string>? orderBy) => ParseOrderBy(orderBy, VersionOrderKeys);

    private static FilterClause ValidateClause(RawClause clause, string[] attributeKeys, string what)
    {
        if (IsTag(clause.Key))
        {
            ClauseRules.RejectList(clause, $"Tags of a {what} do not support comparison with a list of values.");
            ClauseRules.RequireText(clause, "tag");
            ClauseRules.RequireComparator(clause, ClauseRules.Text, "tag");
            return new FilterClause(EntityKind.Tag, clause.Key.Name, clause.Comparator, clause.Value);
        }
        var key = RequireAttribute(clause.Key, attributeKeys);
        switch (key)
        {
            case "version_number":
                ClauseRules.RequireNumber(clause, "numeric attribute");
                ClauseRules.RequireComparator(clause, ClauseRules.Numeric, "attribute version_number");
                break;
            case "name" when attributeKeys == ModelFilterKeys:
                ClauseRules.RejectList(clause, "Registered model names do not support comparison with a list of values.");
                ClauseRules.RequireText(clause, "attribute");
                ClauseRules.RequireComparator(clause, ClauseRules.Text, "attribute");
                break;
            default:
                if (clause.Value.List is null)
                    ClauseRules.RequireText(clause, "attribute");
                ClauseRules.RequireComparator(clause, ClauseRules.TextOrList, "attribute");
                break;
        }
        return new FilterClause(EntityKind.Attribute, key == "source_path" ? "source" : key, clause.Comparator, clause.Value);
    }

    private static IReadOnlyList<OrderClause> ParseOrderBy(IReadOnlyList<string>? orderBy, string[] validKeys)
    {
        if (orderBy is null || orderBy.Count == 0)
            return [];
        var clauses = new List<OrderClause>(orderBy.Count);
        foreach (var entry in orderBy)
        {
            var (key, ascending) = FilterSyntax.ParseOrder(entry);
            if (key.Prefix is not (null or "attribute" or "attributes") || Array.IndexOf(validKeys, key.Name) < 0)
                throw SlipwayException.InvalidParameter($"Invalid order by key '{key.Text}' specified. Valid keys are {ClauseRules.KeyList(validKeys)}");
            var canonical = key.Name == "timestamp" ? "creation_timestamp" : key.Name;
            if (clauses.Exists(c => c.Key == canonical))
                throw SlipwayException.InvalidParameter($"`order_by` contains duplicate fields: {entry}");
            clauses.Add(new OrderClause(EntityKind.Attribute, canonical, ascending));
        }
        return clauses;
    }

    private static bool IsTag(SearchKey key) => key.Prefix is "tag" or "tags";

    private static string RequireAttribute(SearchKey key, string[] validKeys)
    {
        if (key.Prefix is not (null or "attribute" or "attributes"))
            throw SlipwayException.InvalidParameter($"Invalid entity type '{key.Prefix}'. Valid entity types are ('attribute', 'tag', 'tags')");
        if (key.Name.Length == 0 || Array.IndexOf(validKeys, key.Name) < 0)
            throw SlipwayException.InvalidParameter($"Invalid attribute key '{key.Text}' specified. Valid keys are {ClauseRules.KeyList(validKeys)}");
        return key.Name;
    }
}
