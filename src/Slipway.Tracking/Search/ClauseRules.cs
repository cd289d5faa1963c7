using Slipway.Core.Errors;

namespace Slipway.Tracking.Search;

/// <summary>
/// Checks shared by the run and experiment parsers. Messages follow MLflow's wording where clients or users may
/// recognise it, and always name the offending key and value.
/// </summary>
internal static class ClauseRules
{
    public static readonly Comparator[] Numeric =
        [Comparator.Equal, Comparator.NotEqual, Comparator.Greater, Comparator.GreaterOrEqual, Comparator.Less, Comparator.LessOrEqual];

    public static readonly Comparator[] Text = [Comparator.Equal, Comparator.NotEqual, Comparator.Like, Comparator.ILike];

    public static readonly Comparator[] TextOrList =
        [Comparator.Equal, Comparator.NotEqual, Comparator.Like, Comparator.ILike, Comparator.In, Comparator.NotIn];

    /// <param name="what">How the key is described in the message, e.g. <c>metric</c> or <c>numeric attribute</c>.</param>
    public static void RequireComparator(RawClause clause, Comparator[] allowed, string what)
    {
        if (Array.IndexOf(allowed, clause.Comparator) >= 0)
            return;
        var names = new string[allowed.Length];
        for (var i = 0; i < allowed.Length; i++)
            names[i] = FilterSyntax.ComparatorText(allowed[i]);
        throw SlipwayException.InvalidParameter(
            $"Invalid comparator '{FilterSyntax.ComparatorText(clause.Comparator)}' for {what} '{clause.Key.Text}' not one of '{string.Join(", ", names)}'.");
    }

    public static void RequireNumber(RawClause clause, string what)
    {
        if (clause.Value.Number is null)
            throw SlipwayException.InvalidParameter($"Expected numeric value type for {what} '{clause.Key.Text}'. Found {clause.ValueText}");
    }

    public static void RequireText(RawClause clause, string what)
    {
        if (clause.Value.Text is null)
            throw SlipwayException.InvalidParameter(
                $"Expected a quoted string value for {what} '{clause.Key.Text}' (e.g. 'my-value'). Got value {clause.ValueText}");
    }

    /// <summary>A list is only ever parsed after IN / NOT IN, so this rejects those comparators too.</summary>
    public static void RejectList(RawClause clause, string reason)
    {
        if (clause.Value.List is not null)
            throw SlipwayException.InvalidParameter(reason);
    }

    /// <summary>Formats valid keys for "Valid keys are …" messages, keeping the declared order.</summary>
    public static string KeyList(IEnumerable<string> keys) => "'" + string.Join("', '", keys) + "'";
}
