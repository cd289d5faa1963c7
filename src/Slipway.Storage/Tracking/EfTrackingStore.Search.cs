using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Tracking;

internal sealed partial class EfTrackingStore
{
    public Task<(IReadOnlyList<Run> Items, bool HasMore)> SearchRunsAsync(RunQuery query, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<Run>, bool)>(async db =>
        {
            var experimentIds = query.ExperimentIds.Select(id => TryParseId(id, out var n) ? n : -1).ToList();
            var runs = db.Runs.Where(r => experimentIds.Contains(r.ExperimentId));
            runs = query.ViewType switch
            {
                ViewType.ActiveOnly => runs.Where(r => r.LifecycleStage == LifecycleStage.Active),
                ViewType.DeletedOnly => runs.Where(r => r.LifecycleStage == LifecycleStage.Deleted),
                _ => runs,
            };
            foreach (var clause in query.Filter)
                runs = runs.Where(RunPredicate(db, clause));
            var ordered = new RunOrdering(db).Apply(runs, query.OrderBy);
            var rows = await ordered.Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > query.MaxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (await LoadRunsAsync(db, rows, ct), hasMore);
        }, ct);

    public Task<(IReadOnlyList<Experiment> Items, bool HasMore)> SearchExperimentsAsync(ExperimentQuery query, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<Experiment>, bool)>(async db =>
        {
            var experiments = query.ViewType switch
            {
                ViewType.ActiveOnly => db.Experiments.Where(e => e.LifecycleStage == LifecycleStage.Active),
                ViewType.DeletedOnly => db.Experiments.Where(e => e.LifecycleStage == LifecycleStage.Deleted),
                _ => db.Experiments,
            };
            foreach (var clause in query.Filter)
                experiments = experiments.Where(ExperimentPredicate(db, clause));
            var rows = await OrderExperiments(experiments, query.OrderBy).Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > query.MaxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            var ids = rows.Select(r => r.ExperimentId).ToList();
            var tags = (await db.ExperimentTags.Where(t => ids.Contains(t.ExperimentId)).ToListAsync(ct)).ToLookup(t => t.ExperimentId);
            var items = rows.Select(r => RowMapping.ToExperiment(r, tags[r.ExperimentId].Select(t => new Tag(t.Key, t.Value)).ToList())).ToList();
            return (items, hasMore);
        }, ct);

    private Expression<Func<RunRow, bool>> RunPredicate(SlipwayDbContext db, FilterClause clause)
    {
        var key = clause.Key;
        switch (clause.Kind)
        {
            case EntityKind.Metric:
                return PredicateInliner.Inline<RunRow, double>(
                    r => db.LatestMetrics.Any(m => m.RunUuid == r.RunUuid && m.Key == key && !m.IsNan && Match.Number(m.Value)),
                    Comparisons.ForNumber(clause));
            case EntityKind.Param:
                return PredicateInliner.Inline<RunRow, string>(
                    r => db.Params.Any(p => p.RunUuid == r.RunUuid && p.Key == key && Match.Text(p.Value)),
                    Comparisons.ForText(clause, IsSqlite));
            case EntityKind.Tag:
                return PredicateInliner.Inline<RunRow, string>(
                    r => db.RunTags.Any(t => t.RunUuid == r.RunUuid && t.Key == key && Match.Text(t.Value)),
                    Comparisons.ForText(clause, IsSqlite));
            case EntityKind.Dataset when key == "context":
                return PredicateInliner.Inline<RunRow, string>(
                    r => db.RunInputTags.Any(t => t.RunUuid == r.RunUuid && t.Key == SystemTags.DatasetContext && Match.Text(t.Value)),
                    Comparisons.ForText(clause, IsSqlite));
            case EntityKind.Dataset when key == "name":
                return PredicateInliner.Inline<RunRow, string>(
                    r => db.RunInputs.Any(i => i.RunUuid == r.RunUuid && db.Datasets.Any(d => d.DatasetUuid == i.DatasetUuid && Match.Text(d.Name))),
                    Comparisons.ForText(clause, IsSqlite));
            case EntityKind.Dataset when key == "digest":
                return PredicateInliner.Inline<RunRow, string>(
                    r => db.RunInputs.Any(i => i.RunUuid == r.RunUuid && db.Datasets.Any(d => d.DatasetUuid == i.DatasetUuid && Match.Text(d.Digest))),
                    Comparisons.ForText(clause, IsSqlite));
            case EntityKind.Attribute when key is "start_time" or "end_time":
                return key == "start_time"
                    ? PredicateInliner.Inline<RunRow, long>(r => Match.Long(r.StartTime), Comparisons.ForLong(clause))
                    : PredicateInliner.Inline<RunRow, long>(r => r.EndTime != null && Match.Long(r.EndTime.Value), Comparisons.ForLong(clause));
            case EntityKind.Attribute:
                var text = Comparisons.ForText(clause, IsSqlite);
                return key switch
                {
                    "run_id" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.RunUuid), text),
                    "run_name" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.Name), text),
                    "status" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.Status), text),
                    "user_id" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.UserId), text),
                    "artifact_uri" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.ArtifactUri), text),
                    "lifecycle_stage" => PredicateInliner.Inline<RunRow, string>(r => Match.Text(r.LifecycleStage), text),
                    _ => throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified."),
                };
            default:
                throw SlipwayException.InvalidParameter($"Invalid search key '{key}'.");
        }
    }

    private Expression<Func<ExperimentRow, bool>> ExperimentPredicate(SlipwayDbContext db, FilterClause clause)
    {
        var key = clause.Key;
        return (clause.Kind, key) switch
        {
            (EntityKind.Tag, _) => PredicateInliner.Inline<ExperimentRow, string>(
                e => db.ExperimentTags.Any(t => t.ExperimentId == e.ExperimentId && t.Key == key && Match.Text(t.Value)),
                Comparisons.ForText(clause, IsSqlite)),
            (EntityKind.Attribute, "name") => PredicateInliner.Inline<ExperimentRow, string>(e => Match.Text(e.Name), Comparisons.ForText(clause, IsSqlite)),
            (EntityKind.Attribute, "creation_time") => PredicateInliner.Inline<ExperimentRow, long>(e => Match.Long(e.CreationTime), Comparisons.ForLong(clause)),
            (EntityKind.Attribute, "last_update_time") => PredicateInliner.Inline<ExperimentRow, long>(e => Match.Long(e.LastUpdateTime), Comparisons.ForLong(clause)),
            _ => throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified. Valid keys are 'name', 'creation_time', 'last_update_time'"),
        };
    }

    private static IQueryable<ExperimentRow> OrderExperiments(IQueryable<ExperimentRow> experiments, IReadOnlyList<OrderClause> orderBy)
    {
        IOrderedQueryable<ExperimentRow>? ordered = null;
        var clauses = orderBy.Count == 0 ? [new OrderClause(EntityKind.Attribute, "creation_time", false)] : orderBy;
        foreach (var clause in clauses)
        {
            ordered = clause.Key switch
            {
                "name" => OrderChain.Then(experiments, ordered, e => e.Name, clause.Ascending),
                "experiment_id" => OrderChain.Then(experiments, ordered, e => e.ExperimentId, clause.Ascending),
                "creation_time" => OrderChain.Then(experiments, ordered, e => e.CreationTime, clause.Ascending),
                "last_update_time" => OrderChain.Then(experiments, ordered, e => e.LastUpdateTime, clause.Ascending),
                _ => throw SlipwayException.InvalidParameter($"Invalid order_by key '{clause.Key}'."),
            };
        }
        if (!clauses.Any(c => c.Key == "experiment_id"))
            ordered = OrderChain.Then(experiments, ordered, e => e.ExperimentId, ascending: false);
        return ordered!;
    }
}

/// <summary>Chains OrderBy/ThenBy for a list of clauses built at run time.</summary>
internal static class OrderChain
{
    public static IOrderedQueryable<T> Then<T, TKey>(IQueryable<T> source, IOrderedQueryable<T>? ordered, Expression<Func<T, TKey>> key, bool ascending) =>
        ordered is null
            ? ascending ? source.OrderBy(key) : source.OrderByDescending(key)
            : ascending ? ordered.ThenBy(key) : ordered.ThenByDescending(key);
}
