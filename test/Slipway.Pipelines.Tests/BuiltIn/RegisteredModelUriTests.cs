using Slipway.Pipelines.Executors.BuiltIn;

namespace Slipway.Pipelines.Tests.BuiltIn;

public sealed class RegisteredModelUriTests
{
    [Theory]
    [InlineData("models:/churn/3", "churn", "3", null)]
    [InlineData("models:/churn@champion", "churn", null, "champion")]
    [InlineData("models:/team.churn-v2/12", "team.churn-v2", "12", null)]
    public void TryParse_RegisteredVersion_GivesNameAndVersionOrAlias(string uri, string name, string? version, string? alias)
    {
        Assert.True(RegisteredModelUri.TryParse(uri, out var parsed));
        Assert.Equal(new RegisteredModelUri(name, version, alias), parsed);
    }

    [Theory]
    [InlineData("runs:/abc/model")]
    [InlineData("models:/churn")]
    [InlineData("models:/churn/0")]
    [InlineData("models:/churn/latest")]
    [InlineData("models:/churn@")]
    [InlineData("models:/@champion")]
    [InlineData("MODELS:/churn/3")]
    [InlineData(null)]
    public void TryParse_NotARegisteredVersion_Refuses(string? uri)
    {
        Assert.False(RegisteredModelUri.TryParse(uri, out _));
    }

    [Fact]
    public void OfVersionAndOfAlias_RoundTrip()
    {
        Assert.True(RegisteredModelUri.TryParse(RegisteredModelUri.OfVersion("churn", "7"), out var version));
        Assert.True(RegisteredModelUri.TryParse(RegisteredModelUri.OfAlias("churn", "champion"), out var alias));
        Assert.Equal(("churn", "7", (string?)null), (version.Name, version.Version, version.Alias));
        Assert.Equal(("churn", (string?)null, "champion"), (alias.Name, alias.Version, alias.Alias));
    }
}
