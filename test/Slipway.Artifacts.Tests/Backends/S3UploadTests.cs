using Slipway.Artifacts.Tests.Compliance;
using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.Backends;

/// <summary>S3 specifics: uploads stream in parts, credentials come from the standard chain, destinations go through the factory.</summary>
public sealed class S3UploadTests(S3ServerFixture s3) : IClassFixture<S3ServerFixture>
{
    [Fact]
    public async Task WriteAsync_LargeStream_PartsReachServerBeforeSourceEndsAndObjectAppearsOnlyAtTheEnd()
    {
        using var store = s3.CreateStore();
        const int part = S3ArtifactOptions.MinPartSizeBytes;
        var source = new GeneratedStream(8L * part + 10, seed: 8, pauseAt: 3L * part + 1000);

        var upload = store.WriteAsync("stream/big.bin", source, CancellationToken.None);
        await source.Paused.WaitAsync(TimeSpan.FromSeconds(60));

        // With the source stalled in the fourth part, the first parts must already be on the server (s3rver keeps the
        // parts of an unfinished upload as files): the store sends parts as it reads, it does not gather the file first.
        var sent = await WaitForBytesAsync(s3.DataDirectory, 2L * part);
        Assert.True(sent >= 2L * part, $"Only {sent} bytes reached the server while the source was stalled after {3L * part + 1000}.");
        Assert.InRange(source.LargestRead, 1, part);
        Assert.Null(await store.OpenReadAsync("stream/big.bin", CancellationToken.None));

        source.Resume();
        await upload;
        var read = await store.OpenReadAsync("stream/big.bin", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(Convert.ToHexString(source.Hash()), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await TestStreams.ReadAllAsync(read))));
    }

    [Fact]
    public async Task Factory_S3DestinationWithoutKeys_UsesStandardCredentialChain()
    {
        // The SDK's chain reads these variables; nothing else in this test process relies on them being unset.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "S3RVER");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "S3RVER");
        var options = new ArtifactStoreOptions();
        options.S3.ServiceUrl = s3.ServiceUrl;
        options.S3.ForcePathStyle = true;

        using var store = Assert.IsType<S3ArtifactStore>(ArtifactStoreFactory.Create($"s3://{S3ServerFixture.Bucket}/chain-{Guid.NewGuid():N}/", options));
        await TestStreams.WriteAsync(store, "x/y.txt", "chain"u8.ToArray());

        Assert.Equal("chain"u8.ToArray(), await TestStreams.ReadFileAsync(store, "x/y.txt"));
    }

    /// <summary>The bytes stored under <paramref name="folder"/> once they reach <paramref name="atLeast"/>, or after 30 s what is there.</summary>
    private static async Task<long> WaitForBytesAsync(string folder, long atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        long bytes;
        while ((bytes = BytesUnder(folder)) < atLeast && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        return bytes;
    }

    private static long BytesUnder(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
