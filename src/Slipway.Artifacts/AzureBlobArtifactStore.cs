using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>
/// Artifacts in an Azure Blob Storage container under a name prefix. Uploads stream as blocks of
/// <see cref="AzureBlobArtifactOptions.BlockSizeBytes"/>; blocks stay invisible until the block list is committed at
/// the end, so a failed upload leaves the previous blob (or none) in place.
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    private const int DeleteConcurrency = 8;
    private readonly BlobContainerClient _container;
    private readonly ObjectKeys _keys;
    private readonly StorageTransferOptions _transfer;

    /// <summary>A store reaching <paramref name="container"/> as <paramref name="options"/> say (connection string, SAS or shared key).</summary>
    public AzureBlobArtifactStore(string container, string prefix, AzureBlobArtifactOptions options)
        : this(CreateServiceClient(options).GetBlobContainerClient(container), prefix, options)
    {
    }

    /// <summary>A store over a container client the caller built.</summary>
    public AzureBlobArtifactStore(BlobContainerClient container, string prefix, AzureBlobArtifactOptions? options = null)
    {
        options ??= new AzureBlobArtifactOptions();
        _container = container;
        _keys = new ObjectKeys(prefix);
        _transfer = new StorageTransferOptions
        {
            InitialTransferSize = options.BlockSizeBytes,
            MaximumTransferSize = options.BlockSizeBytes,
            MaximumConcurrency = options.MaxConcurrency,
        };
    }

    public async Task WriteAsync(string path, Stream content, CancellationToken ct)
    {
        var blob = _container.GetBlobClient(_keys.File(path));
        // Without conditions an upload replaces the blob; a non-seekable stream is cut into blocks as it is read.
        await blob.UploadAsync(content, new BlobUploadOptions { TransferOptions = _transfer }, ct);
    }

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct) =>
        (await OpenReadAsync(path, null, ct))?.Stream;

    public async Task<ArtifactContent?> OpenReadAsync(string path, ArtifactRange? range, CancellationToken ct)
    {
        if (ArtifactPath.Normalize(path).Length == 0)
            return null;
        var blob = _container.GetBlobClient(_keys.File(path));
        try
        {
            if (range is null)
            {
                var whole = (await blob.DownloadStreamingAsync(cancellationToken: ct)).Value;
                var length = whole.Details.ContentLength;
                return new ArtifactContent(new BoundedReadStream(whole.Content, length, whole), 0, length, length, whole.Details.ETag.ToString("H"));
            }
            // Length first, then the range with an ETag condition, so that a blob replaced in between fails the read
            // (412) instead of mixing two versions; then the new version's length is read again.
            for (var attempt = 1; ; attempt++)
            {
                var properties = (await blob.GetPropertiesAsync(cancellationToken: ct)).Value;
                var total = properties.ContentLength;
                if (!range.Value.TryResolve(total, out var offset, out var count))
                    throw new ArtifactRangeNotSatisfiableException(total);
                try
                {
                    var part = (await blob.DownloadStreamingAsync(new BlobDownloadOptions
                    {
                        Range = new HttpRange(offset, count),
                        Conditions = new BlobRequestConditions { IfMatch = properties.ETag },
                    }, ct)).Value;
                    return new ArtifactContent(new BoundedReadStream(part.Content, count, part), offset, count, total, properties.ETag.ToString("H"));
                }
                catch (RequestFailedException e) when (e.Status == 412)
                {
                    if (attempt >= ArtifactContent.MaxRangedReadAttempts)
                        throw ArtifactContent.ReplacedWhileReading(blob.Name);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct)
    {
        var prefix = _keys.Folder(path);
        var entries = new List<ArtifactEntry>();
        await foreach (var item in _container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", prefix, ct))
        {
            if (item.IsPrefix)
            {
                if (ObjectKeys.Name(prefix, item.Prefix) is { Length: > 0 } name)
                    entries.Add(new ArtifactEntry(name, true, null));
            }
            else if (!item.Blob.Name.EndsWith('/'))
            {
                entries.Add(new ArtifactEntry(ObjectKeys.Name(prefix, item.Blob.Name), false, item.Blob.Properties.ContentLength ?? 0));
            }
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        if (ArtifactPath.Normalize(path).Length == 0)
            throw SlipwayException.InvalidParameter("Refusing to delete the artifact root.");
        var key = _keys.File(path);
        var deleted = (await _container.GetBlobClient(key).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct)).Value;
        // A page of names at a time, deleted a few at once: a run's folder can hold many thousands of files.
        await foreach (var page in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, key + "/", ct).AsPages(pageSizeHint: 1000))
        {
            var names = page.Values.Select(b => b.Name).ToList();
            await Parallel.ForEachAsync(names, new ParallelOptions { MaxDegreeOfParallelism = DeleteConcurrency, CancellationToken = ct }, async (name, token) =>
                await _container.GetBlobClient(name).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: token));
            deleted |= names.Count > 0;
        }
        return deleted;
    }

    private static BlobServiceClient CreateServiceClient(AzureBlobArtifactOptions options)
    {
        if (options.EffectiveConnectionString is { Length: > 0 } connectionString)
            return new BlobServiceClient(connectionString);
        if (string.IsNullOrEmpty(options.AccountUrl))
            throw new InvalidOperationException($"azblob:// destinations need Artifacts:Azure:ConnectionString, {AzureBlobArtifactOptions.ConnectionStringVariable}, or Artifacts:Azure:AccountUrl.");
        var url = new Uri(options.AccountUrl);
        if (!string.IsNullOrEmpty(options.SasToken))
            return new BlobServiceClient(url, new AzureSasCredential(options.SasToken.TrimStart('?')));
        if (!string.IsNullOrEmpty(options.AccountName) && !string.IsNullOrEmpty(options.AccountKey))
            return new BlobServiceClient(url, new StorageSharedKeyCredential(options.AccountName, options.AccountKey));
        // A URL that carries its own SAS query, or a container that allows anonymous reads.
        return new BlobServiceClient(url);
    }
}
