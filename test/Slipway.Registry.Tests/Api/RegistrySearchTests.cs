using System.Net;

namespace Slipway.Registry.Tests.Api;

/// <summary>registered-models/search and model-versions/search cases the conformance traces do not reach.</summary>
public sealed class RegistrySearchTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task SearchRegisteredModels_TagNotEqual_IncludesModelsWithoutTheTag()
    {
        var prefix = RegistryServerFixture.UniqueName("tagne");
        foreach (var (suffix, value) in new[] { ("a", "x"), ("b", "y"), ("c", (string?)null) })
        {
            await _client.CreateModelAsync($"{prefix}-{suffix}");
            if (value is not null)
                (await _client.PostAsync(Mlflow + "registered-models/set-tag", new { name = $"{prefix}-{suffix}", key = "k", value })).Ok();
        }
        var filter = Uri.EscapeDataString($"name LIKE '{prefix}-%' AND tags.k != 'x'");

        var found = (await _client.GetAsync($"{Mlflow}registered-models/search?filter={filter}")).Ok();

        Assert.Equal([$"{prefix}-b", $"{prefix}-c"], found.GetProperty("registered_models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task SearchRegisteredModels_TagEqual_ExcludesModelsWithoutTheTag()
    {
        var prefix = RegistryServerFixture.UniqueName("tageq");
        await _client.CreateModelAsync($"{prefix}-a");
        await _client.CreateModelAsync($"{prefix}-b");
        (await _client.PostAsync(Mlflow + "registered-models/set-tag", new { name = $"{prefix}-a", key = "k", value = "x" })).Ok();
        var filter = Uri.EscapeDataString($"name LIKE '{prefix}-%' AND tags.k = 'x'");

        var found = (await _client.GetAsync($"{Mlflow}registered-models/search?filter={filter}")).Ok();

        Assert.Equal([$"{prefix}-a"], found.GetProperty("registered_models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task SearchModelVersions_RunIdIn_ReturnsVersionsOfListedRuns()
    {
        var experimentId = await _client.CreateExperimentAsync(RegistryServerFixture.UniqueName("search-exp"));
        var runs = new List<string>();
        for (var i = 0; i < 3; i++)
            runs.Add(await _client.CreateRunAsync(experimentId));
        var name = RegistryServerFixture.UniqueName("search");
        await _client.CreateModelAsync(name);
        foreach (var run in runs)
            await _client.CreateVersionAsync(name, run);
        await _client.CreateVersionAsync(name);
        var filter = Uri.EscapeDataString($"name = '{name}' AND run_id IN ('{runs[0]}', '{runs[2]}')");

        var found = (await _client.GetAsync($"{Mlflow}model-versions/search?filter={filter}")).Ok();

        var versions = found.GetProperty("model_versions").EnumerateArray().ToList();
        Assert.Equal(["1", "3"], versions.Select(v => v.GetProperty("version").GetString()).Order());
        Assert.Equal(new[] { runs[0], runs[2] }.Order(), versions.Select(v => v.GetProperty("run_id").GetString()).Order());
    }

    [Theory]
    [InlineData("registered-models/search", 1001)]
    [InlineData("model-versions/search", 200001)]
    [InlineData("registered-models/search", 0)]
    public async Task Search_MaxResultsOutOfRange_InvalidParameter(string rpc, int maxResults)
    {
        var reply = await _client.GetAsync($"{Mlflow}{rpc}?max_results={maxResults}");

        Assert.Contains("max_results", reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registered-models/search", 1000)]
    [InlineData("model-versions/search", 200000)]
    public async Task Search_MaxResultsAtLimit_Accepted(string rpc, int maxResults)
    {
        (await _client.GetAsync($"{Mlflow}{rpc}?max_results={maxResults}")).Ok();
    }

    [Fact]
    public async Task SearchRegisteredModels_TagIn_InvalidParameter()
    {
        var filter = Uri.EscapeDataString("tags.k IN ('a', 'b')");

        var reply = await _client.GetAsync($"{Mlflow}registered-models/search?filter={filter}");

        reply.Error(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
    }
}
