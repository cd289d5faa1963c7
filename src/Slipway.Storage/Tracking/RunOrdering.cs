using System.Linq.Expressions;
using Slipway.Core.Errors;
using Slipway.Storage.Rows;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Tracking;

/// <summary>
/// order_by for runs: metrics by their latest value, params and tags by value, or an attribute. Runs without
/// the key (and NaN metrics) sort last in both directions; ties break on start_time DESC, then run_id.
/// When the first key is a metric, its latest value comes from a LEFT JOIN (one index lookup per run gives both
/// the missing/NaN rank and the value); later keys use correlated subqueries.
/// </summary>
internal sealed class RunOrdering(SlipwayDbContext db)
{
    public IQueryable<RunRow> Apply(IQueryable<RunRow> runs, IReadOnlyList<OrderClause> orderBy)
    {
        if (orderBy.Count == 0 || orderBy[0].Kind != EntityKind.Metric)
            return Order(runs, null, r => r, orderBy);
        var key = orderBy[0].Key;
        var joined = runs.GroupJoin(db.LatestMetrics.Where(m => m.Key == key), r => r.RunUuid, m => m.RunUuid, (r, metrics) => new { r, metrics })
            .SelectMany(x => x.metrics.DefaultIfEmpty(), (x, m) => new RunWithMetric { Run = x.r, Metric = m });
        var first = OrderChain.Then(joined, null, x => x.Metric == null ? 2 : x.Metric.IsNan ? 1 : 0, true);
        first = OrderChain.Then(joined, first, x => x.Metric!.Value, orderBy[0].Ascending);
        return Order(joined, first, x => x.Run, orderBy.Skip(1).ToList(), orderBy).Select(x => x.Run);
    }

    /// <summary>Appends <paramref name="clauses"/> and the tie-breaks, reading the run through <paramref name="runOf"/>.</summary>
    private IOrderedQueryable<T> Order<T>(IQueryable<T> source, IOrderedQueryable<T>? ordered, Expression<Func<T, RunRow>> runOf,
        IReadOnlyList<OrderClause> clauses, IReadOnlyList<OrderClause>? all = null)
    {
        foreach (var clause in clauses)
        {
            var key = clause.Key;
            var asc = clause.Ascending;
            switch (clause.Kind)
            {
                case EntityKind.Metric:
                    ordered = Then(source, ordered, runOf, r => db.LatestMetrics.Where(m => m.RunUuid == r.RunUuid && m.Key == key).Select(m => (int?)(m.IsNan ? 1 : 0)).FirstOrDefault() ?? 2, true);
                    ordered = Then(source, ordered, runOf, r => db.LatestMetrics.Where(m => m.RunUuid == r.RunUuid && m.Key == key).Select(m => (double?)m.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Param:
                    ordered = Then(source, ordered, runOf, r => db.Params.Any(p => p.RunUuid == r.RunUuid && p.Key == key) ? 0 : 1, true);
                    ordered = Then(source, ordered, runOf, r => db.Params.Where(p => p.RunUuid == r.RunUuid && p.Key == key).Select(p => p.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Tag:
                    ordered = Then(source, ordered, runOf, r => db.RunTags.Any(t => t.RunUuid == r.RunUuid && t.Key == key) ? 0 : 1, true);
                    ordered = Then(source, ordered, runOf, r => db.RunTags.Where(t => t.RunUuid == r.RunUuid && t.Key == key).Select(t => t.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Attribute:
                    ordered = ByAttribute(source, ordered, runOf, key, asc);
                    break;
                default:
                    throw SlipwayException.InvalidParameter($"Invalid order_by key '{key}'.");
            }
        }
        all ??= clauses;
        if (!all.Any(c => c.Kind == EntityKind.Attribute && c.Key == "start_time"))
            ordered = Then(source, ordered, runOf, r => r.StartTime, ascending: false);
        if (!all.Any(c => c.Kind == EntityKind.Attribute && c.Key == "run_id"))
            ordered = Then(source, ordered, runOf, r => r.RunUuid, ascending: true);
        return ordered!;
    }

    private static IOrderedQueryable<T> ByAttribute<T>(IQueryable<T> source, IOrderedQueryable<T>? ordered, Expression<Func<T, RunRow>> runOf, string key, bool asc) => key switch
    {
        "run_id" => Then(source, ordered, runOf, r => r.RunUuid, asc),
        "run_name" => Then(source, ordered, runOf, r => r.Name, asc),
        "status" => Then(source, ordered, runOf, r => r.Status, asc),
        "user_id" => Then(source, ordered, runOf, r => r.UserId, asc),
        "artifact_uri" => Then(source, ordered, runOf, r => r.ArtifactUri, asc),
        "lifecycle_stage" => Then(source, ordered, runOf, r => r.LifecycleStage, asc),
        "start_time" => Then(source, ordered, runOf, r => r.StartTime, asc),
        "end_time" => Then(source, Then(source, ordered, runOf, r => r.EndTime == null ? 1 : 0, true), runOf, r => r.EndTime, asc),
        _ => throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified."),
    };

    /// <summary>Orders by a key of the run, reached through <paramref name="runOf"/> (identity, or the joined row's run).</summary>
    private static IOrderedQueryable<T> Then<T, TKey>(IQueryable<T> source, IOrderedQueryable<T>? ordered, Expression<Func<T, RunRow>> runOf,
        Expression<Func<RunRow, TKey>> key, bool ascending)
    {
        var lifted = Expression.Lambda<Func<T, TKey>>(new ReplaceParameter(key.Parameters[0], runOf.Body).Visit(key.Body), runOf.Parameters);
        return OrderChain.Then(source, ordered, lifted, ascending);
    }

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : node;
    }
}

/// <summary>A run with the latest value of the first order_by metric (null when the run has none).</summary>
internal sealed class RunWithMetric
{
    public required RunRow Run { get; init; }
    public LatestMetricRow? Metric { get; init; }
}
