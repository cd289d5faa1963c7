using Microsoft.EntityFrameworkCore;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Storage.Rows;
using Slipway.Tracking.Domain;
using Slipway.Tracking.Gc;

namespace Slipway.Storage.Tracking;

// ITrackingPurge, the listing half: which deleted runs and experiments are old enough, and what still points at them.
// Model versions are matched by run id and by source (a 'runs:/<id>/…' or '…/<id>/artifacts/…' URI), since a
// version registered from a path without run_id still serves from that run's folder. Monitors are matched by the run
// id anywhere in their spec (their reference data is 'runs:/<id>/…'); run ids are 32 random hex digits, so a false
// match only ever keeps a run, never purges one.
internal sealed partial class EfTrackingStore
{
    private sealed record PurgeReferences(
        IReadOnlyList<(string? RunId, string Source, RunReference Reference)> Versions,
        IReadOnlyList<(string Name, string Spec)> Monitors);

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
            var references = await LoadPurgeReferencesAsync(db, ct);
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
            var references = await LoadPurgeReferencesAsync(db, ct);
            var roots = rows.ToDictionary(r => r.ExperimentId, r => StorePathOrNull(r.ArtifactLocation));
            var keptBecause = await FindSharedRootsAsync(db, roots, references, ct);
            var candidates = new List<ExperimentPurgeCandidate>(rows.Count);
            foreach (var row in rows)
            {
                var runs = await db.Runs.Where(r => r.ExperimentId == row.ExperimentId).OrderBy(r => r.RunUuid).ToListAsync(ct);
                var deleted = runs.Where(r => r.LifecycleStage == LifecycleStage.Deleted).ToList();
                candidates.Add(new ExperimentPurgeCandidate(
                    ToId(row.ExperimentId), row.Name, row.LastUpdateTime, row.ArtifactLocation, keptBecause.GetValueOrDefault(row.ExperimentId),
                    deleted.Select(r => ToPurgeCandidate(r, references)).ToList(),
                    runs.Count - deleted.Count,
                    deleted.Count(r => r.DeletedTime is null || r.DeletedTime > deletedBefore)));
            }
            return candidates;
        }, ct);

    /// <summary>
    /// For each candidate experiment whose root is in the store, why the root folder must stay: another experiment's
    /// location overlaps it, a run of another experiment keeps its files under it, or a model version's source lies
    /// under it. Runs are streamed, not loaded, since a store may hold millions.
    /// </summary>
    private static async Task<Dictionary<long, string>> FindSharedRootsAsync(
        SlipwayDbContext db, IReadOnlyDictionary<long, string?> roots, PurgeReferences references, CancellationToken ct)
    {
        var reasons = new Dictionary<long, string>();
        var inStore = roots.Where(r => r.Value is not null).Select(r => (Id: r.Key, Root: r.Value!)).ToList();
        if (inStore.Count == 0)
            return reasons;
        void Keep(long id, string reason) => reasons.TryAdd(id, reason);

        var locations = await db.Experiments.Select(e => new { e.ExperimentId, e.ArtifactLocation }).ToListAsync(ct);
        foreach (var other in locations)
        {
            if (StorePathOrNull(other.ArtifactLocation) is not { } path)
                continue;
            foreach (var (id, root) in inStore)
            {
                if (id != other.ExperimentId && Overlaps(path, root))
                    Keep(id, $"experiment {other.ExperimentId} uses the same folder");
            }
        }
        await foreach (var run in db.Runs.Select(r => new { r.RunUuid, r.ExperimentId, r.ArtifactUri }).AsAsyncEnumerable().WithCancellation(ct))
        {
            if (StorePathOrNull(run.ArtifactUri) is not { } path)
                continue;
            foreach (var (id, root) in inStore)
            {
                if (id != run.ExperimentId && IsUnder(path, root))
                    Keep(id, $"run {run.RunUuid} of experiment {run.ExperimentId} keeps its artifacts in it");
            }
        }
        foreach (var version in references.Versions)
        {
            if (StorePathOrNull(version.Source) is not { } path)
                continue;
            foreach (var (id, root) in inStore)
            {
                if (IsUnder(path, root))
                    Keep(id, $"model version {version.Reference.ModelName}/{version.Reference.Version} serves from {version.Source}");
            }
        }
        return reasons;
    }

    private static RunPurgeCandidate ToPurgeCandidate(RunRow row, PurgeReferences references) =>
        new(row.RunUuid, ToId(row.ExperimentId), row.Name, row.DeletedTime ?? 0, row.ArtifactUri,
            references.Versions.Where(v => v.RunId == row.RunUuid || v.Source.Contains(row.RunUuid, StringComparison.Ordinal)).Select(v => v.Reference).ToList(),
            references.Monitors.Where(m => m.Spec.Contains(row.RunUuid, StringComparison.Ordinal)).Select(m => m.Name).ToList());

    /// <summary>Every model version with its run id and source, and every monitor spec; registries hold thousands of
    /// versions and monitors, not millions.</summary>
    private static async Task<PurgeReferences> LoadPurgeReferencesAsync(SlipwayDbContext db, CancellationToken ct)
    {
        var versions = await (
            from v in db.ModelVersions
            join m in db.RegisteredModels on v.ModelId equals m.Id
            orderby m.Name, v.Version
            select new { v.RunId, v.Source, m.Name, v.Version }).ToListAsync(ct);
        var monitors = await db.Monitors.OrderBy(m => m.Name).Select(m => new { m.Name, m.Spec }).ToListAsync(ct);
        return new PurgeReferences(
            versions.Select(v => ((string?)v.RunId, v.Source, new RunReference(v.Name, v.Version))).ToList(),
            monitors.Select(m => (m.Name, m.Spec)).ToList());
    }

    /// <summary>The normalized store path of an artifact URI, or null when it is outside the server's store (or
    /// invalid); aliases such as an authority, percent-escapes or an upper-case scheme give the same path.</summary>
    private static string? StorePathOrNull(string uri)
    {
        try
        {
            return ArtifactUri.TryGetStorePath(uri, out var path) ? path.TrimEnd('/') : null;
        }
        catch (SlipwayException)
        {
            return null;
        }
    }

    /// <summary>Whether two store paths are the same folder or one holds the other (the store root holds everything).</summary>
    private static bool Overlaps(string a, string b) => IsUnder(a, b) || IsUnder(b, a);

    /// <summary>Whether store path <paramref name="path"/> is <paramref name="root"/> or inside it.</summary>
    private static bool IsUnder(string path, string root) =>
        root.Length == 0 || path == root || path.StartsWith(root + "/", StringComparison.Ordinal);

    private static string ToId(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
