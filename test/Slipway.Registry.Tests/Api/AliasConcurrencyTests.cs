using System.Text.Json;

namespace Slipway.Registry.Tests.Api;

/// <summary>
/// Parallel <c>registered-models/alias</c> calls for one alias: every call succeeds, each leaves exactly one audit
/// event, the events chain (each one's before is the previous one's after), and the alias ends where the last event says.
/// </summary>
public sealed class AliasConcurrencyTests(RegistryServerFixture fixture) : IClassFixture<RegistryServerFixture>
{
    private readonly RegistryClient _client = fixture.Client;

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public async Task SetAlias_ParallelUpdatesToDifferentVersions_OneWinnerAndChainedAuditEvents(int writers)
    {
        var name = RegistryServerFixture.UniqueName("race");
        await _client.CreateModelAsync(name);
        for (var i = 0; i < writers; i++)
            await _client.CreateVersionAsync(name);
        using var start = new SemaphoreSlim(0, writers);

        var updates = Enumerable.Range(1, writers).Select(async version =>
        {
            await start.WaitAsync();
            return await _client.SetAliasAsync(name, "champion", version.ToString(System.Globalization.CultureInfo.InvariantCulture), user: $"writer{version}");
        }).ToList();
        start.Release(writers);
        var replies = await Task.WhenAll(updates);

        Assert.All(replies, r => r.Ok());
        var events = await _client.AuditAsync($"resource=models/{name}/aliases/champion&action=model_version_alias.set");
        Assert.Equal(writers, events.Count);
        Assert.Equal(Enumerable.Range(1, writers).Select(v => (long)v).Order(), events.Select(AfterVersion).Order());
        Assert.Null(BeforeVersion(events[0]));
        for (var k = 1; k < events.Count; k++)
            Assert.True(BeforeVersion(events[k]) == AfterVersion(events[k - 1]), $"event {k} does not chain: {events[k - 1].GetRawText()} then {events[k].GetRawText()}");
        for (var k = 0; k < events.Count; k++)
            Assert.Equal($"writer{AfterVersion(events[k])}", events[k].GetProperty("actor").GetString());
        var final = await _client.AliasVersionAsync(name, "champion");
        Assert.Equal(AfterVersion(events[^1]).ToString(System.Globalization.CultureInfo.InvariantCulture), final);
    }

    private static long AfterVersion(JsonElement e) => e.GetProperty("after").GetProperty("version").GetInt64();

    private static long? BeforeVersion(JsonElement e) =>
        e.GetProperty("before") is { ValueKind: JsonValueKind.Object } before ? before.GetProperty("version").GetInt64() : null;
}
