using System.Diagnostics;
using System.Globalization;
using Slipway.Replicas.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Slipway.Replicas.Tests;

/// <summary>
/// Changes made through replica A reach replica B's serving through the change feed (PostgreSQL LISTEN/NOTIFY): both
/// replicas poll only every <see cref="ReplicaPair.PollingFallback"/>, so B following within the deadline can only be
/// the feed's doing. The measured delays are written to the test output.
/// </summary>
[Collection(ReplicaCollection.Name)]
public sealed class ChangeFeedTests(ReplicaPair pair, ITestOutputHelper output)
{
    // Generous for a loaded machine (the stated delay is milliseconds, docs/scale-out.md), yet a small fraction of the
    // polling fallback: a change that only arrived by polling would almost always miss it, and fail the test.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AliasMove_OnReplicaA_ServedByReplicaBWithinTheDeadline()
    {
        var before = await ServedVersionAsync(pair.B, v => v is not null);

        var target = before == "1" ? 2 : 1;
        var moved = Stopwatch.StartNew();
        await ReplicaPair.SetAliasAsync(pair.A.Http, target);
        var answered = await ServedVersionAsync(pair.B, v => v == target.ToString(CultureInfo.InvariantCulture));
        moved.Stop();

        output.WriteLine($"Alias move on A served by B after {moved.Elapsed.TotalMilliseconds:F0} ms (polling fallback {ReplicaPair.PollingFallback}).");
        Assert.Equal(target.ToString(CultureInfo.InvariantCulture), answered);
        // ServedVersionAsync fails after Deadline; that deadline only proves the feed moved it while polling is much slower.
        Assert.True(Deadline * 20 <= ReplicaPair.PollingFallback, "the deadline must stay far below the polling fallback");
        // A served the move too: its own change came back through the same feed.
        Assert.Equal(answered, await ServedVersionAsync(pair.A, v => v == answered));
    }

    [Fact]
    public async Task EndpointUpdate_OnReplicaA_ServedByReplicaB()
    {
        var current = await ServedVersionAsync(pair.B, v => v is not null);
        var pinned = current == "1" ? "2" : "1";

        var updated = Stopwatch.StartNew();
        await pair.A.Http.OkAsync(HttpMethod.Put, $"api/slipway/v1/endpoints/{ReplicaPair.Endpoint}",
            new { name = ReplicaPair.Endpoint, routes = new[] { new { model = $"models:/{ReplicaPair.Model}/{pinned}" } } });
        var answered = await ServedVersionAsync(pair.B, v => v == pinned);
        updated.Stop();
        var specOnB = (await pair.B.Http.GetOkAsync($"api/slipway/v1/endpoints/{ReplicaPair.Endpoint}")).GetProperty("endpoint");

        output.WriteLine($"Endpoint update on A served by B after {updated.Elapsed.TotalMilliseconds:F0} ms.");
        Assert.Equal(pinned, answered);
        Assert.Contains($"models:/{ReplicaPair.Model}/{pinned}", specOnB.ToString(), StringComparison.Ordinal);

        // Back to following the alias, for the other tests.
        await pair.A.Http.OkAsync(HttpMethod.Put, $"api/slipway/v1/endpoints/{ReplicaPair.Endpoint}",
            new { name = ReplicaPair.Endpoint, routes = new[] { new { model = $"models:/{ReplicaPair.Model}@champion" } } });
    }

    [Fact]
    public async Task AliasMove_AfterTheListenersLostTheirConnections_ReplicaBStillFollows()
    {
        var before = await ServedVersionAsync(pair.B, v => v is not null);
        var target = before == "1" ? 2 : 1;

        // What a failover does to the LISTEN connections: any notification sent before they listen again is lost,
        // and the resync they do after reconnecting must make up for it.
        var ended = await pair.Database.TerminateConnectionsAsync("slipway-change-feed");
        await ReplicaPair.SetAliasAsync(pair.A.Http, target);
        var answered = await ServedVersionAsync(pair.B, v => v == target.ToString(CultureInfo.InvariantCulture));

        Assert.Equal(2, ended);
        Assert.Equal(target.ToString(CultureInfo.InvariantCulture), answered);
        // Listening again: a further move is followed as quickly as before.
        await ReplicaPair.SetAliasAsync(pair.A.Http, 3 - target);
        Assert.Equal((3 - target).ToString(CultureInfo.InvariantCulture), await ServedVersionAsync(pair.B, v => v == (3 - target).ToString(CultureInfo.InvariantCulture)));
        await Rest.EventuallyAsync(
            async () => await pair.Database.ScalarAsync("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'slipway-change-feed'") == 2 ? "" : null,
            Deadline, "both replicas to listen again");
        // B noticed the loss and listened again (after which it re-read everything), rather than never losing it.
        Assert.Contains("(reconnected: True)", pair.B.Output, StringComparison.Ordinal);
    }

    /// <summary>Infers through <paramref name="replica"/> until the answering version satisfies <paramref name="accept"/>.</summary>
    private async Task<string> ServedVersionAsync(ReplicaProcess replica, Func<string?, bool> accept)
    {
        string? last = null;
        try
        {
            return await Rest.EventuallyAsync(async () =>
            {
                last = await pair.InferAsync(replica.Http);
                return accept(last) ? last : null;
            }, Deadline, $"replica {replica.Name} to serve the expected version");
        }
        catch (Xunit.Sdk.XunitException e)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message} Last version served: {last ?? "(error)"}.\n{pair.Logs()}");
        }
    }
}
