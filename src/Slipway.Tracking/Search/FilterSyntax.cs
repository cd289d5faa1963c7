using Slipway.Core.Errors;

namespace Slipway.Tracking.Search;

/// <summary>
/// A key as written: <c>prefix.key</c> splits at the first dot (as MLflow's <c>identifier.split(".", 1)</c> does),
/// a key without a dot has no prefix. <see cref="Text"/> is the source text for error messages.
/// </summary>
internal sealed record SearchKey(string? Prefix, string Name, string Text);

/// <summary>A syntactically valid clause, before the search-specific rules decide what the key may be.</summary>
internal sealed record RawClause(SearchKey Key, Comparator Comparator, FilterValue Value, string ValueText);

/// <summary>
/// The grammar shared by every MLflow search: <c>key op value [AND key op value]…</c> and <c>key [ASC|DESC]</c>.
/// The run and experiment parsers apply their own rules about keys, comparators and value types on top.
/// </summary>
internal static class FilterSyntax
{
    public static List<RawClause> ParseClauses(string filter)
    {
        var tokens = FilterTokenizer.Tokenize(filter, "filter");
        var clauses = new List<RawClause>();
        var index = 0;
        while (true)
        {
            clauses.Add(ParseClause(tokens, ref index, filter));
            var next = tokens[index++];
            if (next.Kind == FilterTokenKind.End)
                return clauses;
            if (next.Kind == FilterTokenKind.Or)
                throw Invalid(filter, "'OR' is not supported; clauses can only be joined with AND");
            if (next.Kind != FilterTokenKind.And)
                throw Invalid(filter, $"expected AND between clauses but found '{next.Raw}'");
        }
    }

    private static RawClause ParseClause(List<FilterToken> tokens, ref int index, string filter)
    {
        var first = tokens[index++];
        if (first.Kind == FilterTokenKind.OpenParen)
            throw Invalid(filter, "parentheses for grouping are not supported; join clauses with AND");
        if (first.Kind == FilterTokenKind.Or)
            throw Invalid(filter, "'OR' is not supported; clauses can only be joined with AND");
        var key = ToKey(first) ?? throw Invalid(filter, $"expected a key such as metrics.rmse but found '{first.Raw}'");

        var op = tokens[index++];
        Comparator comparator;
        switch (op.Kind)
        {
            case FilterTokenKind.Comparator: comparator = op.Comparator; break;
            case FilterTokenKind.Like: comparator = Comparator.Like; break;
            case FilterTokenKind.ILike: comparator = Comparator.ILike; break;
            case FilterTokenKind.In: comparator = Comparator.In; break;
            case FilterTokenKind.Not when tokens[index].Kind == FilterTokenKind.In:
                index++;
                comparator = Comparator.NotIn;
                break;
            default:
                throw Invalid(filter, $"expected a comparator after '{key.Text}' but found '{op.Raw}'");
        }

        if (comparator is Comparator.In or Comparator.NotIn)
        {
            var list = ParseList(tokens, ref index, filter, key);
            return new RawClause(key, comparator, FilterValue.OfList(list), $"({string.Join(", ", list)})");
        }

        var value = tokens[index++];
        return value.Kind switch
        {
            FilterTokenKind.String => new RawClause(key, comparator, FilterValue.OfText(value.Value), value.Raw),
            FilterTokenKind.Number => new RawClause(key, comparator, FilterValue.OfNumber(value.Number), value.Raw),
            // MLflow's wording, from _strip_quotes: an unquoted word is a string someone forgot to quote.
            FilterTokenKind.Identifier => throw SlipwayException.InvalidParameter(
                $"Parameter value is either not quoted or unidentified quote types used for string value {value.Raw}. Use either single or double quotes."),
            FilterTokenKind.OpenParen => throw Invalid(filter, $"a list of values after '{key.Text}' needs IN or NOT IN"),
            _ => throw Invalid(filter, $"expected a value after '{key.Text} {ComparatorText(comparator)}' but found '{value.Raw}'"),
        };
    }

    private static List<string> ParseList(List<FilterToken> tokens, ref int index, string filter, SearchKey key)
    {
        if (tokens[index++].Kind != FilterTokenKind.OpenParen)
            throw Invalid(filter, $"IN and NOT IN after '{key.Text}' need a parenthesised list such as ('a', 'b')");
        var values = new List<string>();
        while (true)
        {
            var item = tokens[index++];
            if (item.Kind != FilterTokenKind.String)
                throw Invalid(filter, $"expected a non-empty list of quoted string values after '{key.Text}' but found '{item.Raw}'");
            values.Add(item.Value);
            var separator = tokens[index++];
            if (separator.Kind == FilterTokenKind.CloseParen)
                return values;
            if (separator.Kind != FilterTokenKind.Comma)
                throw Invalid(filter, $"expected ',' or ')' in the list after '{key.Text}' but found '{separator.Raw}'");
        }
    }

    /// <summary>Parses one <c>order_by</c> entry: a key, then optionally ASC or DESC (any case).</summary>
    public static (SearchKey Key, bool Ascending) ParseOrder(string orderBy)
    {
        var tokens = FilterTokenizer.Tokenize(orderBy, "order_by clause");
        var key = ToKey(tokens[0]) ?? throw SlipwayException.InvalidParameter($"Invalid order_by clause '{orderBy}'. Could not be parsed.");
        var direction = tokens[1];
        if (direction.Kind == FilterTokenKind.End)
            return (key, true);
        var word = direction.Kind == FilterTokenKind.Identifier && direction.Parts.Count == 1 ? direction.Raw.ToUpperInvariant() : null;
        if (word is not ("ASC" or "DESC"))
            throw SlipwayException.InvalidParameter($"Invalid ordering key in order_by clause '{orderBy}'.");
        if (tokens[2].Kind != FilterTokenKind.End)
            throw SlipwayException.InvalidParameter($"Invalid order_by clause '{orderBy}'. Could not be parsed.");
        return (key, word == "ASC");
    }

    private static SearchKey? ToKey(FilterToken token) => token.Kind switch
    {
        FilterTokenKind.Identifier when token.Parts.Count == 1 => new SearchKey(null, token.Parts[0], token.Raw),
        FilterTokenKind.Identifier => new SearchKey(token.Parts[0], string.Join('.', token.Parts.Skip(1)), token.Raw),
        // sqlparse reads "run name" as a quoted identifier, so a double-quoted key is allowed where a key is expected.
        FilterTokenKind.String when token.Raw.StartsWith('"') => new SearchKey(null, token.Value, token.Raw),
        _ => null,
    };

    public static string ComparatorText(Comparator comparator) => comparator switch
    {
        Comparator.Equal => "=",
        Comparator.NotEqual => "!=",
        Comparator.Greater => ">",
        Comparator.GreaterOrEqual => ">=",
        Comparator.Less => "<",
        Comparator.LessOrEqual => "<=",
        Comparator.Like => "LIKE",
        Comparator.ILike => "ILIKE",
        Comparator.In => "IN",
        _ => "NOT IN",
    };

    private static SlipwayException Invalid(string filter, string detail) =>
        SlipwayException.InvalidParameter($"Invalid clause(s) in filter string '{filter}': {detail}.");

    /// <summary>Parses an AND-joined filter and checks each clause with <paramref name="validate"/>; blank matches everything.</summary>
    public static IReadOnlyList<FilterClause> ParseFilter(string? filter, Func<RawClause, FilterClause> validate)
    {
        if (string.IsNullOrWhiteSpace(filter))
            return [];
        var raw = ParseClauses(filter);
        var clauses = new FilterClause[raw.Count];
        for (var i = 0; i < raw.Count; i++)
            clauses[i] = validate(raw[i]);
        return clauses;
    }
}
