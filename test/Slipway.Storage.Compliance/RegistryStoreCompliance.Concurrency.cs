using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Registry.Domain;

namespace Slipway.Storage.Compliance;

/// <summary>
/// Concurrent writers on one model. SQLite serializes writers in-process; PostgreSQL locks the model's row first,
/// so the outcome (and the audit trail) is the same on both providers.
/// </summary>
public abstract partial class RegistryStoreCompliance
{
    private const int Racers = 8;

    [Fact]
    public async Task SetAlias_EightConcurrentMoves_OneFinalValueAndAnAuditChain()
    {
        var name = await CreateModelAsync();
        for (var i = 0; i < Racers; i++)
            await CreateVersionAsync(name);

        await Task.WhenAll(Enumerable.Range(1, Racers).Select(v => Task.Run(() => Store.SetAliasAsync(name, "champion", v, Alice, Ct))));

        var (events, _) = await Audit.SearchAsync(new AuditQuery(AuditResources.Alias(name, "champion"), RegistryActions.AliasSet, null, 100, 0), Ct);
        Assert.Equal(Racers, events.Count);
        Assert.Null(events[0].Before);
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(events[i - 1].After, events[i].Before);
        var final = await Store.ResolveAliasAsync(name, "champion", Ct);
        Assert.Equal($$"""{"version":{{final}}}""", events[^1].After);
        Assert.Equal(Racers, events.Select(e => e.After).Distinct().Count());
    }

    [Fact]
    public async Task CreateRegisteredModel_SameNameConcurrently_OneWinsOthersModelExists()
    {
        var name = Unique();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Outcome(() => Task.Run(() => CreateModelAsync(name)))));

        Assert.Equal(1, outcomes.Count(o => o is null));
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(ErrorCode.ResourceAlreadyExists, o));
        Assert.Single(await ModelEventsAsync(name));
    }

    [Fact]
    public async Task CreateModelVersion_Concurrently_GetDistinctConsecutiveNumbers()
    {
        var name = await CreateModelAsync();

        var numbers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Task.Run(() => CreateVersionAsync(name))));

        Assert.Equal(Enumerable.Range(1, Racers).Select(n => (long)n), numbers.Order());
    }
}
