using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Registry.Approvals;

/// <summary>
/// Evaluates a policy's automatic gates for a model version. Metric gates use the run search grammar
/// (<c>metrics.auc &gt;= 0.90</c>, also <c>params.</c> and <c>tags.</c> clauses, joined with AND) against the source
/// run's latest values; required tags must be set on the version or on its source run.
/// </summary>
public static class GateEvaluator
{
    /// <summary>Checks that every gate parses, so a bad policy is refused when it is set rather than when it is used.</summary>
    public static void Validate(ApprovalPolicy policy)
    {
        foreach (var gate in policy.MetricGates)
        {
            IReadOnlyList<FilterClause> clauses;
            try
            {
                clauses = RunSearchParser.ParseFilter(gate);
            }
            catch (SlipwayException e)
            {
                throw SlipwayException.InvalidParameter($"Invalid gate '{gate}': {e.Message}");
            }
            if (clauses.Count == 0)
                throw SlipwayException.InvalidParameter("A gate cannot be empty.");
            foreach (var clause in clauses)
            {
                if (clause.Kind is not (EntityKind.Metric or EntityKind.Param or EntityKind.Tag) || clause.Value.List is not null)
                    throw SlipwayException.InvalidParameter($"Invalid gate '{gate}': gates compare metrics., params. or tags. of the source run with a single value.");
            }
        }
    }

    public static IReadOnlyList<GateResult> Evaluate(ApprovalPolicy policy, ModelVersion version, Run? run, bool hasModelCard)
    {
        var results = new List<GateResult>();
        foreach (var gate in policy.MetricGates)
        {
            foreach (var clause in RunSearchParser.ParseFilter(gate))
                results.Add(EvaluateClause(Describe(clause), clause, version, run));
        }
        foreach (var key in policy.RequiredTags)
        {
            var condition = $"tag '{key}' is set";
            var onVersion = Find(version.Tags, key);
            var onRun = run is null ? null : Find(run.Tags, key);
            results.Add(onVersion is not null
                ? new GateResult(condition, true, $"set on the version: '{Shorten(onVersion.Value.Value)}'")
                : onRun is not null
                    ? new GateResult(condition, true, $"set on the source run: '{Shorten(onRun.Value.Value)}'")
                    : new GateResult(condition, false, $"tag '{key}' is set neither on version {version.Version} nor on its source run"));
        }
        if (policy.RequireModelCard)
        {
            results.Add(hasModelCard
                ? new GateResult("model card present", true, "present")
                : new GateResult("model card present", false, $"version {version.Version} has no model card"));
        }
        return results;
    }

    private static GateResult EvaluateClause(string condition, FilterClause clause, ModelVersion version, Run? run)
    {
        if (run is null)
        {
            return new GateResult(condition, false, version.RunId is null
                ? $"version {version.Version} has no source run"
                : $"source run {version.RunId} was not found");
        }
        switch (clause.Kind)
        {
            case EntityKind.Metric:
                Metric? metric = run.Metrics.Any(m => m.Key == clause.Key) ? run.Metrics.First(m => m.Key == clause.Key) : null;
                if (metric is null)
                    return new GateResult(condition, false, $"metric '{clause.Key}' is not logged on source run {run.Info.RunId}");
                var actual = metric.Value.Value.ToString("R", CultureInfo.InvariantCulture);
                return new GateResult(condition, CompareNumber(metric.Value.Value, clause), $"actual {actual}");
            case EntityKind.Param:
                Param? param = run.Params.Any(p => p.Key == clause.Key) ? run.Params.First(p => p.Key == clause.Key) : null;
                return param is null
                    ? new GateResult(condition, false, $"param '{clause.Key}' is not logged on source run {run.Info.RunId}")
                    : new GateResult(condition, CompareText(param.Value.Value, clause), $"actual '{Shorten(param.Value.Value)}'");
            default:
                var tag = Find(run.Tags, clause.Key);
                return tag is null
                    ? new GateResult(condition, false, $"tag '{clause.Key}' is not set on source run {run.Info.RunId}")
                    : new GateResult(condition, CompareText(tag.Value.Value, clause), $"actual '{Shorten(tag.Value.Value)}'");
        }
    }

    private static bool CompareNumber(double value, FilterClause clause)
    {
        var target = clause.Value.Number!.Value;
        if (double.IsNaN(value))
            return false;
        return clause.Comparator switch
        {
            Comparator.Equal => value == target,
            Comparator.NotEqual => value != target,
            Comparator.Greater => value > target,
            Comparator.GreaterOrEqual => value >= target,
            Comparator.Less => value < target,
            Comparator.LessOrEqual => value <= target,
            _ => false,
        };
    }

    private static bool CompareText(string value, FilterClause clause)
    {
        var target = clause.Value.Text ?? "";
        return clause.Comparator switch
        {
            Comparator.Equal => value == target,
            Comparator.NotEqual => value != target,
            Comparator.Like => LikeMatches(value, target, StringComparison.Ordinal),
            Comparator.ILike => LikeMatches(value, target, StringComparison.OrdinalIgnoreCase),
            _ => false,
        };
    }

    /// <summary>SQL LIKE: % is any run of characters, _ is one character.</summary>
    internal static bool LikeMatches(string value, string pattern, StringComparison comparison)
    {
        return Match(0, 0);

        bool Match(int v, int p)
        {
            while (p < pattern.Length)
            {
                var c = pattern[p];
                if (c == '%')
                {
                    for (var skip = v; skip <= value.Length; skip++)
                    {
                        if (Match(skip, p + 1))
                            return true;
                    }
                    return false;
                }
                if (v >= value.Length || (c != '_' && !string.Equals(value[v].ToString(), c.ToString(), comparison)))
                    return false;
                v++;
                p++;
            }
            return v == value.Length;
        }
    }

    private static string Describe(FilterClause clause)
    {
        var prefix = clause.Kind switch
        {
            EntityKind.Metric => "metrics",
            EntityKind.Param => "params",
            _ => "tags",
        };
        var value = clause.Value.Number is { } number ? number.ToString("R", CultureInfo.InvariantCulture) : $"'{clause.Value.Text}'";
        return $"{prefix}.{clause.Key} {FilterSyntax.ComparatorText(clause.Comparator)} {value}";
    }

    private static Tag? Find(IReadOnlyList<Tag> tags, string key)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key)
                return tag;
        }
        return null;
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "..." : value;
}
