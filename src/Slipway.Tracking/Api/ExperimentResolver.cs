using Microsoft.AspNetCore.Http;
using Slipway.Core.Errors;
using Slipway.Core.Security;
using Slipway.Tracking.Access;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Api;

/// <summary>
/// Which experiment a tracking RPC acts on: by <c>experiment_id</c>, by <c>experiment_name</c>, through a run
/// (<c>run_id</c>/<c>run_uuid</c> → its experiment), by the <c>experiment_ids</c> of a run search, or by an artifact
/// proxy path (see <see cref="ArtifactOwners"/>). Runs and artifacts carry no permissions of their own: they
/// are their experiment's. An RPC this resolver does not know is refused, so a new route must be added here first.
/// </summary>
internal sealed class ExperimentResolver(ITrackingStore store, ArtifactOwners owners) : IRpcResourceResolver
{
    public ResourceKind Kind => ResourceKind.Experiment;

    public async ValueTask<RpcTarget> ResolveAsync(string rpcName, RequestArgs args, HttpContext context, CancellationToken ct) => rpcName switch
    {
        "CreateExperiment" => RpcTarget.CreatesNew,
        "SearchExperiments" or "SearchExperimentsGet" or "ListExperiments" => RpcTarget.ListsMany,
        "GetExperiment" or "UpdateExperiment" or "DeleteExperiment" or "RestoreExperiment" or "SetExperimentTag" or "DeleteExperimentTag"
            => await ExperimentAsync(args.RequiredString("experiment_id"), ct),
        "GetExperimentByName" => await store.GetExperimentByNameAsync(args.RequiredString("experiment_name"), ct) is { } named
            ? Target(named.ExperimentId)
            : RpcTarget.NotFound,
        // MLflow puts a run without an experiment id into the default experiment "0".
        "CreateRun" => await ExperimentAsync(args.String("experiment_id") is { Length: > 0 } id ? id : "0", ct),
        "GetRun" or "UpdateRun" or "DeleteRun" or "RestoreRun" or "LogMetric" or "LogParam" or "SetTag" or "DeleteTag"
            or "LogBatch" or "LogInputs" or "LogModel" or "GetMetricHistory" or "ListArtifacts"
            => await ExperimentOfRunAsync(args.RunId(), ct) is { } experimentId ? Target(experimentId) : RpcTarget.NotFound,
        "SearchRuns" or "SearchRunsGet" => await SearchedExperimentsAsync(args.StringList("experiment_ids"), ct),
        "UploadArtifact" or "DownloadArtifact" or "DownloadArtifactHead" or "DeleteArtifact"
            => await ArtifactOwnerAsync(ArtifactEndpoints.ProxyPath(context, "artifacts/"), ct),
        "MultipartUploadcreate" or "MultipartUploadcomplete" or "MultipartUploadabort"
            => await ArtifactOwnerAsync(ArtifactEndpoints.ProxyPath(context, "mpu/" + rpcName["MultipartUpload".Length..] + "/"), ct),
        "ListArtifactsProxy" => await ArtifactOwnerAsync(Artifacts.ArtifactPath.Normalize(args.String("path")), ct),
        _ => throw new SlipwayException(ErrorCode.PermissionDenied, $"Permission denied: '{rpcName}' has no experiment permission check."),
    };

    private static RpcTarget Target(string experimentId) => RpcTarget.On(ResourceKind.Experiment, experimentId);

    /// <summary>
    /// The experiment of a run, remembered: a run never moves to another experiment and run ids are never reused, so
    /// the logging hot path (a non-admin's log-batch) pays the store read once per run, not once per request. Bounded:
    /// past the limit the map starts over.
    /// </summary>
    private async ValueTask<string?> ExperimentOfRunAsync(string runId, CancellationToken ct)
    {
        if (_runExperiments.TryGetValue(runId, out var known))
            return known;
        if (await store.GetRunInfoAsync(runId, ct) is not { } run)
            return null;
        if (_runExperiments.Count >= MaxRememberedRuns)
            _runExperiments.Clear();
        _runExperiments[runId] = run.ExperimentId;
        return run.ExperimentId;
    }

    private const int MaxRememberedRuns = 100_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _runExperiments = new(StringComparer.Ordinal);

    /// <summary>
    /// An existing experiment, or <see cref="RpcTarget.Missing"/> so the handler answers its own 404. The check is made on
    /// the id the store answers with, not the request's text: the store reads "05" as experiment 5, and a grant on "5"
    /// (an explicit denial included) must apply to it.
    /// </summary>
    private async Task<RpcTarget> ExperimentAsync(string experimentId, CancellationToken ct) =>
        await store.GetExperimentAsync(experimentId, ct) is { } experiment ? Target(experiment.ExperimentId) : RpcTarget.NotFound;

    /// <summary>
    /// READ is demanded on every experiment a run search names. Ids that name no experiment are left out: they add
    /// nothing to the result, and the configured default must not turn a search for a missing id into a 403.
    /// </summary>
    private async Task<RpcTarget> SearchedExperimentsAsync(IReadOnlyList<string> experimentIds, CancellationToken ct)
    {
        var existing = new List<ResourceRef>(experimentIds.Count);
        foreach (var id in experimentIds.Distinct(StringComparer.Ordinal))
        {
            if (await store.GetExperimentAsync(id, ct) is { } experiment)
                existing.Add(new ResourceRef(ResourceKind.Experiment, experiment.ExperimentId));
        }
        return new RpcTarget.Many(existing);
    }

    /// <summary>
    /// The experiment that owns a path of the <c>mlflow-artifacts</c> proxy. A path no experiment owns (the store's root,
    /// monitor reports, pipeline logs kept elsewhere) is for administrators only: refusing it is what keeps the proxy
    /// from going around every other check.
    /// </summary>
    private async Task<RpcTarget> ArtifactOwnerAsync(string path, CancellationToken ct) =>
        await owners.ExperimentOfAsync(path, ct) is { } experimentId
            ? Target(experimentId)
            : throw new SlipwayException(ErrorCode.PermissionDenied,
                $"Permission denied: artifact path '{path}' is not inside an experiment's artifacts; only administrators may use it.");
}
