using Slipway.Core.Errors;

namespace Slipway.Artifacts.Tests;

/// <summary>Parsing of <c>--artifacts-destination</c> and the start-up checks of the object-store settings.</summary>
public sealed class ArtifactDestinationTests
{
    [Theory]
    [InlineData("./slipway-data/artifacts", ArtifactDestinationKind.Local, "", "")]
    [InlineData("/var/lib/slipway", ArtifactDestinationKind.Local, "", "")]
    [InlineData("file:///var/lib/slipway", ArtifactDestinationKind.Local, "", "")]
    [InlineData("s3://my-bucket", ArtifactDestinationKind.S3, "my-bucket", "")]
    [InlineData("s3://my.bucket-1/team/artifacts/", ArtifactDestinationKind.S3, "my.bucket-1", "team/artifacts")]
    [InlineData("azblob://mlflow/prod", ArtifactDestinationKind.AzureBlob, "mlflow", "prod")]
    public void TryParse_ValidDestination_KindContainerAndPrefix(string text, ArtifactDestinationKind kind, string container, string prefix)
    {
        Assert.True(ArtifactDestination.TryParse(text, out var destination, out var error), error);
        Assert.Equal((kind, container, prefix), (destination.Kind, destination.Container, destination.Prefix));
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("gs://bucket", "unsupported scheme")]
    [InlineData("s3://", "not a valid S3 bucket name")]
    [InlineData("s3://My_Bucket/x", "not a valid S3 bucket name")]
    [InlineData("s3://bucket/../escape", "prefix")]
    [InlineData("azblob://two--hyphens", "not a valid Azure container name")]
    [InlineData("azblob://ok-container/a/%2e%2e/b", "prefix")]
    [InlineData("file://server/share", "not a local file")]
    public void TryParse_BadDestination_FalseWithReason(string text, string reason)
    {
        Assert.False(ArtifactDestination.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_InconsistentSettings_ListsEveryProblem()
    {
        var options = new ArtifactStoreOptions { CacheMaxBytes = 10, CacheDirectory = "/tmp/cache[1]" };
        options.S3.ServiceUrl = "ftp://nope";
        options.S3.AccessKeyId = "only-half";
        options.S3.PartSizeBytes = 1024;

        var problems = options.Validate("s3://bucket/x");

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => p.Contains("CacheDirectory must not contain", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("ServiceUrl", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("AccessKeyId and Artifacts:S3:SecretAccessKey", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("PartSizeBytes", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("CacheMaxBytes", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AzblobWithoutAccount_SaysWhereTheAccountComesFrom()
    {
        var options = new ArtifactStoreOptions();
        options.Azure.AccountUrl = "https://account.blob.core.windows.net";
        options.Azure.AccountName = "account";
        Assert.Contains(options.Validate("azblob://container"), p => p.Contains("AccountName and Artifacts:Azure:AccountKey", StringComparison.Ordinal));
    }

    [Fact]
    public void Factory_BadDestination_ThrowsInvalidParameterWithTheProblem()
    {
        var error = Assert.Throws<SlipwayException>(() => ArtifactStoreFactory.Create("s3://UPPER"));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains("'UPPER' is not a valid S3 bucket name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ServerBuild_BadArtifactSettings_FailsAtStartListingThem()
    {
        var options = new Slipway.Server.SlipwayServerOptions { ArtifactsDestination = "s3://bucket/prefix" };
        options.Artifacts.S3.PartSizeBytes = 1;
        var error = Assert.Throws<SlipwayException>(() => Slipway.Server.SlipwayHost.Build(options));
        Assert.Contains("Artifacts:S3:PartSizeBytes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("s3://bucket/prefix", "Artifacts:S3:ServiceUrl")]
    [InlineData("azblob://container/prefix", "Artifacts:Azure:AccountUrl")]
    public void ServerBuild_MalformedUrlCarryingASas_NamesTheSettingNotTheValue(string destination, string setting)
    {
        // Not http(s), so refused; the query is a SAS whose signature must never reach a log or a terminal.
        const string url = "ftp://account.blob.core.windows.net/?sv=2024-11-04&sig=secret-signature";
        var options = new Slipway.Server.SlipwayServerOptions { ArtifactsDestination = destination };
        options.Artifacts.S3.ServiceUrl = url;
        options.Artifacts.Azure.AccountUrl = url;
        options.Artifacts.Azure.SasToken = "sv=2024-11-04&sig=other-secret";

        var error = Assert.Throws<SlipwayException>(() => Slipway.Server.SlipwayHost.Build(options));

        Assert.Contains(setting + " must be an http:// or https:// URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("sig=", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void LoadOptions_SlipwayArtifactsEnvironmentVariables_BoundIntoServerOptions()
    {
        // Settings no other test in this process reads, so setting them process-wide is harmless.
        Environment.SetEnvironmentVariable("Slipway__Artifacts__Azure__MaxConcurrency", "5");
        Environment.SetEnvironmentVariable("Slipway__Artifacts__CacheMaxBytes", "3145728");
        var options = Slipway.Server.SlipwayHost.LoadOptions(Path.GetTempPath());
        Assert.Equal((5, 3145728L), (options.Artifacts.Azure.MaxConcurrency, options.Artifacts.CacheMaxBytes));
    }

    [Fact]
    public void DefaultCacheDirectory_BesideLocalFolderOrUnderDataFolder()
    {
        Assert.Equal(Path.GetFullPath("/srv/slipway/artifact-cache"), ArtifactStoreOptions.DefaultCacheDirectory("/srv/slipway/artifacts"));
        Assert.Equal(Path.GetFullPath(Path.Combine("slipway-data", "artifact-cache")), ArtifactStoreOptions.DefaultCacheDirectory("s3://bucket/prefix"));
    }
}
