using Slipway.Client;
using Slipway.Core.Errors;

namespace Slipway.Pipelines.Executors.BuiltIn;

/// <summary>
/// Turns the locations a step may be given into local files: a local path (relative to the working directory),
/// <c>runs:/&lt;run&gt;/&lt;path&gt;</c>, <c>mlflow-artifacts:/…</c> and, for models, <c>models:/name/3</c> or
/// <c>models:/name@alias</c>. Downloads go through the SDK into a folder the caller owns and deletes.
/// </summary>
internal sealed class ArtifactFetcher(SlipwayClient client)
{
    /// <summary>Resolves a data file: local paths are returned as they are, URIs are downloaded under <paramref name="workDirectory"/>.</summary>
    public async Task<string> FetchFileAsync(string location, string workingDirectory, string workDirectory, CancellationToken ct)
    {
        if (location.StartsWith("runs:/", StringComparison.OrdinalIgnoreCase))
        {
            var (runId, path) = ParseRunsUri(location);
            if (path.Length == 0)
                throw SlipwayException.InvalidParameter($"'{location}' names a whole run; name a file such as runs:/<run>/data/holdout.csv.");
            return await client.DownloadArtifactsAsync(runId, path, Unique(workDirectory), ct);
        }
        if (location.StartsWith("mlflow-artifacts:", StringComparison.OrdinalIgnoreCase))
            return await client.DownloadArtifactUriAsync(location, Unique(workDirectory), ct);
        if (location.Contains(":/", StringComparison.Ordinal) && !Path.IsPathRooted(location))
            throw SlipwayException.InvalidParameter($"'{location}' is neither a local path nor a runs:/ or mlflow-artifacts: URI.");

        var full = Path.GetFullPath(location, workingDirectory);
        return File.Exists(full) ? full : throw SlipwayException.InvalidParameter($"{location}: the file does not exist.");
    }

    /// <summary>Downloads a model directory and says where it came from.</summary>
    public async Task<FetchedModel> FetchModelAsync(string modelUri, string workingDirectory, string workDirectory, CancellationToken ct)
    {
        var destination = Unique(workDirectory);
        if (modelUri.StartsWith("models:/", StringComparison.OrdinalIgnoreCase))
        {
            var resolved = await client.ResolveModelUriAsync(modelUri, ct);
            var folder = await client.DownloadArtifactUriAsync(resolved.DownloadUri, destination, ct);
            return new FetchedModel(folder, resolved.ModelVersion.RunId, resolved.ModelVersion);
        }
        if (modelUri.StartsWith("runs:/", StringComparison.OrdinalIgnoreCase))
        {
            var (runId, path) = ParseRunsUri(modelUri);
            return new FetchedModel(await client.DownloadArtifactsAsync(runId, path.Length == 0 ? "model" : path, destination, ct), runId, null);
        }
        if (modelUri.StartsWith("mlflow-artifacts:", StringComparison.OrdinalIgnoreCase))
            return new FetchedModel(await client.DownloadArtifactUriAsync(modelUri, destination, ct), null, null);

        var local = Path.GetFullPath(modelUri, workingDirectory);
        return Directory.Exists(local)
            ? new FetchedModel(local, null, null)
            : throw SlipwayException.InvalidParameter($"'{modelUri}' is not a models:/, runs:/ or mlflow-artifacts: URI or a local model folder.");
    }

    /// <summary><c>runs:/abc/model/x</c> → (<c>abc</c>, <c>model/x</c>).</summary>
    public static (string RunId, string Path) ParseRunsUri(string uri)
    {
        var rest = uri["runs:/".Length..].TrimStart('/');
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        if (runId.Length == 0)
            throw SlipwayException.InvalidParameter($"'{uri}' names no run; the form is runs:/<run id>/<path>.");
        return (runId, slash < 0 ? "" : rest[(slash + 1)..].Trim('/'));
    }

    private static string Unique(string workDirectory) => Path.Combine(workDirectory, Guid.NewGuid().ToString("N")[..12]);
}

/// <summary>A model folder on disk; <see cref="RunId"/> is its source run and <see cref="Version"/> its registry version, when known.</summary>
internal sealed record FetchedModel(string Directory, string? RunId, ModelVersion? Version);
