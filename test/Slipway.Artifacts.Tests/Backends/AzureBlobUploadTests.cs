using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Slipway.Artifacts.Tests.Compliance;
using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.Backends;

/// <summary>Azure specifics: uploads stream as blocks committed at the end; the connection string can come from the environment.</summary>
public sealed class AzureBlobUploadTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task WriteAsync_LargeStream_BlocksStagedBeforeSourceEndsAndBlobAppearsOnlyAtTheEnd()
    {
        var prefix = "stream-" + Guid.NewGuid().ToString("N");
        var store = azurite.CreateStore(prefix);
        const int block = 4 * 1024 * 1024;
        var source = new GeneratedStream(8L * block + 10, seed: 9, pauseAt: 4L * block + 1000);

        var upload = store.WriteAsync("stream/big.bin", source, CancellationToken.None);
        await source.Paused.WaitAsync(TimeSpan.FromSeconds(60));

        // With the source stalled, uncommitted blocks are already on the server, and no blob is visible yet.
        var blob = azurite.ContainerClient().GetBlockBlobClient(prefix + "/stream/big.bin");
        var staged = await WaitForStagedBlocksAsync(blob, 1);
        Assert.True(staged >= 1, "No block reached the server while the source was stalled.");
        Assert.Null(await store.OpenReadAsync("stream/big.bin", CancellationToken.None));

        source.Resume();
        await upload;
        var read = await store.OpenReadAsync("stream/big.bin", CancellationToken.None);
        Assert.NotNull(read);
        Assert.Equal(Convert.ToHexString(source.Hash()), Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await TestStreams.ReadAllAsync(read))));
        Assert.True((await blob.GetBlockListAsync(BlockListTypes.Committed)).Value.CommittedBlocks.Count() > 1);
    }

    [Fact]
    public async Task Factory_AzblobDestinationWithoutSettings_UsesConnectionStringVariable()
    {
        Environment.SetEnvironmentVariable(AzureBlobArtifactOptions.ConnectionStringVariable, azurite.ConnectionString);
        var store = Assert.IsType<AzureBlobArtifactStore>(ArtifactStoreFactory.Create($"azblob://{AzuriteFixture.Container}/env-{Guid.NewGuid():N}"));
        await TestStreams.WriteAsync(store, "x/y.txt", "env"u8.ToArray());
        Assert.Equal("env"u8.ToArray(), await TestStreams.ReadFileAsync(store, "x/y.txt"));
    }

    private static async Task<int> WaitForStagedBlocksAsync(BlockBlobClient blob, int atLeast)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                count = (await blob.GetBlockListAsync(BlockListTypes.Uncommitted)).Value.UncommittedBlocks.Count();
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                count = 0;
            }
            if (count >= atLeast)
                break;
            await Task.Delay(100);
        }
        return count;
    }
}
