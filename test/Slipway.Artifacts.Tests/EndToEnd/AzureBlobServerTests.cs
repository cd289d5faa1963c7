using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>The server end to end with <c>--artifacts-destination azblob://slipway-test/&lt;prefix&gt;</c> on Azurite.</summary>
public sealed class AzureBlobServerTests(AzuriteFixture azurite) : ObjectStoreServerTests, IClassFixture<AzuriteFixture>
{
    protected override Type StoreType => typeof(AzureBlobArtifactStore);

    protected override string Destination() => $"azblob://{AzuriteFixture.Container}/server-{Guid.NewGuid():N}";

    protected override void ConfigureStore(ArtifactStoreOptions options)
    {
        options.Azure.ConnectionString = azurite.ConnectionString;
        options.Azure.BlockSizeBytes = 4 * 1024 * 1024;
    }
}
