using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Tracking.Search;

namespace Slipway.Tracking.Tests.Search;

/// <summary>
/// Renders parsed clauses as compact text so expectations read like the filter they came from
/// (record equality would compare list values by reference).
/// </summary>
internal static class SearchDescriber
{
    public static string Describe(IReadOnlyList<FilterClause> clauses) =>
        string.Join(" AND ", clauses.Select(c => $"{c.Kind} {c.Key} {c.Comparator} {Describe(c.Value)}"));

    public static string Describe(IReadOnlyList<OrderClause> clauses) =>
        string.Join(", ", clauses.Select(c => $"{c.Kind} {c.Key} {(c.Ascending ? "asc" : "desc")}"));

    private static string Describe(FilterValue value)
    {
        var set = (value.Text is null ? 0 : 1) + (value.Number is null ? 0 : 1) + (value.List is null ? 0 : 1);
        Assert.Equal(1, set);
        if (value.Number is { } number)
            return number.ToString("R", CultureInfo.InvariantCulture);
        if (value.Text is { } text)
            return $"'{text}'";
        return "(" + string.Join(", ", value.List!.Select(v => $"'{v}'")) + ")";
    }

    /// <summary>Asserts the call fails as a 400 INVALID_PARAMETER_VALUE whose message names the bad part.</summary>
    public static void AssertInvalid(Action parse, string messageFragment)
    {
        var error = Assert.Throws<SlipwayException>(parse);
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(messageFragment, error.Message, StringComparison.Ordinal);
    }
}
