using Slipway.Artifacts;
using Slipway.Tracking.Domain;

namespace Slipway.Tracking.Access;

/// <summary>
/// Which experiment owns a path of the artifact store, for permission checks on anything that reads or writes artifacts
/// by path: the <c>mlflow-artifacts</c> proxy, and monitors whose reference data is an artifact.
/// </summary>
public sealed class ArtifactOwners(ITrackingStore store)
{
    /// <summary>
    /// The id of the experiment that owns <paramref name="path"/> (a normalized store path), or null when none does. By
    /// default an experiment keeps its artifacts under <c>{experiment_id}/</c> and a run under
    /// <c>{experiment_id}/{run_id}/artifacts/</c>; an experiment made with its own <c>mlflow-artifacts:/…</c> location
    /// keeps its runs under that location instead. So the path belongs to the experiment whose location it lies in, else
    /// to the run one of its segments names and whose folder it lies in. The outermost owner wins, so an experiment whose
    /// location points into another one's folder gains nothing there. Paths no experiment owns (the store's root,
    /// monitor reports, inference logs) must be left to administrators by the caller.
    /// </summary>
    public async Task<string?> ExperimentOfAsync(string path, CancellationToken ct)
    {
        var segments = path.Length == 0 ? Array.Empty<string>() : path.Split('/');
        if (segments.Length > 0 && IsExperimentId(segments[0])
            && await store.GetExperimentAsync(segments[0], ct) is { } experiment
            && ArtifactUri.TryGetStorePath(experiment.ArtifactLocation, out var location)
            && IsWithin(path, location))
            return experiment.ExperimentId;
        for (var i = 0; i < segments.Length; i++)
        {
            if (!IsRunId(segments[i]) || await store.GetRunInfoAsync(segments[i], ct) is not { } run)
                continue;
            // The run's folder is {location}/{run_id}/artifacts: the path up to the run id must be exactly that prefix.
            if (ArtifactUri.TryGetStorePath(run.ArtifactUri, out var runRoot)
                && IsWithin(runRoot, string.Join('/', segments, 0, i + 1)))
                return run.ExperimentId;
        }
        return null;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or lies below it (whole segments only).</summary>
    private static bool IsWithin(string path, string folder) =>
        folder.Length > 0
        && path.StartsWith(folder, StringComparison.Ordinal)
        && (path.Length == folder.Length || path[folder.Length] == '/');

    private static bool IsExperimentId(string segment) => segment.Length is > 0 and <= 19 && segment.All(char.IsAsciiDigit);

    /// <summary>Run ids are 32 lower-case hex digits (a GUID without dashes), as MLflow makes them.</summary>
    private static bool IsRunId(string segment) => segment.Length == 32 && segment.All(char.IsAsciiHexDigitLower);
}
