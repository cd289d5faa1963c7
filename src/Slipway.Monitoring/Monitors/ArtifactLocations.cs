using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Tracking;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Turns the dataset locations users and MLflow clients write into artifact-store paths:
/// <c>runs:/&lt;run_id&gt;/path</c>, <c>mlflow-artifacts:/…</c> (with or without a <c>//host</c> authority), or a
/// plain store-relative path. Anything else (s3://, file:, http) is refused: the server only reads its own store.
/// </summary>
public static class ArtifactLocations
{
    private const string RunsScheme = "runs:/";

    public static async Task<string> ToStorePathAsync(string location, TrackingService tracking, CancellationToken ct)
    {
        if (location.StartsWith(RunsScheme, StringComparison.Ordinal))
        {
            var rest = location[RunsScheme.Length..].TrimStart('/');
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            var runId = slash < 0 ? rest : rest[..slash];
            var path = slash < 0 ? "" : rest[(slash + 1)..];
            var run = await tracking.GetRunInfoAsync(runId, ct);
            return ToStorePath(path.Length == 0 ? run.ArtifactUri : run.ArtifactUri.TrimEnd('/') + "/" + path);
        }
        return ToStorePath(location);
    }

    private static string ToStorePath(string location)
    {
        if (!ArtifactUri.TryGetStorePath(location, out var path))
        {
            if (location.Contains(':', StringComparison.Ordinal))
                throw SlipwayException.InvalidParameter(
                    $"Reference data at '{location}' cannot be read: use runs:/<run_id>/<path>, mlflow-artifacts:/<path> or a path in this server's artifact store.");
            path = ArtifactPath.Normalize(Uri.UnescapeDataString(location).TrimStart('/'));
        }
        if (path.Length == 0)
            throw SlipwayException.InvalidParameter($"Reference data location '{location}' names no file.");
        return path;
    }
}
