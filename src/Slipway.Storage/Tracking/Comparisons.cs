using System.Linq.Expressions;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Tracking;

/// <summary>Comparison expressions for search clauses, with MLflow's semantics on both providers.</summary>
internal static class Comparisons
{
    /// <summary>
    /// String comparisons. LIKE is case-sensitive in MLflow: PostgreSQL's LIKE already is, SQLite's is not, so
    /// on SQLite the pattern becomes a GLOB. ILIKE compares lower-cased on both.
    /// </summary>
    public static Expression<Func<string, bool>> ForText(FilterClause clause, bool sqlite)
    {
        var value = clause.Value;
        switch (clause.Comparator)
        {
            case Comparator.Equal:
                var equal = RequireText(clause);
                return v => v == equal;
            case Comparator.NotEqual:
                var notEqual = RequireText(clause);
                return v => v != notEqual;
            case Comparator.Like when sqlite:
                var glob = LikeToGlob(RequireText(clause));
                return v => EF.Functions.Glob(v, glob);
            case Comparator.Like:
                var like = RequireText(clause);
                return v => EF.Functions.Like(v, like);
            case Comparator.ILike:
                var lower = RequireText(clause).ToLowerInvariant();
                return v => EF.Functions.Like(v.ToLower(), lower);
            case Comparator.In when value.List is { } list:
                var included = list.ToList();
                return v => included.Contains(v);
            case Comparator.NotIn when value.List is { } list:
                var excluded = list.ToList();
                return v => !excluded.Contains(v);
            default:
                throw Unsupported(clause);
        }
    }

    public static Expression<Func<double, bool>> ForNumber(FilterClause clause)
    {
        var n = clause.Value.Number ?? throw Unsupported(clause);
        return clause.Comparator switch
        {
            Comparator.Equal => v => v == n,
            Comparator.NotEqual => v => v != n,
            Comparator.Greater => v => v > n,
            Comparator.GreaterOrEqual => v => v >= n,
            Comparator.Less => v => v < n,
            Comparator.LessOrEqual => v => v <= n,
            _ => throw Unsupported(clause),
        };
    }

    /// <summary>Integer attributes (times) compare as integers so that SQL can use their indexes.</summary>
    public static Expression<Func<long, bool>> ForLong(FilterClause clause)
    {
        var number = clause.Value.Number ?? throw Unsupported(clause);
        var n = (long)Math.Floor(number);
        var exact = number == Math.Floor(number);
        return clause.Comparator switch
        {
            Comparator.Equal => exact ? v => v == n : v => false,
            Comparator.NotEqual => exact ? v => v != n : v => true,
            Comparator.Greater => v => v > n,
            Comparator.GreaterOrEqual => exact ? v => v >= n : v => v > n,
            Comparator.Less => exact ? v => v < n : v => v <= n,
            Comparator.LessOrEqual => v => v <= n,
            _ => throw Unsupported(clause),
        };
    }

    private static string RequireText(FilterClause clause) => clause.Value.Text ?? throw Unsupported(clause);

    internal static string LikeToGlob(string pattern)
    {
        var glob = new StringBuilder(pattern.Length + 4);
        foreach (var c in pattern)
        {
            glob.Append(c switch
            {
                '%' => "*",
                '_' => "?",
                '*' => "[*]",
                '?' => "[?]",
                '[' => "[[]",
                _ => c.ToString(),
            });
        }
        return glob.ToString();
    }

    private static SlipwayException Unsupported(FilterClause clause) =>
        SlipwayException.InvalidParameter($"Invalid comparator '{clause.Comparator}' for {clause.Kind.ToString().ToLowerInvariant()} '{clause.Key}'.");
}
