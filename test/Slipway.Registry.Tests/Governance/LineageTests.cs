using System.Net;
using System.Text.Json;
using Slipway.Registry.Tests.Api;

namespace Slipway.Registry.Tests.Governance;

/// <summary><c>GET /api/slipway/v1/lineage/models/{name}/versions/{v}</c>: version ← run ← experiment, datasets and parent runs.</summary>
public sealed class LineageTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private const string Mlflow = RegistryClient.Mlflow;
    private readonly RegistryClient _client = fixture.Client;

    [Fact]
    public async Task GetLineage_VersionFromChildRunWithDataset_NodesAndEdgesBackToExperimentDatasetAndParent()
    {
        var experimentName = RegistryServerFixture.UniqueName("lineage-exp");
        var experimentId = await _client.CreateExperimentAsync(experimentName);
        var parentId = await _client.CreateRunAsync(experimentId, runName: "sweep");
        var childId = await _client.CreateRunAsync(experimentId, runName: "trial-3");
        await _client.SetRunTagAsync(childId, "mlflow.parentRunId", parentId);
        (await _client.PostAsync(Mlflow + "runs/log-inputs", new
        {
            run_id = childId,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "training" } },
                    dataset = new { name = "iris", digest = "abc123", source_type = "local", source = "{\"uri\":\"/data/iris.csv\"}" },
                },
            },
        })).Ok();
        var name = RegistryServerFixture.UniqueName("lineage");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name, childId);

        var graph = (await _client.GetAsync($"{RegistryClient.Slipway}lineage/models/{name}/versions/1")).Ok();

        var nodes = graph.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("id").GetString()!);
        var versionNode = $"model_version:{name}/1";
        var childNode = $"run:{childId}";
        var parentNode = $"run:{parentId}";
        var experimentNode = $"experiment:{experimentId}";
        const string datasetNode = "dataset:iris@abc123";
        Assert.Equal(
            new[] { versionNode, childNode, parentNode, experimentNode, datasetNode }.Order(),
            nodes.Keys.Order());
        Assert.Equal("model_version", Type(nodes[versionNode]));
        Assert.Equal("run", Type(nodes[childNode]));
        Assert.Equal("trial-3", nodes[childNode].GetProperty("label").GetString());
        Assert.Equal("run", Type(nodes[parentNode]));
        Assert.Equal("experiment", Type(nodes[experimentNode]));
        Assert.Equal(experimentName, nodes[experimentNode].GetProperty("label").GetString());
        Assert.Equal("dataset", Type(nodes[datasetNode]));
        var datasetAttributes = nodes[datasetNode].GetProperty("attributes");
        Assert.Equal("training", datasetAttributes.GetProperty("context").GetString());
        Assert.Equal("abc123", datasetAttributes.GetProperty("digest").GetString());
        Assert.Equal("local", datasetAttributes.GetProperty("source_type").GetString());
        Assert.Equal(childId, nodes[versionNode].GetProperty("attributes").GetProperty("run_id").GetString());

        var edges = graph.GetProperty("edges").EnumerateArray()
            .Select(e => (e.GetProperty("from").GetString(), e.GetProperty("to").GetString(), e.GetProperty("relation").GetString()))
            .ToList();
        Assert.Contains((childNode, versionNode, "produced"), edges);
        Assert.Contains((datasetNode, childNode, "input_of"), edges);
        Assert.Contains((parentNode, childNode, "parent_of"), edges);
        Assert.Contains((experimentNode, childNode, "contains"), edges);
        Assert.All(edges, e => Assert.True(nodes.ContainsKey(e.Item1!) && nodes.ContainsKey(e.Item2!), $"edge {e} names a node that is not in the graph"));
    }

    [Fact]
    public async Task GetLineage_VersionWithoutRun_OnlyVersionNode()
    {
        var name = RegistryServerFixture.UniqueName("lineage");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name, source: "s3://bucket/models/m");

        var graph = (await _client.GetAsync($"{RegistryClient.Slipway}lineage/models/{name}/versions/1")).Ok();

        var node = Assert.Single(graph.GetProperty("nodes").EnumerateArray());
        Assert.Equal($"model_version:{name}/1", node.GetProperty("id").GetString());
        Assert.Equal("s3://bucket/models/m", node.GetProperty("attributes").GetProperty("source").GetString());
        Assert.Empty(graph.GetProperty("edges").EnumerateArray());
    }

    [Fact]
    public async Task GetLineage_UnknownVersion_NotFound()
    {
        var name = RegistryServerFixture.UniqueName("lineage");
        await _client.CreateModelAsync(name);
        await _client.CreateVersionAsync(name);

        var reply = await _client.GetAsync($"{RegistryClient.Slipway}lineage/models/{name}/versions/7");

        reply.Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task GetLineage_UnknownModel_NotFound()
    {
        var reply = await _client.GetAsync($"{RegistryClient.Slipway}lineage/models/{RegistryServerFixture.UniqueName("absent")}/versions/1");

        reply.Error(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    private static string Type(JsonElement node) => node.GetProperty("type").GetString()!;
}
