using Slipway.Core.Errors;
using Slipway.Storage.Rows;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Tracking;

/// <summary>
/// order_by for runs: metrics by their latest value, params and tags by value, or an attribute. Runs without
/// the key (and NaN metrics) sort last in both directions; ties break on start_time DESC, then run_id.
/// </summary>
internal sealed class RunOrdering(SlipwayDbContext db)
{
    public IQueryable<RunRow> Apply(IQueryable<RunRow> runs, IReadOnlyList<OrderClause> orderBy)
    {
        IOrderedQueryable<RunRow>? ordered = null;
        foreach (var clause in orderBy)
        {
            var key = clause.Key;
            var asc = clause.Ascending;
            switch (clause.Kind)
            {
                case EntityKind.Metric:
                    ordered = OrderChain.Then(runs, ordered,
                        r => db.LatestMetrics.Where(m => m.RunUuid == r.RunUuid && m.Key == key).Select(m => (int?)(m.IsNan ? 1 : 0)).FirstOrDefault() ?? 2, true);
                    ordered = OrderChain.Then(runs, ordered,
                        r => db.LatestMetrics.Where(m => m.RunUuid == r.RunUuid && m.Key == key).Select(m => (double?)m.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Param:
                    ordered = OrderChain.Then(runs, ordered, r => db.Params.Any(p => p.RunUuid == r.RunUuid && p.Key == key) ? 0 : 1, true);
                    ordered = OrderChain.Then(runs, ordered, r => db.Params.Where(p => p.RunUuid == r.RunUuid && p.Key == key).Select(p => p.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Tag:
                    ordered = OrderChain.Then(runs, ordered, r => db.RunTags.Any(t => t.RunUuid == r.RunUuid && t.Key == key) ? 0 : 1, true);
                    ordered = OrderChain.Then(runs, ordered, r => db.RunTags.Where(t => t.RunUuid == r.RunUuid && t.Key == key).Select(t => t.Value).FirstOrDefault(), asc);
                    break;
                case EntityKind.Attribute:
                    ordered = ByAttribute(runs, ordered, key, asc);
                    break;
                default:
                    throw SlipwayException.InvalidParameter($"Invalid order_by key '{key}'.");
            }
        }
        if (!orderBy.Any(c => c.Kind == EntityKind.Attribute && c.Key == "start_time"))
            ordered = OrderChain.Then(runs, ordered, r => r.StartTime, ascending: false);
        if (!orderBy.Any(c => c.Kind == EntityKind.Attribute && c.Key == "run_id"))
            ordered = OrderChain.Then(runs, ordered, r => r.RunUuid, ascending: true);
        return ordered!;
    }

    private static IOrderedQueryable<RunRow> ByAttribute(IQueryable<RunRow> runs, IOrderedQueryable<RunRow>? ordered, string key, bool asc) => key switch
    {
        "run_id" => OrderChain.Then(runs, ordered, r => r.RunUuid, asc),
        "run_name" => OrderChain.Then(runs, ordered, r => r.Name, asc),
        "status" => OrderChain.Then(runs, ordered, r => r.Status, asc),
        "user_id" => OrderChain.Then(runs, ordered, r => r.UserId, asc),
        "artifact_uri" => OrderChain.Then(runs, ordered, r => r.ArtifactUri, asc),
        "lifecycle_stage" => OrderChain.Then(runs, ordered, r => r.LifecycleStage, asc),
        "start_time" => OrderChain.Then(runs, ordered, r => r.StartTime, asc),
        "end_time" => OrderChain.Then(runs, OrderChain.Then(runs, ordered, r => r.EndTime == null ? 1 : 0, true), r => r.EndTime, asc),
        _ => throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified."),
    };
}
