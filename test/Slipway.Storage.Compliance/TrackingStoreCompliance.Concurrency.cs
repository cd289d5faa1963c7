using Slipway.Core.Errors;
using Slipway.Tracking.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// Concurrent writers racing on the same key. SQLite serializes writers in-process; on PostgreSQL the
/// store re-runs a transaction that lost a unique-key race, so the outcome is the same on both providers.
/// </summary>
public abstract partial class TrackingStoreCompliance
{
    private const int Racers = 8;

    [Fact]
    public async Task CreateExperimentAsync_SameNameConcurrently_OneWinsOthersAlreadyExists()
    {
        var name = Unique("race");
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Outcome(() => CreateExperimentAsync(name))));
        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(ErrorCode.ResourceAlreadyExists, o));
    }

    [Fact]
    public async Task LogBatchAsync_SameParamConcurrently_AllSucceedOneRow()
    {
        var runId = await CreateRunAsync(await CreateExperimentAsync());
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ =>
            Outcome(() => LogAsync(runId, parameters: [new Param("lr", "0.1")]))));
        Assert.All(outcomes, o => Assert.Null(o));
        Assert.Equal([new Param("lr", "0.1")], (await GetRunAsync(runId)).Params);
    }

    [Fact]
    public async Task SetExperimentTagAsync_SameNewKeyConcurrently_AllSucceed()
    {
        var experimentId = await CreateExperimentAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i =>
            Outcome(() => Store.SetExperimentTagAsync(experimentId, new Tag("k", "v" + i), Ct))));
        Assert.All(outcomes, o => Assert.Null(o));
        Assert.Single((await GetExperimentAsync(experimentId)).Tags, t => t.Key == "k");
    }

    [Fact]
    public async Task LogInputsAsync_SameNewDatasetFromManyRunsConcurrently_OneDatasetSharedByAll()
    {
        var experimentId = await CreateExperimentAsync();
        var runIds = await Task.WhenAll(Enumerable.Range(0, Racers).Select(i => CreateRunAsync(experimentId, "r" + i)));
        var input = new DatasetInput([], new Dataset("shared", "d1", "code", "{}", null, null));
        var outcomes = await Task.WhenAll(runIds.Select(runId => Outcome(() => Store.LogInputsAsync(runId, [input], Ct))));
        Assert.All(outcomes, o => Assert.Null(o));
        foreach (var runId in runIds)
            Assert.Equal("shared", Assert.Single((await GetRunAsync(runId)).Inputs).Dataset.Name);
    }

    /// <summary>Null when the call succeeded, otherwise the domain error code it failed with.</summary>
    private static async Task<ErrorCode?> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return null;
        }
        catch (SlipwayException e)
        {
            return e.Code;
        }
    }
}
