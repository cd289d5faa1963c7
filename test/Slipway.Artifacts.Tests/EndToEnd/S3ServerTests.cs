using Slipway.Artifacts.Tests.Fixtures;

namespace Slipway.Artifacts.Tests.EndToEnd;

/// <summary>The server end to end with <c>--artifacts-destination s3://slipway-test/&lt;prefix&gt;</c> on s3rver.</summary>
public sealed class S3ServerTests(S3ServerFixture s3) : ObjectStoreServerTests, IClassFixture<S3ServerFixture>
{
    protected override Type StoreType => typeof(S3ArtifactStore);

    protected override string Destination() => $"s3://{S3ServerFixture.Bucket}/server-{Guid.NewGuid():N}";

    protected override void ConfigureStore(ArtifactStoreOptions options)
    {
        var settings = s3.Options();
        options.S3.ServiceUrl = settings.ServiceUrl;
        options.S3.ForcePathStyle = settings.ForcePathStyle;
        options.S3.Region = settings.Region;
        options.S3.AccessKeyId = settings.AccessKeyId;
        options.S3.SecretAccessKey = settings.SecretAccessKey;
        options.S3.PartSizeBytes = settings.PartSizeBytes;
    }
}
