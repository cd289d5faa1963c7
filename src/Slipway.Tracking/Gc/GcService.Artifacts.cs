using Slipway.Artifacts;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Gc;

public sealed partial class GcService
{
    /// <summary>
    /// Removes a purged run's artifact folder (<c>&lt;experiment&gt;/&lt;run&gt;/artifacts</c>) and then the run's
    /// own folder around it when nothing else is left there. A location outside the server's artifact store, or one
    /// that does not carry the run's id (so might be shared), is left in place and reported.
    /// </summary>
    private async Task DeleteRunArtifactsAsync(RunPurgeCandidate run, ArtifactLog log, CancellationToken ct)
    {
        if (!TryGetOwnedPath(run.ArtifactUri, run.RunId, out var path, out var reason))
        {
            log.LeftInPlace.Add($"run {run.RunId}: artifacts at {run.ArtifactUri} left in place ({reason})");
            return;
        }
        if (!await TryDeleteAsync(path, $"run {run.RunId}", log, ct))
            return;
        var parent = ParentOf(path);
        if (parent is not null && LastSegment(parent) == run.RunId && (await artifacts.ListAsync(parent, ct)).Count == 0)
            await TryDeleteAsync(parent, $"run {run.RunId}", log, ct);
    }

    /// <summary>Removes each run's folder, then the experiment's artifact root unless something outside the experiment
    /// still uses it.</summary>
    private async Task DeleteExperimentArtifactsAsync(ExperimentPurgeCandidate experiment, ArtifactLog log, CancellationToken ct)
    {
        foreach (var run in experiment.Runs)
            await DeleteRunArtifactsAsync(run, log, ct);
        if (experiment.ArtifactRootKeptBecause is { } because)
        {
            log.LeftInPlace.Add($"experiment {experiment.ExperimentId}: artifact root {experiment.ArtifactLocation} left in place ({because})");
            return;
        }
        if (!TryGetOwnedPath(experiment.ArtifactLocation, requiredSegment: null, out var root, out var reason))
        {
            log.LeftInPlace.Add($"experiment {experiment.ExperimentId}: artifact root {experiment.ArtifactLocation} left in place ({reason})");
            return;
        }
        await TryDeleteAsync(root, $"experiment {experiment.ExperimentId}", log, ct);
    }

    private async Task<bool> TryDeleteAsync(string path, string owner, ArtifactLog log, CancellationToken ct)
    {
        try
        {
            // Nothing there is not an error (the folder may be gone already), but a whole gc finding nothing usually means
            // --artifacts-destination is not the server's store, so each one is reported.
            if (!await artifacts.DeleteAsync(path, ct))
                log.Missing.Add($"{owner}: no artifacts found at '{path}' in the artifact store");
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The rows are already gone, so this folder is an orphan now: name it so it can be removed by hand.
            log.Failures.Add($"{owner}: could not delete artifact path '{path}': {e.Message}");
            return false;
        }
    }

    private static bool TryGetOwnedPath(string uri, string? requiredSegment, out string path, out string reason)
    {
        path = "";
        reason = "";
        try
        {
            if (!ArtifactUri.TryGetStorePath(uri, out path))
            {
                reason = "not in the server's artifact store; remove it with that store's tools";
                return false;
            }
        }
        catch (SlipwayException e)
        {
            reason = e.Message;
            return false;
        }
        if (path.Length == 0)
        {
            reason = "it is the root of the artifact store";
            return false;
        }
        if (requiredSegment is not null && !path.Split('/').Contains(requiredSegment, StringComparer.Ordinal))
        {
            reason = "the path does not name the run, so it may be shared";
            return false;
        }
        return true;
    }

    /// <summary>Artifact locations deliberately kept, paths where nothing was found, and deletes that failed after the
    /// rows were gone.</summary>
    private sealed record ArtifactLog(List<string> LeftInPlace, List<string> Missing, List<string> Failures);

    private static string? ParentOf(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash <= 0 ? null : path[..slash];
    }

    private static string LastSegment(string path) => path[(path.LastIndexOf('/') + 1)..];
}
