using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;
using Slipway.Storage.Rows;
using Slipway.Storage.Tracking;
using Slipway.Tracking.Search;

namespace Slipway.Storage.Registry;

/// <summary>
/// registered-models/search and model-versions/search. Tag clauses follow MLflow's registry rule: <c>!=</c> also
/// matches entities without the tag (clients append <c>tags.`mlflow.prompt.is_prompt` != 'true'</c> to every search
/// and expect untagged models back); every other comparator needs the tag.
/// </summary>
internal sealed partial class EfRegistryStore
{
    public Task<(IReadOnlyList<RegisteredModel> Items, bool HasMore)> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<RegisteredModel>, bool)>(async db =>
        {
            IQueryable<RegisteredModelRow> models = db.RegisteredModels;
            foreach (var clause in query.Filter)
                models = models.Where(ModelPredicate(db, clause));
            var rows = await OrderModels(models, query.OrderBy).Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > query.MaxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (await LoadModelsAsync(db, rows, ct), hasMore);
        }, ct);

    public Task<(IReadOnlyList<ModelVersion> Items, bool HasMore)> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken ct) =>
        ReadAsync<(IReadOnlyList<ModelVersion>, bool)>(async db =>
        {
            var versions = db.ModelVersions.Join(db.RegisteredModels, v => v.ModelId, m => m.Id, (v, m) => new NamedVersion { Row = v, Name = m.Name });
            foreach (var clause in query.Filter)
                versions = versions.Where(VersionPredicate(db, clause));
            var rows = await OrderVersions(versions, query.OrderBy).Skip(query.Offset).Take(query.MaxResults + 1).ToListAsync(ct);
            var hasMore = rows.Count > query.MaxResults;
            if (hasMore)
                rows.RemoveAt(rows.Count - 1);
            return (await LoadVersionsAsync(db, rows.ConvertAll(x => (x.Row, x.Name)), ct), hasMore);
        }, ct);

    private Expression<Func<RegisteredModelRow, bool>> ModelPredicate(SlipwayDbContext db, FilterClause clause)
    {
        var key = clause.Key;
        switch (clause.Kind, key)
        {
            case (EntityKind.Tag, _) when clause.Comparator == Comparator.NotEqual:
                var value = clause.Value.Text;
                return m => !db.RegisteredModelTags.Any(t => t.ModelId == m.Id && t.Key == key && t.Value == value);
            case (EntityKind.Tag, _):
                return PredicateInliner.Inline<RegisteredModelRow, string>(
                    m => db.RegisteredModelTags.Any(t => t.ModelId == m.Id && t.Key == key && Match.Text(t.Value)),
                    Comparisons.ForText(clause, IsSqlite));
            case (EntityKind.Attribute, "name"):
                return PredicateInliner.Inline<RegisteredModelRow, string>(m => Match.Text(m.Name), Comparisons.ForText(clause, IsSqlite));
            default:
                throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified.");
        }
    }

    private Expression<Func<NamedVersion, bool>> VersionPredicate(SlipwayDbContext db, FilterClause clause)
    {
        var key = clause.Key;
        switch (clause.Kind, key)
        {
            case (EntityKind.Tag, _) when clause.Comparator == Comparator.NotEqual:
                var value = clause.Value.Text;
                return x => !db.ModelVersionTags.Any(t => t.ModelId == x.Row.ModelId && t.Version == x.Row.Version && t.Key == key && t.Value == value);
            case (EntityKind.Tag, _):
                return PredicateInliner.Inline<NamedVersion, string>(
                    x => db.ModelVersionTags.Any(t => t.ModelId == x.Row.ModelId && t.Version == x.Row.Version && t.Key == key && Match.Text(t.Value)),
                    Comparisons.ForText(clause, IsSqlite));
            case (EntityKind.Attribute, "version_number"):
                return PredicateInliner.Inline<NamedVersion, long>(x => Match.Long(x.Row.Version), Comparisons.ForLong(clause));
            case (EntityKind.Attribute, "name"):
                return PredicateInliner.Inline<NamedVersion, string>(x => Match.Text(x.Name), Comparisons.ForText(clause, IsSqlite));
            case (EntityKind.Attribute, "source"):
                return PredicateInliner.Inline<NamedVersion, string>(x => Match.Text(x.Row.Source), Comparisons.ForText(clause, IsSqlite));
            case (EntityKind.Attribute, "run_id"):
                // A version without a run matches no comparison, as NULL does in MLflow's SQL.
                return PredicateInliner.Inline<NamedVersion, string>(x => x.Row.RunId != null && Match.Text(x.Row.RunId), Comparisons.ForText(clause, IsSqlite));
            default:
                throw SlipwayException.InvalidParameter($"Invalid attribute key '{key}' specified.");
        }
    }

    /// <summary>Default <c>name ASC</c>; the name always breaks ties.</summary>
    private static IQueryable<RegisteredModelRow> OrderModels(IQueryable<RegisteredModelRow> models, IReadOnlyList<OrderClause> orderBy)
    {
        IOrderedQueryable<RegisteredModelRow>? ordered = null;
        foreach (var clause in orderBy)
        {
            ordered = clause.Key switch
            {
                "name" => OrderChain.Then(models, ordered, m => m.Name, clause.Ascending),
                "creation_timestamp" => OrderChain.Then(models, ordered, m => m.CreationTime, clause.Ascending),
                "last_updated_timestamp" => OrderChain.Then(models, ordered, m => m.LastUpdatedTime, clause.Ascending),
                _ => throw SlipwayException.InvalidParameter($"Invalid order_by key '{clause.Key}'."),
            };
        }
        if (!orderBy.Any(c => c.Key == "name"))
            ordered = OrderChain.Then(models, ordered, m => m.Name, ascending: true);
        return ordered!;
    }

    /// <summary>Default <c>last_updated_timestamp DESC</c>; ties break on name ASC, then version DESC.</summary>
    private static IQueryable<NamedVersion> OrderVersions(IQueryable<NamedVersion> versions, IReadOnlyList<OrderClause> orderBy)
    {
        IOrderedQueryable<NamedVersion>? ordered = null;
        var clauses = orderBy.Count == 0 ? [new OrderClause(EntityKind.Attribute, "last_updated_timestamp", false)] : orderBy;
        foreach (var clause in clauses)
        {
            ordered = clause.Key switch
            {
                "name" => OrderChain.Then(versions, ordered, x => x.Name, clause.Ascending),
                "version_number" => OrderChain.Then(versions, ordered, x => x.Row.Version, clause.Ascending),
                "creation_timestamp" => OrderChain.Then(versions, ordered, x => x.Row.CreationTime, clause.Ascending),
                "last_updated_timestamp" => OrderChain.Then(versions, ordered, x => x.Row.LastUpdatedTime, clause.Ascending),
                _ => throw SlipwayException.InvalidParameter($"Invalid order_by key '{clause.Key}'."),
            };
        }
        if (!clauses.Any(c => c.Key == "name"))
            ordered = OrderChain.Then(versions, ordered, x => x.Name, ascending: true);
        if (!clauses.Any(c => c.Key == "version_number"))
            ordered = OrderChain.Then(versions, ordered, x => x.Row.Version, ascending: false);
        return ordered!;
    }

    /// <summary>A version with its model's name, which filters and orders like a column of the version.</summary>
    private sealed class NamedVersion
    {
        public ModelVersionRow Row { get; init; } = null!;
        public string Name { get; init; } = "";
    }
}
