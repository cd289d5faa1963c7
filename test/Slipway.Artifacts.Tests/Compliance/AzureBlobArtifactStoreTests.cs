using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>The compliance suite on Azurite, Microsoft's Azure Blob Storage emulator.</summary>
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : ArtifactStoreCompliance, IClassFixture<AzuriteFixture>
{
    protected override IArtifactStore CreateStore() => azurite.CreateStore();
}
