using Slipway.Client.Tests.Infrastructure;

namespace Slipway.Client.Tests.Client;

public sealed class ExperimentTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private readonly SlipwayClient _client = fixture.Client;

    [Fact]
    public async Task CreateExperimentAsync_NewName_IsReadableByIdAndByName()
    {
        var name = Names.Unique("exp-create");

        var id = await _client.CreateExperimentAsync(name, tags: new Dictionary<string, string> { ["team"] = "alpha" });

        var byId = await _client.GetExperimentAsync(id);
        Assert.Equal(name, byId.Name);
        Assert.Equal(LifecycleStages.Active, byId.LifecycleStage);
        Assert.StartsWith("mlflow-artifacts:", byId.ArtifactLocation);
        Assert.Contains(new Tag("team", "alpha"), byId.Tags);
        var byName = await _client.GetExperimentByNameAsync(name);
        Assert.Equal(id, byName?.ExperimentId);
    }

    [Fact]
    public async Task GetExperimentAsync_DefaultExperiment_Exists()
    {
        var experiment = await _client.GetExperimentAsync("0");

        Assert.Equal("Default", experiment.Name);
    }

    [Fact]
    public async Task GetExperimentByNameAsync_UnknownName_ReturnsNull()
    {
        var experiment = await _client.GetExperimentByNameAsync(Names.Unique("missing"));

        Assert.Null(experiment);
    }

    [Fact]
    public async Task CreateExperimentAsync_DuplicateName_ThrowsResourceAlreadyExists()
    {
        var name = Names.Unique("exp-dup");
        await _client.CreateExperimentAsync(name);

        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => _client.CreateExperimentAsync(name));

        Assert.Equal(ApiErrorCodes.ResourceAlreadyExists, error.ErrorCode);
        Assert.Equal(400, (int)error.StatusCode);
    }

    [Fact]
    public async Task UpdateExperimentAsync_NewName_RenamesExperiment()
    {
        var id = await _client.CreateExperimentAsync(Names.Unique("exp-old"));
        var newName = Names.Unique("exp-new");

        await _client.UpdateExperimentAsync(id, newName);

        Assert.Equal(newName, (await _client.GetExperimentAsync(id)).Name);
    }

    [Fact]
    public async Task DeleteExperimentAsync_ThenRestore_TogglesLifecycleAndSearchVisibility()
    {
        var name = Names.Unique("exp-del");
        var id = await _client.CreateExperimentAsync(name);
        var filter = $"name = '{name}'";

        await _client.DeleteExperimentAsync(id);

        Assert.Equal(LifecycleStages.Deleted, (await _client.GetExperimentAsync(id)).LifecycleStage);
        Assert.Empty((await _client.SearchExperimentsAsync(filter)).Items);
        Assert.Single((await _client.SearchExperimentsAsync(filter, viewType: ViewType.DeletedOnly)).Items);

        await _client.RestoreExperimentAsync(id);

        Assert.Equal(LifecycleStages.Active, (await _client.GetExperimentAsync(id)).LifecycleStage);
        Assert.Single((await _client.SearchExperimentsAsync(filter)).Items);
    }

    [Fact]
    public async Task SetExperimentTagAsync_ExistingKey_OverwritesValue()
    {
        var id = await _client.CreateExperimentAsync(Names.Unique("exp-tag"));

        await _client.SetExperimentTagAsync(id, "stage", "draft");
        await _client.SetExperimentTagAsync(id, "stage", "final");

        var tags = (await _client.GetExperimentAsync(id)).Tags;
        Assert.Equal("final", Assert.Single(tags, t => t.Key == "stage").Value);
    }

    [Fact]
    public async Task DeleteExperimentTagAsync_ExistingTag_RemovesIt()
    {
        var id = await _client.CreateExperimentAsync(Names.Unique("exp-untag"));
        await _client.SetExperimentTagAsync(id, "temp", "1");

        await _client.DeleteExperimentTagAsync(id, "temp");

        Assert.DoesNotContain((await _client.GetExperimentAsync(id)).Tags, t => t.Key == "temp");
    }

    [Fact]
    public async Task SearchAllExperimentsAsync_MoreMatchesThanPageSize_ReturnsEveryMatch()
    {
        var prefix = Names.Unique("exp-page");
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(await _client.CreateExperimentAsync($"{prefix}-{i}"));

        var firstPage = await _client.SearchExperimentsAsync($"name LIKE '{prefix}-%'", maxResults: 2);
        var all = new List<Experiment>();
        await foreach (var experiment in _client.SearchAllExperimentsAsync($"name LIKE '{prefix}-%'", ["name ASC"], pageSize: 2))
            all.Add(experiment);

        Assert.Equal(2, firstPage.Items.Count);
        Assert.True(firstPage.HasMore);
        Assert.Equal(ids, all.Select(e => e.ExperimentId));
    }

    [Fact]
    public async Task GetOrCreateExperimentAsync_UnknownName_CreatesOnceAndReusesAfter()
    {
        var name = Names.Unique("exp-goc");

        var first = await _client.GetOrCreateExperimentAsync(name);
        var second = await _client.GetOrCreateExperimentAsync(name);

        Assert.Equal(first, second);
        Assert.Equal(name, (await _client.GetExperimentAsync(first)).Name);
    }
}
