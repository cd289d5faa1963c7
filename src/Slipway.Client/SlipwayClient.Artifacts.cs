using System.Net.Http.Headers;
using Slipway.Client.Artifacts;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const int DownloadParallelism = 4;

    /// <summary>
    /// Uploads one file into a run's artifacts (<c>PUT /api/2.0/mlflow-artifacts/artifacts/…</c>), under
    /// <paramref name="artifactPath"/> with its own file name. An existing artifact of that path is replaced.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="localFile">The file to upload.</param>
    /// <param name="artifactPath">The folder inside the run's artifacts (<c>/</c>-separated); null for the root.</param>
    /// <param name="ct">Cancels the upload.</param>
    /// <returns>The artifact's path relative to the run's artifact root, e.g. <c>model/weights.onnx</c>.</returns>
    public async Task<string> UploadArtifactAsync(string runId, string localFile, string? artifactPath = null, CancellationToken ct = default)
    {
        var run = await GetRunAsync(runId, ct).ConfigureAwait(false);
        return await UploadArtifactAsync(run.Info, localFile, artifactPath, ct).ConfigureAwait(false);
    }

    /// <summary>Uploads one file into the artifacts of the run described by <paramref name="run"/>, saving a <c>runs/get</c>.</summary>
    /// <inheritdoc cref="UploadArtifactAsync(string, string, string?, CancellationToken)"/>
    public async Task<string> UploadArtifactAsync(RunInfo run, string localFile, string? artifactPath = null, CancellationToken ct = default)
    {
        var root = ArtifactLocation.ToProxyPath(run.ArtifactUri);
        var target = ArtifactLocation.Combine(ArtifactLocation.Normalize(artifactPath), Path.GetFileName(localFile));
        await PutFileAsync(root, target, localFile, ct).ConfigureAwait(false);
        return target;
    }

    /// <summary>
    /// Uploads every file below <paramref name="localDirectory"/>, keeping the folder structure, into a run's
    /// artifacts under <paramref name="artifactPath"/> (one PUT per file, as MLflow's <c>log_artifacts</c>).
    /// Empty folders are not recorded.
    /// </summary>
    /// <returns>The uploaded artifacts' paths relative to the run's artifact root.</returns>
    public async Task<IReadOnlyList<string>> UploadArtifactsAsync(string runId, string localDirectory, string? artifactPath = null, CancellationToken ct = default)
    {
        var run = await GetRunAsync(runId, ct).ConfigureAwait(false);
        return await UploadArtifactsAsync(run.Info, localDirectory, artifactPath, ct).ConfigureAwait(false);
    }

    /// <summary>Uploads a folder into the artifacts of the run described by <paramref name="run"/>, saving a <c>runs/get</c>.</summary>
    /// <inheritdoc cref="UploadArtifactsAsync(string, string, string?, CancellationToken)"/>
    public async Task<IReadOnlyList<string>> UploadArtifactsAsync(RunInfo run, string localDirectory, string? artifactPath = null, CancellationToken ct = default)
    {
        var root = ArtifactLocation.ToProxyPath(run.ArtifactUri);
        var folder = ArtifactLocation.Normalize(artifactPath);
        var source = Path.GetFullPath(localDirectory);
        if (!Directory.Exists(source))
            throw new DirectoryNotFoundException($"Directory '{localDirectory}' does not exist.");
        var uploaded = new List<string>();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(source, file).Replace(Path.DirectorySeparatorChar, '/');
            var target = ArtifactLocation.Combine(folder, ArtifactLocation.Normalize(relative));
            await PutFileAsync(root, target, file, ct).ConfigureAwait(false);
            uploaded.Add(target);
        }

        return uploaded;
    }

    /// <summary>Lists one folder level of a run's artifacts (<c>GET /api/2.0/mlflow-artifacts/artifacts?path=…</c>).</summary>
    /// <param name="runId">The run.</param>
    /// <param name="path">The folder, relative to the run's artifact root; null for the root.</param>
    /// <param name="ct">Cancels the request.</param>
    /// <returns>The entries with paths relative to the run's artifact root; empty for a missing folder or a file path.</returns>
    public async Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(string runId, string? path = null, CancellationToken ct = default)
    {
        var run = await GetRunAsync(runId, ct).ConfigureAwait(false);
        return await ListArtifactsAsync(run.Info, path, ct).ConfigureAwait(false);
    }

    /// <summary>Lists one folder level of the artifacts of the run described by <paramref name="run"/>.</summary>
    /// <inheritdoc cref="ListArtifactsAsync(string, string?, CancellationToken)"/>
    public Task<IReadOnlyList<ArtifactFile>> ListArtifactsAsync(RunInfo run, string? path = null, CancellationToken ct = default) =>
        ListArtifactsCoreAsync(ArtifactLocation.ToProxyPath(run.ArtifactUri), ArtifactLocation.Normalize(path), ct);

    /// <summary>
    /// Downloads a run's artifact file, or a folder recursively, into <paramref name="destinationDirectory"/>,
    /// keeping the artifact path: <c>data/a.txt</c> lands at <c>&lt;destination&gt;/data/a.txt</c>. Existing files are overwritten.
    /// </summary>
    /// <param name="runId">The run.</param>
    /// <param name="artifactPath">A file or folder relative to the run's artifact root; null for all artifacts.</param>
    /// <param name="destinationDirectory">The local folder to write into; created when missing.</param>
    /// <param name="ct">Cancels the download.</param>
    /// <returns>The full local path of the downloaded file or folder.</returns>
    /// <exception cref="SlipwayApiException">The artifact does not exist.</exception>
    public async Task<string> DownloadArtifactsAsync(string runId, string? artifactPath, string destinationDirectory, CancellationToken ct = default)
    {
        var run = await GetRunAsync(runId, ct).ConfigureAwait(false);
        return await DownloadArtifactsAsync(run.Info, artifactPath, destinationDirectory, ct).ConfigureAwait(false);
    }

    /// <summary>Downloads artifacts of the run described by <paramref name="run"/>, saving a <c>runs/get</c>.</summary>
    /// <inheritdoc cref="DownloadArtifactsAsync(string, string?, string, CancellationToken)"/>
    public async Task<string> DownloadArtifactsAsync(RunInfo run, string? artifactPath, string destinationDirectory, CancellationToken ct = default)
    {
        var root = ArtifactLocation.ToProxyPath(run.ArtifactUri);
        var path = ArtifactLocation.Normalize(artifactPath);
        var destination = Path.GetFullPath(destinationDirectory);
        var localPath = ArtifactLocation.ToLocalPath(destination, path);

        // The proxy lists a file path as an empty folder, so "has entries" is how a folder is told from a file.
        var entries = await ListArtifactsCoreAsync(root, path, ct).ConfigureAwait(false);
        if (entries.Count == 0 && path.Length > 0)
        {
            await DownloadFileAsync(root, path, localPath, ct).ConfigureAwait(false);
            return localPath;
        }

        var files = new List<string>();
        await CollectFilesAsync(root, entries, destination, files, ct).ConfigureAwait(false);
        Directory.CreateDirectory(localPath);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = DownloadParallelism, CancellationToken = ct },
            async (file, token) => await DownloadFileAsync(root, file, ArtifactLocation.ToLocalPath(destination, file), token).ConfigureAwait(false)).ConfigureAwait(false);
        return localPath;
    }

    private async Task CollectFilesAsync(string root, IReadOnlyList<ArtifactFile> entries, string destination, List<string> files, CancellationToken ct)
    {
        foreach (var entry in entries)
        {
            if (entry.IsDir)
            {
                Directory.CreateDirectory(ArtifactLocation.ToLocalPath(destination, entry.Path));
                var children = await ListArtifactsCoreAsync(root, entry.Path, ct).ConfigureAwait(false);
                await CollectFilesAsync(root, children, destination, files, ct).ConfigureAwait(false);
            }
            else
            {
                files.Add(entry.Path);
            }
        }
    }

    private async Task<IReadOnlyList<ArtifactFile>> ListArtifactsCoreAsync(string root, string folder, CancellationToken ct)
    {
        var full = ArtifactLocation.Combine(root, folder);
        var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(ArtifactLocation.ProxyPrefix, [new("path", full)]));
        var response = await SendForJsonAsync(request, SlipwayJsonContext.Default.ListArtifactsResponse, ct).ConfigureAwait(false);
        if (response.Files is null)
            return [];

        // The proxy answers names relative to the listed folder; callers get paths relative to the run's root.
        var result = new List<ArtifactFile>(response.Files.Count);
        foreach (var file in response.Files)
            result.Add(file with { Path = ArtifactLocation.Combine(folder, ArtifactLocation.Normalize(file.Path)) });
        return result;
    }

    private async Task PutFileAsync(string root, string artifactPath, string localFile, CancellationToken ct)
    {
        var stream = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue(ContentTypes.Guess(Path.GetFileName(localFile)));
            content.Headers.ContentLength = stream.Length;
            using var request = new HttpRequestMessage(HttpMethod.Put, ProxyUri(root, artifactPath)) { Content = content };
            using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        }
    }

    private async Task DownloadFileAsync(string root, string artifactPath, string localFile, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, ProxyUri(root, artifactPath));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        Directory.CreateDirectory(Path.GetDirectoryName(localFile)!);

        // Write beside the target and move it into place, so a broken download never leaves a truncated file.
        var partial = localFile + ".partial-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            var source = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (source.ConfigureAwait(false))
            {
                var target = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
                await using (target.ConfigureAwait(false))
                    await source.CopyToAsync(target, ct).ConfigureAwait(false);
            }

            File.Move(partial, localFile, overwrite: true);
        }
        finally
        {
            if (File.Exists(partial))
                File.Delete(partial);
        }
    }

    private Uri ProxyUri(string root, string artifactPath) =>
        new(BaseAddress, ArtifactLocation.ProxyPrefix + "/" + ArtifactLocation.EscapePath(ArtifactLocation.Combine(root, artifactPath)));
}
