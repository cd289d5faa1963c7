using System.Globalization;
using Slipway.Artifacts;
using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Gc;

/// <summary>
/// <c>slipway gc</c>: permanently removes runs and experiments deleted longer ago than the retention period, their
/// rows first (one transaction each, re-checked there) and then their artifacts. Rows go first so that a run restored
/// at the last moment never loses its files; the price is that a failed artifact delete leaves an orphan folder, which
/// the report names. A run that a model version still points at is kept, since versions serve from the run's folder.
/// </summary>
public sealed partial class GcService(ITrackingStore store, IArtifactStore artifacts, TimeProvider time)
{
    private static readonly AuditContext Audit = new(GcActions.Actor, null);

    public async Task<GcReport> CollectAsync(GcRequest request, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var cutoff = now - (long)request.OlderThan.TotalMilliseconds;
        var namedRuns = request.RunIds.Count > 0 ? request.RunIds : null;
        var namedExperiments = request.ExperimentIds.Count > 0 ? request.ExperimentIds : null;

        var experiments = namedRuns is not null && namedExperiments is null
            ? []
            : await store.FindPurgeableExperimentsAsync(cutoff, namedExperiments, ct);
        var runs = namedExperiments is not null && namedRuns is null
            ? []
            : await store.FindPurgeableRunsAsync(cutoff, namedRuns, ct);
        await ValidateNamedAsync(request, experiments, runs, ct);

        var purged = new List<GcItem>();
        var kept = new List<GcItem>();
        var log = new ArtifactLog([], [], []);
        var purgedWithExperiment = new HashSet<string>(StringComparer.Ordinal);
        foreach (var experiment in experiments)
        {
            var item = new GcItem("experiment", experiment.ExperimentId, experiment.Name, experiment.DeletedTime, $"{experiment.Runs.Count} run(s)");
            if (experiment.IsBlocked)
            {
                kept.Add(item with { Detail = DescribeBlock(experiment) });
                continue;
            }
            if (!request.DryRun && !await store.PurgeExperimentAsync(experiment.ExperimentId, cutoff, now, Audit, ct))
            {
                kept.Add(item with { Detail = "changed since it was listed (restored, updated or referenced)" });
                continue;
            }
            purged.Add(item);
            foreach (var run in experiment.Runs)
                purgedWithExperiment.Add(run.RunId);
            if (!request.DryRun)
                await DeleteExperimentArtifactsAsync(experiment, log, ct);
        }

        foreach (var run in runs)
        {
            if (purgedWithExperiment.Contains(run.RunId))
                continue;
            var item = new GcItem("run", run.RunId, run.Name, run.DeletedTime, $"experiment {run.ExperimentId}");
            if (run.IsReferenced)
            {
                kept.Add(item with { Detail = DescribeReferences(run.ReferencedBy, run.MonitoredBy) });
                continue;
            }
            if (!request.DryRun && !await store.PurgeRunAsync(run.RunId, cutoff, now, Audit, ct))
            {
                kept.Add(item with { Detail = "changed since it was listed (restored, deleted again or referenced)" });
                continue;
            }
            purged.Add(item);
            if (!request.DryRun)
                await DeleteRunArtifactsAsync(run, log, ct);
        }
        return new GcReport(request.DryRun, purged, kept, log.LeftInPlace, log.Missing, log.Failures);
    }

    /// <summary>Named ids must all be purgeable (deleted, and long enough ago), as in <c>mlflow gc --run-ids</c>;
    /// otherwise nothing is removed and every problem is listed.</summary>
    private async Task ValidateNamedAsync(GcRequest request, IReadOnlyList<ExperimentPurgeCandidate> experiments, IReadOnlyList<RunPurgeCandidate> runs, CancellationToken ct)
    {
        var problems = new List<string>();
        var foundRuns = runs.Select(r => r.RunId).ToHashSet(StringComparer.Ordinal);
        foreach (var runId in request.RunIds.Where(id => !foundRuns.Contains(id)))
        {
            var info = await store.GetRunInfoAsync(runId, ct);
            problems.Add(info is null ? $"run {runId} does not exist"
                : info.LifecycleStage != LifecycleStage.Deleted ? $"run {runId} is not deleted (only deleted runs can be purged)"
                : $"run {runId} was deleted less than {Describe(request.OlderThan)} ago");
        }
        var foundExperiments = experiments.Select(e => e.ExperimentId).ToHashSet(StringComparer.Ordinal);
        foreach (var experimentId in request.ExperimentIds.Where(id => !foundExperiments.Contains(id)))
        {
            var experiment = await store.GetExperimentAsync(experimentId, ct);
            problems.Add(experiment is null ? $"experiment {experimentId} does not exist"
                : experiment.LifecycleStage != LifecycleStage.Deleted ? $"experiment {experimentId} is not deleted (only deleted experiments can be purged)"
                : $"experiment {experimentId} was deleted less than {Describe(request.OlderThan)} ago");
        }
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter("Nothing was purged:\n  " + string.Join("\n  ", problems));
    }

    private static string DescribeBlock(ExperimentPurgeCandidate experiment)
    {
        var reasons = new List<string>();
        if (experiment.ActiveRuns > 0)
            reasons.Add($"{experiment.ActiveRuns} run(s) in it were restored");
        if (experiment.RecentlyDeletedRuns > 0)
            reasons.Add($"{experiment.RecentlyDeletedRuns} run(s) in it were deleted more recently than the retention period");
        var references = experiment.ReferencedBy.ToList();
        var monitors = experiment.MonitoredBy.ToList();
        if (references.Count > 0 || monitors.Count > 0)
            reasons.Add("its runs are " + DescribeReferences(references, monitors));
        return string.Join("; ", reasons);
    }

    private static string DescribeReferences(IReadOnlyCollection<RunReference> references, IReadOnlyCollection<string> monitors)
    {
        var parts = new List<string>();
        if (references.Count > 0)
            parts.Add("the source of model version(s) " + string.Join(", ", references.Select(r => $"{r.ModelName}/{r.Version}")) + " (delete those versions first to purge it)");
        if (monitors.Count > 0)
            parts.Add("referenced by monitor(s) " + string.Join(", ", monitors) + " (change their reference data or delete them first to purge it)");
        return string.Join("; ", parts);
    }

    private static string Describe(TimeSpan period) =>
        period.TotalHours >= 24 && period.TotalDays == Math.Floor(period.TotalDays)
            ? ((long)period.TotalDays).ToString(CultureInfo.InvariantCulture) + "d"
            : ((long)period.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
}
