using System.Buffers;
using Amazon.S3.Model;

namespace Slipway.Artifacts;

public sealed partial class S3ArtifactStore
{
    private const int DeleteBatchSize = 1000;

    /// <summary>
    /// Reads the content one part at a time into a pooled buffer: a file that fits in one part is sent with one PUT,
    /// a larger one as a multipart upload whose parts are sent as they are read. Each part is in memory anyway, so it is
    /// sent with a signed payload hash rather than as aws-chunked streaming signatures, which many S3-compatible servers
    /// store verbatim instead of decoding.
    /// </summary>
    private async Task UploadAsync(string key, Stream content, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(_partSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, ct);
            if (filled < _partSize)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                await _client.PutObjectAsync(new PutObjectRequest { BucketName = _bucket, Key = key, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false }, ct);
                return;
            }
            await UploadPartsAsync(key, content, buffer, filled, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Sends each part while the next one is read, so a slow client and a slow bucket overlap instead of taking turns;
    /// memory is two part buffers. On any failure the upload is aborted, after the part in flight has settled (a part
    /// that lands after the abort would otherwise be kept).
    /// </summary>
    private async Task UploadPartsAsync(string key, Stream content, byte[] buffer, int filled, CancellationToken ct)
    {
        var upload = await _client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key }, ct);
        var second = ArrayPool<byte>.Shared.Rent(_partSize);
        Task<PartETag>? sending = null;
        try
        {
            var parts = new List<PartETag>();
            var (current, next) = (buffer, second);
            for (var number = 1; filled > 0; number++)
            {
                sending = UploadPartAsync(key, upload.UploadId, number, current, filled, ct);
                var nextFilled = await content.ReadAtLeastAsync(next.AsMemory(0, _partSize), _partSize, throwOnEndOfStream: false, ct);
                parts.Add(await sending);
                sending = null;
                (current, next, filled) = (next, current, nextFilled);
            }
            await _client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = _bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, ct);
        }
        catch
        {
            if (sending is not null)
                await sending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            await AbortQuietlyAsync(key, upload.UploadId);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(second);
        }
    }

    private async Task<PartETag> UploadPartAsync(string key, string uploadId, int number, byte[] buffer, int length, CancellationToken ct)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var part = await _client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = _bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = number,
            PartSize = length,
            InputStream = body,
            UseChunkEncoding = false,
        }, ct);
        return new PartETag(number, part.ETag);
    }

    private async Task AbortQuietlyAsync(string key, string uploadId)
    {
        try
        {
            // Not the caller's token: a cancelled upload must still be aborted, or its parts stay stored and billed.
            await _client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = key, UploadId = uploadId }, CancellationToken.None);
        }
        catch (Amazon.Runtime.AmazonServiceException)
        {
            // The original failure is what the caller needs to see; a bucket lifecycle rule cleans up leftovers.
        }
    }

    /// <summary>Deletes every object whose key starts with <paramref name="prefix"/>, a thousand per request.</summary>
    private async Task<bool> DeleteTreeAsync(string prefix, CancellationToken ct)
    {
        var any = false;
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, MaxKeys = DeleteBatchSize };
        ListObjectsV2Response response;
        do
        {
            // Always the first page: the objects listed before are gone, so a continuation token is not needed.
            response = await _client.ListObjectsV2Async(request, ct);
            if (response.S3Objects is not { Count: > 0 } objects)
                break;
            var result = await _client.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = _bucket,
                Objects = objects.ConvertAll(o => new KeyVersion { Key = o.Key }),
                Quiet = true,
            }, ct);
            if (result.DeleteErrors is { Count: > 0 } errors)
                throw new IOException($"Could not delete {errors.Count} objects under '{prefix}': {errors[0].Code} {errors[0].Message}");
            any = true;
        }
        while (response.IsTruncated == true);
        return any;
    }
}
