namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>The compliance suite on a local folder.</summary>
public sealed class LocalArtifactStoreTests : ArtifactStoreCompliance, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "slipway-local-store-" + Guid.NewGuid().ToString("N"));

    protected override IArtifactStore CreateStore() => new LocalArtifactStore(Path.Combine(_folder, Guid.NewGuid().ToString("N")));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}
