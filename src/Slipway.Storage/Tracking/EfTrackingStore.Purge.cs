using Microsoft.EntityFrameworkCore;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Gc;

namespace Slipway.Storage.Tracking;

// ITrackingPurge, the listing half: which deleted runs and experiments are old enough, and what still points at them.
// Model versions are matched by run id and by source (a 'runs:/<id>/…' or '…/<id>/artifacts/…' URI), since a
// version registered from a path without run_id still serves from that run's folder.
internal sealed partial class EfTrackingStore
{
    public Task<IReadOnlyList<RunPurgeCandidate>> FindPurgeableRunsAsync(long deletedBefore, IReadOnlyCollection<string>? runIds, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<RunPurgeCandidate>>(async db =>
        {
            var query = db.Runs.Where(r => r.LifecycleStage == LifecycleStage.Deleted && r.DeletedTime != null && r.DeletedTime <= deletedBefore);
            if (runIds is not null)
            {
                var ids = runIds.ToArray();
                query = query.Where(r => ids.Contains(r.RunUuid));
            }
            var rows = await query.OrderBy(r => r.DeletedTime).ThenBy(r => r.RunUuid).ToListAsync(ct);
            var references = await LoadRunReferencesAsync(db, ct);
            return rows.Select(r => ToPurgeCandidate(r, references)).ToList();
        }, ct);

    public Task<IReadOnlyList<ExperimentPurgeCandidate>> FindPurgeableExperimentsAsync(long deletedBefore, IReadOnlyCollection<string>? experimentIds, CancellationToken ct) =>
        ReadAsync<IReadOnlyList<ExperimentPurgeCandidate>>(async db =>
        {
            var query = db.Experiments.Where(e => e.LifecycleStage == LifecycleStage.Deleted && e.LastUpdateTime <= deletedBefore);
            if (experimentIds is not null)
            {
                var ids = experimentIds.Select(id => TryParseId(id, out var value) ? value : -1).ToArray();
                query = query.Where(e => ids.Contains(e.ExperimentId));
            }
            var rows = await query.OrderBy(e => e.LastUpdateTime).ThenBy(e => e.ExperimentId).ToListAsync(ct);
            if (rows.Count == 0)
                return [];
            var references = await LoadRunReferencesAsync(db, ct);
            var locations = await db.Experiments.Select(e => new { e.ExperimentId, e.ArtifactLocation }).ToListAsync(ct);
            var candidates = new List<ExperimentPurgeCandidate>(rows.Count);
            foreach (var row in rows)
            {
                var runs = await db.Runs.Where(r => r.ExperimentId == row.ExperimentId).OrderBy(r => r.RunUuid).ToListAsync(ct);
                var shared = locations.Any(other => other.ExperimentId != row.ExperimentId && Overlaps(other.ArtifactLocation, row.ArtifactLocation));
                candidates.Add(new ExperimentPurgeCandidate(
                    ToId(row.ExperimentId), row.Name, row.LastUpdateTime, row.ArtifactLocation, shared,
                    runs.Where(r => r.LifecycleStage == LifecycleStage.Deleted).Select(r => ToPurgeCandidate(r, references)).ToList(),
                    runs.Count(r => r.LifecycleStage != LifecycleStage.Deleted)));
            }
            return candidates;
        }, ct);

    private static RunPurgeCandidate ToPurgeCandidate(RunRow row, IReadOnlyList<(string? RunId, string Source, RunReference Reference)> references) =>
        new(row.RunUuid, ToId(row.ExperimentId), row.Name, row.DeletedTime ?? 0, row.ArtifactUri,
            references.Where(v => v.RunId == row.RunUuid || v.Source.Contains(row.RunUuid, StringComparison.Ordinal)).Select(v => v.Reference).ToList());

    /// <summary>Every model version with its run id and source; registries hold thousands of versions, not millions.</summary>
    private static async Task<IReadOnlyList<(string? RunId, string Source, RunReference Reference)>> LoadRunReferencesAsync(SlipwayDbContext db, CancellationToken ct)
    {
        var versions = await (
            from v in db.ModelVersions
            join m in db.RegisteredModels on v.ModelId equals m.Id
            orderby m.Name, v.Version
            select new { v.RunId, v.Source, m.Name, v.Version }).ToListAsync(ct);
        return versions.Select(v => ((string?)v.RunId, v.Source, new RunReference(v.Name, v.Version))).ToList();
    }

    /// <summary>Whether two artifact locations are the same folder or one holds the other.</summary>
    private static bool Overlaps(string a, string b)
    {
        a = a.TrimEnd('/');
        b = b.TrimEnd('/');
        return a == b || a.StartsWith(b + "/", StringComparison.Ordinal) || b.StartsWith(a + "/", StringComparison.Ordinal);
    }

    private static string ToId(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
