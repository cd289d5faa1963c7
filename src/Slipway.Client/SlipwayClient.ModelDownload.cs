using Slipway.Client.Artifacts;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    /// <summary>
    /// Downloads what an artifact URI points at — typically a model version's <see cref="ResolvedModelVersion.DownloadUri"/>,
    /// e.g. <c>mlflow-artifacts:/1/abc/artifacts/model</c> — through the server's artifact proxy. A folder's files land
    /// directly under <paramref name="destinationDirectory"/> keeping their relative paths
    /// (<c>…/model/MLmodel</c> → <c>&lt;destination&gt;/MLmodel</c>); a single file lands as
    /// <c>&lt;destination&gt;/&lt;file name&gt;</c>. Existing files are overwritten.
    /// </summary>
    /// <param name="artifactUri">An <c>mlflow-artifacts:</c> URI, or an http(s) URL of the artifact proxy.</param>
    /// <param name="destinationDirectory">The local folder to write into; created when missing.</param>
    /// <param name="ct">Cancels the download.</param>
    /// <returns>The full local path of the folder, or of the file for a single-file artifact.</returns>
    /// <exception cref="NotSupportedException">The URI is not served through the artifact proxy (e.g. <c>s3://</c>).</exception>
    /// <exception cref="SlipwayApiException">The artifact does not exist.</exception>
    public async Task<string> DownloadArtifactUriAsync(string artifactUri, string destinationDirectory, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(artifactUri);
        var root = ArtifactLocation.ToProxyPath(artifactUri);
        if (root.Length == 0)
            throw new ArgumentException($"The artifact URI '{artifactUri}' names the artifact store's root, not a model.", nameof(artifactUri));
        var destination = Path.GetFullPath(destinationDirectory);

        // As in DownloadArtifactsAsync: the proxy lists a file as an empty folder.
        var entries = await ListArtifactsCoreAsync(root, "", ct).ConfigureAwait(false);
        if (entries.Count == 0)
        {
            var slash = root.LastIndexOf('/');
            var (parent, fileName) = slash < 0 ? ("", root) : (root[..slash], root[(slash + 1)..]);
            var localFile = ArtifactLocation.ToLocalPath(destination, fileName);
            await DownloadFileAsync(parent, fileName, localFile, ct).ConfigureAwait(false);
            return localFile;
        }

        var files = new List<string>();
        await CollectFilesAsync(root, entries, destination, files, ct).ConfigureAwait(false);
        Directory.CreateDirectory(destination);
        await Parallel.ForEachAsync(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = DownloadParallelism, CancellationToken = ct },
            async (file, token) => await DownloadFileAsync(root, file, ArtifactLocation.ToLocalPath(destination, file), token).ConfigureAwait(false)).ConfigureAwait(false);
        return destination;
    }
}
