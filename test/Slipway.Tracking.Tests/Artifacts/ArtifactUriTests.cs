using Slipway.Artifacts;
using Slipway.Core.Errors;

namespace Slipway.Tracking.Tests.Artifacts;

public sealed class ArtifactUriTests
{
    [Theory]
    [InlineData("mlflow-artifacts:/1/abc/artifacts/model", "1/abc/artifacts/model")]
    [InlineData("mlflow-artifacts://127.0.0.1:5000/1/abc/artifacts/model", "1/abc/artifacts/model")]
    [InlineData("mlflow-artifacts:///1/abc", "1/abc")]
    [InlineData("MLFLOW-ARTIFACTS:/a/b%20c.csv", "a/b c.csv")]
    [InlineData("mlflow-artifacts:/", "")]
    public void TryGetStorePath_ServerUri_StorePath(string uri, string expected)
    {
        Assert.True(ArtifactUri.TryGetStorePath(uri, out var path));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("runs:/abc/model")]
    [InlineData("s3://bucket/key")]
    [InlineData("file:///etc/passwd")]
    [InlineData("1/abc/artifacts")]
    public void TryGetStorePath_OtherScheme_False(string uri) =>
        Assert.False(ArtifactUri.TryGetStorePath(uri, out _));

    [Theory]
    [InlineData("mlflow-artifacts:/../etc/passwd")]
    [InlineData("mlflow-artifacts:/a/%2e%2e/%2e%2e/b")]
    [InlineData("mlflow-artifacts://host/../x")]
    [InlineData("mlflow-artifacts:/a/%252e%252e/b")]
    public void TryGetStorePath_Escape_InvalidParameter(string uri)
    {
        var error = Assert.Throws<SlipwayException>(() => ArtifactUri.TryGetStorePath(uri, out _));
        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
    }

    [Fact]
    public void For_StorePath_RoundTrips()
    {
        Assert.True(ArtifactUri.TryGetStorePath(ArtifactUri.For("7/run/artifacts"), out var path));
        Assert.Equal("7/run/artifacts", path);
    }
}
