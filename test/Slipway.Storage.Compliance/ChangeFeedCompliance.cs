using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Slipway.Core.Audit;
using Slipway.Registry.Domain;
using Slipway.Serving.Endpoints;
using Slipway.Storage.ChangeFeed;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The change feed on both providers, with the hosted services running as in the server: a committed alias or endpoint
/// change reaches subscribers (on PostgreSQL through NOTIFY and this process's LISTEN connection), a rolled-back one
/// never does, and <see cref="IChangeFeed.PublishAsync"/> reaches them too.
/// </summary>
public abstract class ChangeFeedCompliance(ServicesFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly AuditContext Alice = new("alice", "req-alice");

    private readonly ConcurrentQueue<ChangeNotice> _received = new();
    private IDisposable? _subscription;
    private IHostedService[] _hosted = [];

    private IChangeFeed Feed => fixture.Get<IChangeFeed>();

    public async Task InitializeAsync()
    {
        _subscription = Feed.Subscribe(_received.Enqueue);
        _hosted = fixture.Get<IEnumerable<IHostedService>>().ToArray();
        foreach (var service in _hosted)
            await service.StartAsync(CancellationToken.None);
        // Listening once a notice published now comes back.
        var probe = ChangeNotice.Endpoint("probe-" + Guid.NewGuid().ToString("N"));
        await WaitForAsync(probe, publishFirst: true);
    }

    public async Task DisposeAsync()
    {
        _subscription?.Dispose();
        foreach (var service in _hosted.Reverse())
            await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task SetAlias_Committed_ReachesSubscribers()
    {
        var store = fixture.Get<IRegistryStore>();
        var model = "feed-" + Guid.NewGuid().ToString("N");
        await store.CreateRegisteredModelAsync(model, null, [], 1, Alice, CancellationToken.None);
        await store.CreateModelVersionAsync(new NewModelVersion(model, "s3://b/m", null, null, null, "alice", []), 1, Alice, CancellationToken.None);

        await store.SetAliasAsync(model, "champion", 1, Alice, CancellationToken.None);

        await WaitForAsync(ChangeNotice.Alias(model));
    }

    [Fact]
    public async Task SetAlias_RolledBack_NeverReachesSubscribers()
    {
        var store = fixture.Get<IRegistryStore>();
        var failing = "feed-" + Guid.NewGuid().ToString("N");
        var succeeding = "feed-" + Guid.NewGuid().ToString("N");
        foreach (var model in new[] { failing, succeeding })
        {
            await store.CreateRegisteredModelAsync(model, null, [], 1, Alice, CancellationToken.None);
            await store.CreateModelVersionAsync(new NewModelVersion(model, "s3://b/m", null, null, null, "alice", []), 1, Alice, CancellationToken.None);
        }

        // Version 7 does not exist: the write fails and its transaction (with its notification) rolls back.
        await Assert.ThrowsAnyAsync<Exception>(() => store.SetAliasAsync(failing, "champion", 7, Alice, CancellationToken.None));
        await store.SetAliasAsync(succeeding, "champion", 1, Alice, CancellationToken.None);
        await WaitForAsync(ChangeNotice.Alias(succeeding));

        Assert.DoesNotContain(ChangeNotice.Alias(failing), _received);
    }

    [Fact]
    public async Task EndpointWrites_CreateUpdateDelete_EachReachSubscribers()
    {
        var store = fixture.Get<IEndpointStore>();
        var name = "feed-ep-" + Guid.NewGuid().ToString("N")[..12];
        var spec = new EndpointSpec(name, null, [new RouteSpec("default", "models:/m@champion", 100)], null, null, null, 0);

        await store.CreateAsync(spec, 1, Alice, CancellationToken.None);
        await WaitForAsync(ChangeNotice.Endpoint(name));
        _received.Clear();
        await store.UpdateAsync(spec with { Description = "updated" }, 2, Alice, CancellationToken.None);
        await WaitForAsync(ChangeNotice.Endpoint(name));
        _received.Clear();
        await store.DeleteAsync(name, 3, Alice, CancellationToken.None);
        await WaitForAsync(ChangeNotice.Endpoint(name));
    }

    [Fact]
    public void ChangeNotice_FormatThenParse_RoundTripsAndUnknownMeansResync()
    {
        Assert.Equal(ChangeNotice.Alias("a:b"), ChangeNotice.Parse(ChangeNotice.Alias("a:b").Format()));
        Assert.Equal(ChangeNotice.Endpoint("e"), ChangeNotice.Parse(ChangeNotice.Endpoint("e").Format()));
        Assert.Equal(ChangeNotice.Resync, ChangeNotice.Parse("feature:x"));
        Assert.Equal(ChangeNotice.Resync, ChangeNotice.Parse(""));
    }

    private async Task WaitForAsync(ChangeNotice expected, bool publishFirst = false)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!_received.Contains(expected))
        {
            Assert.True(DateTime.UtcNow < until, $"{expected.Format()} never reached the subscriber; received: {string.Join(", ", _received.Select(n => n.Format()))}");
            if (publishFirst)
                await Feed.PublishAsync(expected, CancellationToken.None);
            await Task.Delay(publishFirst ? 200 : 20);
        }
    }
}

public sealed class SqliteChangeFeedTests(SqliteServicesFixture fixture)
    : ChangeFeedCompliance(fixture), IClassFixture<SqliteServicesFixture>;

/// <summary>Needs <c>SLIPWAY_TEST_POSTGRES</c>; <c>./scripts/test.sh</c> starts a server and sets it.</summary>
public sealed class PostgresChangeFeedTests(PostgresServicesFixture fixture)
    : ChangeFeedCompliance(fixture), IClassFixture<PostgresServicesFixture>;
