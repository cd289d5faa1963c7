using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Slipway.Core.Errors;

namespace Slipway.Artifacts;

/// <summary>
/// Artifacts in an S3 bucket (AWS or any S3-compatible server) under a key prefix. Uploads stream in parts of
/// <see cref="S3ArtifactOptions.PartSizeBytes"/> (one PUT when the file fits in one part), so memory per upload is two
/// part buffers; a failed multipart upload is aborted, so no object appears. S3 replaces objects atomically.
/// </summary>
public sealed partial class S3ArtifactStore : IArtifactStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly bool _ownsClient;
    private readonly string _bucket;
    private readonly ObjectKeys _keys;
    private readonly int _partSize;

    /// <summary>A store with its own client built from <paramref name="options"/> (standard credential chain unless keys are set).</summary>
    public S3ArtifactStore(string bucket, string prefix, S3ArtifactOptions options)
        : this(S3ClientFactory.Create(options), bucket, prefix, options.PartSizeBytes, ownsClient: true)
    {
    }

    /// <summary>A store over a client the caller owns.</summary>
    public S3ArtifactStore(IAmazonS3 client, string bucket, string prefix, int partSizeBytes = 8 * 1024 * 1024)
        : this(client, bucket, prefix, partSizeBytes, ownsClient: false)
    {
    }

    private S3ArtifactStore(IAmazonS3 client, string bucket, string prefix, int partSizeBytes, bool ownsClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partSizeBytes, S3ArtifactOptions.MinPartSizeBytes);
        _client = client;
        _ownsClient = ownsClient;
        _bucket = bucket;
        _keys = new ObjectKeys(prefix);
        _partSize = partSizeBytes;
    }

    public Task WriteAsync(string path, Stream content, CancellationToken ct) => UploadAsync(_keys.File(path), content, ct);

    public async Task<Stream?> OpenReadAsync(string path, CancellationToken ct) =>
        (await OpenReadAsync(path, null, ct))?.Stream;

    public async Task<ArtifactContent?> OpenReadAsync(string path, ArtifactRange? range, CancellationToken ct)
    {
        if (ArtifactPath.Normalize(path).Length == 0)
            return null;
        var key = _keys.File(path);
        if (range is null)
        {
            var whole = await GetAsync(new GetObjectRequest { BucketName = _bucket, Key = key }, ct);
            if (whole is null)
                return null;
            var length = whole.ContentLength;
            return new ArtifactContent(new BoundedReadStream(whole.ResponseStream, length, whole), 0, length, length, whole.ETag);
        }
        // The length comes first so that suffixes and clipping are resolved here, the same way for every store; the
        // ETag condition makes the read fail (412) rather than mix two versions if the object is replaced in between,
        // and then the length of the new version is read again.
        for (var attempt = 1; ; attempt++)
        {
            var head = await HeadAsync(key, ct);
            if (head is null)
                return null;
            var total = head.ContentLength;
            if (!range.Value.TryResolve(total, out var offset, out var count))
                throw new ArtifactRangeNotSatisfiableException(total);
            GetObjectResponse? part;
            try
            {
                part = await GetAsync(new GetObjectRequest
                {
                    BucketName = _bucket,
                    Key = key,
                    ByteRange = new ByteRange(offset, offset + count - 1),
                    EtagToMatch = head.ETag,
                }, ct);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                if (attempt < ArtifactContent.MaxRangedReadAttempts)
                    continue;
                throw ArtifactContent.ReplacedWhileReading(key);
            }
            if (part is null)
                return null;
            return new ArtifactContent(new BoundedReadStream(part.ResponseStream, count, part), offset, count, total, head.ETag);
        }
    }

    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string path, CancellationToken ct)
    {
        var prefix = _keys.Folder(path);
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/" };
        var entries = new List<ArtifactEntry>();
        ListObjectsV2Response response;
        do
        {
            response = await _client.ListObjectsV2Async(request, ct);
            foreach (var folder in response.CommonPrefixes ?? [])
            {
                if (ObjectKeys.Name(prefix, folder) is { Length: > 0 } name)
                    entries.Add(new ArtifactEntry(name, true, null));
            }
            foreach (var item in response.S3Objects ?? [])
            {
                // A key ending in '/' is a folder marker that some tools create; it is not a file.
                if (!item.Key.EndsWith('/'))
                    entries.Add(new ArtifactEntry(ObjectKeys.Name(prefix, item.Key), false, item.Size ?? 0));
            }
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);
        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    public async Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        if (ArtifactPath.Normalize(path).Length == 0)
            throw SlipwayException.InvalidParameter("Refusing to delete the artifact root.");
        var key = _keys.File(path);
        var deleted = false;
        if (await HeadAsync(key, ct) is not null)
        {
            await _client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = key }, ct);
            deleted = true;
        }
        // Object stores allow a file and a "folder" of the same name; deleting the path removes both.
        return await DeleteTreeAsync(key + "/", ct) || deleted;
    }

    public void Dispose()
    {
        if (_ownsClient)
            _client.Dispose();
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string key, CancellationToken ct)
    {
        try
        {
            return await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = key }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<GetObjectResponse?> GetAsync(GetObjectRequest request, CancellationToken ct)
    {
        try
        {
            return await _client.GetObjectAsync(request, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
