using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>The download route with a local artifact folder.</summary>
public sealed class LocalArtifactDownloadTests : ArtifactDownloadTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "slipway-download-" + Guid.NewGuid().ToString("N"));

    protected override string Destination() => Path.Combine(_folder, Guid.NewGuid().ToString("N"));

    protected override void ConfigureStore(ArtifactStoreOptions options)
    {
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>The download route with <c>s3://</c> on s3rver.</summary>
public sealed class S3ArtifactDownloadTests(S3ServerFixture s3) : ArtifactDownloadTests, IClassFixture<S3ServerFixture>
{
    protected override string Destination() => $"s3://{S3ServerFixture.Bucket}/download-{Guid.NewGuid():N}";

    protected override void ConfigureStore(ArtifactStoreOptions options)
    {
        var settings = s3.Options();
        options.S3.ServiceUrl = settings.ServiceUrl;
        options.S3.ForcePathStyle = settings.ForcePathStyle;
        options.S3.Region = settings.Region;
        options.S3.AccessKeyId = settings.AccessKeyId;
        options.S3.SecretAccessKey = settings.SecretAccessKey;
    }
}

/// <summary>The download route with <c>azblob://</c> on Azurite.</summary>
public sealed class AzureBlobArtifactDownloadTests(AzuriteFixture azurite) : ArtifactDownloadTests, IClassFixture<AzuriteFixture>
{
    protected override string Destination() => $"azblob://{AzuriteFixture.Container}/download-{Guid.NewGuid():N}";

    protected override void ConfigureStore(ArtifactStoreOptions options) => options.Azure.ConnectionString = azurite.ConnectionString;
}
