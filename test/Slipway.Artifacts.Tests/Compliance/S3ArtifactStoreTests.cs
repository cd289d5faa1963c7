using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.Compliance;

/// <summary>The compliance suite on s3rver, an S3-compatible server, through path-style requests to its URL.</summary>
public sealed class S3ArtifactStoreTests(S3ServerFixture s3) : ArtifactStoreCompliance, IClassFixture<S3ServerFixture>, IDisposable
{
    private readonly List<S3ArtifactStore> _stores = [];

    /// <summary>s3rver writes an object's file in place (no temp file and rename), so simultaneous PUTs of one key can mix.</summary>
    protected override bool BackendReplacesAtomically => false;

    protected override IArtifactStore CreateStore()
    {
        var store = s3.CreateStore();
        _stores.Add(store);
        return store;
    }

    public void Dispose() => _stores.ForEach(s => s.Dispose());
}
