using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Slipway.Artifacts.Tests.Fixtures;
using Slipway.Core.Errors;
using static Slipway.Artifacts.Tests.Compliance.TestStreams;

namespace Slipway.Artifacts.Tests.Backends;

/// <summary>
/// A ranged read learns the length, then fetches the bytes on the condition that the object is still that version. An
/// object replaced in between (by a hook that writes a new version just before the conditional request goes to the
/// real emulator) must be read again, not answered with a server error.
/// </summary>
public sealed class ReplacedDuringRangedReadTests(S3ServerFixture s3, AzuriteFixture azurite) : IClassFixture<S3ServerFixture>, IClassFixture<AzuriteFixture>
{
    private static readonly byte[] First = Bytes(20_000, 1);
    private static readonly byte[] Second = Bytes(30_000, 2);

    [Fact]
    public async Task S3_ReplacedOnce_RetriesAndReadsTheNewVersion()
    {
        using var client = new ReplacingS3Client(s3.Options(), replacements: 1);
        var prefix = "race-" + Guid.NewGuid().ToString("N");
        using var store = new S3ArtifactStore(client, S3ServerFixture.Bucket, prefix);
        await store.WriteAsync("f.bin", new MemoryStream(First), CancellationToken.None);
        client.Key = prefix + "/f.bin";

        // "From 15,000 on" is 5,000 bytes of the first version and 15,000 of the second: only the second is right.
        await using var content = await store.OpenReadAsync("f.bin", ArtifactRange.FromTo(15_000), CancellationToken.None);

        Assert.Equal(1, client.Replaced);
        Assert.Equal((15_000L, 15_000L, 30_000L), (content!.Offset, content.Length, content.TotalLength));
        Assert.Equal(Second[15_000..], await ReadAllAsync(content.Stream));
    }

    [Fact]
    public async Task S3_ReplacedOnEveryAttempt_TemporarilyUnavailable()
    {
        using var client = new ReplacingS3Client(s3.Options(), replacements: int.MaxValue);
        var prefix = "race-" + Guid.NewGuid().ToString("N");
        using var store = new S3ArtifactStore(client, S3ServerFixture.Bucket, prefix);
        await store.WriteAsync("f.bin", new MemoryStream(First), CancellationToken.None);
        client.Key = prefix + "/f.bin";

        var error = await Assert.ThrowsAsync<SlipwayException>(() => store.OpenReadAsync("f.bin", ArtifactRange.FromTo(100, 199), CancellationToken.None));
        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
    }

    [Fact]
    public async Task Azure_ReplacedOnce_RetriesAndReadsTheNewVersion()
    {
        var (store, policy) = AzureStore(replacements: 1);
        await store.WriteAsync("f.bin", new MemoryStream(First), CancellationToken.None);
        policy.Armed = true;

        await using var content = await store.OpenReadAsync("f.bin", ArtifactRange.FromTo(15_000), CancellationToken.None);

        Assert.Equal(1, policy.Replaced);
        Assert.Equal((15_000L, 15_000L, 30_000L), (content!.Offset, content.Length, content.TotalLength));
        Assert.Equal(Second[15_000..], await ReadAllAsync(content.Stream));
    }

    [Fact]
    public async Task Azure_ReplacedOnEveryAttempt_TemporarilyUnavailable()
    {
        var (store, policy) = AzureStore(replacements: int.MaxValue);
        await store.WriteAsync("f.bin", new MemoryStream(First), CancellationToken.None);
        policy.Armed = true;

        var error = await Assert.ThrowsAsync<SlipwayException>(() => store.OpenReadAsync("f.bin", ArtifactRange.FromTo(100, 199), CancellationToken.None));
        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
    }

    private (AzureBlobArtifactStore Store, ReplacingPolicy Policy) AzureStore(int replacements)
    {
        var prefix = "race-" + Guid.NewGuid().ToString("N");
        var policy = new ReplacingPolicy(azurite.ContainerClient().GetBlobClient(prefix + "/f.bin"), replacements);
        var options = new BlobClientOptions();
        options.AddPolicy(policy, HttpPipelinePosition.PerCall);
        var container = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.Container, options);
        return (new AzureBlobArtifactStore(container, prefix), policy);
    }

    /// <summary>
    /// Writes <see cref="Second"/> to <see cref="Key"/> just before each conditional GET, up to a number of times. s3rver
    /// ignores If-Match, so the condition is then checked against the emulator's current ETag and failed with the 412
    /// that S3 answers.
    /// </summary>
    private sealed class ReplacingS3Client(S3ArtifactOptions options, int replacements) : AmazonS3Client(
        new BasicAWSCredentials(options.AccessKeyId, options.SecretAccessKey),
        new AmazonS3Config
        {
            ServiceURL = options.ServiceUrl,
            ForcePathStyle = true,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        })
    {
        private int _left = replacements;

        public string? Key { get; set; }

        public int Replaced { get; private set; }

        public override async Task<GetObjectResponse> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken = default)
        {
            if (request.EtagToMatch is not null && request.Key == Key && _left-- > 0)
            {
                // S3's ETag is the content's MD5, so each replacement has other bytes (the first is Second) to be a new version.
                var bytes = Replaced == 0 ? Second : Bytes(Second.Length, 100 + Replaced);
                await PutObjectAsync(new PutObjectRequest { BucketName = request.BucketName, Key = request.Key, InputStream = new MemoryStream(bytes), UseChunkEncoding = false }, cancellationToken);
                Replaced++;
            }
            if (request.EtagToMatch is not null && request.Key == Key)
            {
                var current = await GetObjectMetadataAsync(request.BucketName, request.Key, cancellationToken);
                if (current.ETag != request.EtagToMatch)
                    throw new AmazonS3Exception("At least one of the pre-conditions you specified did not hold", ErrorType.Sender, "PreconditionFailed", "test", System.Net.HttpStatusCode.PreconditionFailed);
            }
            return await base.GetObjectAsync(request, cancellationToken);
        }
    }

    /// <summary>An Azure pipeline step that uploads <see cref="Second"/> before each conditional ranged download.</summary>
    private sealed class ReplacingPolicy(BlobClient blob, int replacements) : HttpPipelinePolicy
    {
        private int _left = replacements;

        public bool Armed { get; set; }

        public int Replaced { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("The store only reads asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            if (Armed && message.Request.Headers.Contains("If-Match") && message.Request.Uri.Path.EndsWith("/" + blob.Name, StringComparison.Ordinal) && _left-- > 0)
            {
                await blob.UploadAsync(new BinaryData(Second), overwrite: true);
                Replaced++;
            }
            await ProcessNextAsync(message, pipeline);
        }
    }
}
