using System.Globalization;
using Slipway.Artifacts;
using Slipway.Core.Errors;
using Slipway.Registry;
using Slipway.Serving.DataPlane;

namespace Slipway.Serving.Endpoints;

/// <summary>What a model reference points at right now: a registry version, or a local file or folder.</summary>
/// <param name="Version">The version number, or <c>local</c> for a path.</param>
public sealed record ResolvedModel(string ModelName, string Version, string? LocalPath)
{
    /// <summary>Identifies the files to load, so that routes and endpoints serving the same ones share a loaded model.</summary>
    public string Key { get; } = LocalPath ?? ModelName + "/" + Version;

    /// <summary><c>model/version</c>, as reported to clients (OIP <c>model_version</c>).</summary>
    public string DisplayName => ModelName + "/" + Version;
}

/// <summary>
/// Turns model references into versions and versions into local files. Aliases resolve through the registry's alias
/// cache, so following them costs no database round trip per reconcile. A registry version's files are copied once
/// from the artifact store into <see cref="ServingOptions.ModelCacheDirectory"/> (<c>&lt;model&gt;/&lt;version&gt;/</c>)
/// and loaded from there, which works the same for every artifact store. The <see cref="IModelSource"/> of
/// <c>slipway server</c>.
/// </summary>
public sealed class ModelResolver(RegistryService registry, IArtifactStore artifacts, ServingOptions options) : IModelSource
{
    public const string LocalVersion = "local";

    public ModelReference Parse(string reference) => ModelReference.Parse(reference, options.LocalModelRoot);

    /// <summary>Registry references, or paths under <see cref="ServingOptions.LocalModelRoot"/> when there is one.</summary>
    public void Validate(string reference) => Parse(reference);

    /// <summary>The version <paramref name="reference"/> points at now; NOT_FOUND when its alias or path does not exist.</summary>
    public async ValueTask<ResolvedModel> ResolveAsync(string reference, CancellationToken ct)
    {
        var parsed = Parse(reference);
        switch (parsed.Kind)
        {
            case ModelReferenceKind.Version:
                return new ResolvedModel(parsed.ModelName, parsed.Version!.Value.ToString(CultureInfo.InvariantCulture), null);
            case ModelReferenceKind.Alias:
                var version = await registry.ResolveAliasAsync(parsed.ModelName, parsed.Alias!, ct)
                    ?? throw SlipwayException.NotFound($"Registered model '{parsed.ModelName}' has no alias '{parsed.Alias}'.");
                return new ResolvedModel(parsed.ModelName, version.ToString(CultureInfo.InvariantCulture), null);
            default:
                if (!File.Exists(parsed.FullPath) && !Directory.Exists(parsed.FullPath))
                    throw SlipwayException.NotFound($"Model path '{parsed.ModelName}' does not exist under the local model root.");
                return new ResolvedModel(parsed.ModelName, LocalVersion, parsed.FullPath);
        }
    }

    /// <summary>
    /// A local path the model loader can open: the local file or folder itself, or the version's copy in the model
    /// cache (made on first use: copied into a temporary folder, then moved into place, so a half-copied version is never
    /// loaded). A version whose source is one file gets a folder holding that file.
    /// </summary>
    public Task<string> MaterializeAsync(ResolvedModel model, CancellationToken ct)
    {
        if (model.LocalPath is { } local)
            return Task.FromResult(local);
        return ModelCache.GetOrFillAsync(ModelCache.FolderFor(options.ModelCacheDirectory, model), (folder, token) => CopyVersionAsync(model, folder, token), ct);
    }

    private async Task CopyVersionAsync(ResolvedModel model, string folder, CancellationToken ct)
    {
        var downloadUri = await registry.GetDownloadUriAsync(model.ModelName, long.Parse(model.Version, CultureInfo.InvariantCulture), ct);
        var source = ArtifactStorePath(downloadUri, model);
        var files = await CopyTreeAsync(source, folder, ct);
        if (files == 0 && await CopyFileAsync(source, Path.Combine(folder, FileName(source)), ct))
            files = 1;
        if (files == 0)
            throw SlipwayException.NotFound($"Model version {model.DisplayName} has no files at '{downloadUri}'.");
    }

    /// <summary>
    /// The artifact store path of a download URI: <c>mlflow-artifacts:/1/abc/artifacts/model</c> (or with a
    /// <c>//host:port</c> authority) gives <c>1/abc/artifacts/model</c>. Other schemes are not served from here yet.
    /// </summary>
    private static string ArtifactStorePath(string downloadUri, ResolvedModel model) =>
        ArtifactUri.TryGetStorePath(downloadUri, out var path)
            ? path
            : throw SlipwayException.InvalidParameter(
                $"Model version {model.DisplayName} has source '{downloadUri}', which this server cannot load; serve models logged to its artifact store (mlflow-artifacts:/…).");

    private async Task<int> CopyTreeAsync(string source, string target, CancellationToken ct)
    {
        var files = 0;
        foreach (var entry in await artifacts.ListAsync(source, ct))
        {
            var name = ArtifactPath.Normalize(entry.Name);
            var child = ArtifactPath.Combine(source, name);
            var local = Path.Combine(target, name.Replace('/', Path.DirectorySeparatorChar));
            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(local);
                files += await CopyTreeAsync(child, local, ct);
            }
            else if (await CopyFileAsync(child, local, ct))
            {
                files++;
            }
        }
        return files;
    }

    private async Task<bool> CopyFileAsync(string source, string target, CancellationToken ct)
    {
        var stream = await artifacts.OpenReadAsync(source, ct);
        if (stream is null)
            return false;
        await using (stream)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await using var file = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await stream.CopyToAsync(file, ct);
        }
        return true;
    }

    private static string FileName(string artifactPath)
    {
        var slash = artifactPath.LastIndexOf('/');
        return slash < 0 ? artifactPath : artifactPath[(slash + 1)..];
    }
}
