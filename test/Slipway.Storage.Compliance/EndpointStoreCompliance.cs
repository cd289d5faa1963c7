using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;

namespace Slipway.Storage.Compliance;

/// <summary>
/// The behaviour every <see cref="IEndpointStore"/> provider must share, inherited by
/// <see cref="SqliteEndpointStoreTests"/> and <see cref="PostgresEndpointStoreTests"/>. Tests share one database per
/// class, so each uses endpoint names of its own.
/// </summary>
public abstract class EndpointStoreCompliance(ServicesFixture fixture)
{
    private const long Now = 1_700_000_000_000;
    private const int Racers = 8;
    private static readonly AuditContext Alice = new("alice", "req-alice");

    private IEndpointStore Store => fixture.Get<IEndpointStore>();

    private static CancellationToken Ct => CancellationToken.None;

    [Fact]
    public async Task Create_FullSpec_RoundTripsAtRevisionOne()
    {
        var spec = FullSpec(Unique());

        var created = await Store.CreateAsync(spec, Now, Alice, Ct);
        var read = await Store.GetAsync(spec.Name, Ct);

        Assert.NotNull(read);
        Assert.Equal((1L, Now, Now), (created.Revision, created.CreationTimestamp, created.LastUpdatedTimestamp));
        Assert.Equal((1L, Now, Now), (read.Revision, read.CreationTimestamp, read.LastUpdatedTimestamp));
        AssertSameSpec(spec, read.Spec);
    }

    [Fact]
    public async Task Create_DuplicateName_AlreadyExists()
    {
        var name = Unique();
        await Store.CreateAsync(Minimal(name), Now, Alice, Ct);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => Store.CreateAsync(Minimal(name), Now, Alice, Ct));

        Assert.Equal(ErrorCode.ResourceAlreadyExists, error.Code);
    }

    [Fact]
    public async Task Create_SameNameConcurrently_OneWinsOthersAlreadyExist()
    {
        var name = Unique();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => Outcome(() => Task.Run(() => Store.CreateAsync(Minimal(name), Now, Alice, Ct)))));

        Assert.Single(outcomes, o => o is null);
        Assert.All(outcomes.Where(o => o is not null), o => Assert.Equal(ErrorCode.ResourceAlreadyExists, o));
    }

    [Fact]
    public async Task Update_ReplacesSpec_BumpsRevisionKeepsCreationTime()
    {
        var name = Unique();
        await Store.CreateAsync(FullSpec(name), Now, Alice, Ct);

        var updated = await Store.UpdateAsync(Minimal(name), Now + 5, Alice, Ct);
        var read = await Store.GetAsync(name, Ct);

        Assert.Equal((2L, Now, Now + 5), (updated.Revision, updated.CreationTimestamp, updated.LastUpdatedTimestamp));
        Assert.NotNull(read);
        Assert.Equal(2, read.Revision);
        AssertSameSpec(Minimal(name), read.Spec);
    }

    [Fact]
    public async Task Update_EightConcurrent_RevisionsOneToNineAndAnAuditChain()
    {
        var name = Unique();
        await Store.CreateAsync(Minimal(name), Now, Alice, Ct);

        var records = await Task.WhenAll(Enumerable.Range(1, Racers).Select(i =>
            Task.Run(() => Store.UpdateAsync(Minimal(name) with { Description = "v" + i }, Now + i, Alice, Ct))));

        Assert.Equal(Enumerable.Range(2, Racers).Select(r => (long)r), records.Select(r => r.Revision).Order());
        var events = await EventsAsync(name, EndpointActions.Updated);
        Assert.Equal(Racers, events.Count);
        for (var i = 1; i < events.Count; i++)
            Assert.Equal(events[i - 1].After, events[i].Before);
    }

    [Fact]
    public async Task UpdateAndDelete_UnknownName_NotFound()
    {
        var name = Unique();

        var update = await Assert.ThrowsAsync<SlipwayException>(() => Store.UpdateAsync(Minimal(name), Now, Alice, Ct));
        var delete = await Assert.ThrowsAsync<SlipwayException>(() => Store.DeleteAsync(name, Now, Alice, Ct));

        Assert.Equal(ErrorCode.ResourceDoesNotExist, update.Code);
        Assert.Equal(ErrorCode.ResourceDoesNotExist, delete.Code);
        Assert.Null(await Store.GetAsync(name, Ct));
    }

    [Fact]
    public async Task Delete_ThenCreateAgain_StartsOverAtRevisionOne()
    {
        var name = Unique();
        await Store.CreateAsync(Minimal(name), Now, Alice, Ct);
        await Store.UpdateAsync(Minimal(name), Now, Alice, Ct);

        await Store.DeleteAsync(name, Now, Alice, Ct);
        Assert.Null(await Store.GetAsync(name, Ct));
        var again = await Store.CreateAsync(Minimal(name), Now + 1, Alice, Ct);

        Assert.Equal((1L, Now + 1), (again.Revision, again.CreationTimestamp));
    }

    [Fact]
    public async Task List_IncludesEveryEndpointInNameOrder()
    {
        var prefix = Unique();
        foreach (var suffix in new[] { "b", "a", "c" })
            await Store.CreateAsync(Minimal(prefix + suffix), Now, Alice, Ct);

        var names = (await Store.ListAsync(Ct)).Select(r => r.Spec.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal));

        Assert.Equal([prefix + "a", prefix + "b", prefix + "c"], names);
    }

    [Fact]
    public async Task Mutations_EachAppendOneAuditEventWithTheSpecBeforeAndAfter()
    {
        var name = Unique();
        var bob = new AuditContext("bob", "req-bob");
        await Store.CreateAsync(FullSpec(name), Now, bob, Ct);
        await Store.UpdateAsync(Minimal(name), Now + 1, bob, Ct);
        await Store.DeleteAsync(name, Now + 2, bob, Ct);

        var events = await EventsAsync(name, null);

        Assert.Equal([EndpointActions.Created, EndpointActions.Updated, EndpointActions.Deleted], events.Select(e => e.Action));
        Assert.All(events, e => Assert.Equal(("bob", "req-bob", "endpoints/" + name), (e.Actor, e.RequestId, e.Resource)));
        Assert.Equal([Now, Now + 1, Now + 2], events.Select(e => e.Timestamp));
        Assert.Null(events[0].Before);
        Assert.Equal(EndpointSpecJson.Serialize(FullSpec(name)), events[0].After);
        Assert.Equal(events[0].After, events[1].Before);
        Assert.Equal(EndpointSpecJson.Serialize(Minimal(name)), events[1].After);
        Assert.Equal(events[1].After, events[2].Before);
        Assert.Null(events[2].After);
    }

    private async Task<IReadOnlyList<AuditEvent>> EventsAsync(string name, string? action)
    {
        var (items, hasMore) = await fixture.Audit.SearchAsync(new AuditQuery(EndpointActions.Resource(name), action, null, 1000, 0), Ct);
        Assert.False(hasMore);
        return items;
    }

    private static string Unique() => "ep-" + Guid.NewGuid().ToString("N")[..20];

    private static EndpointSpec Minimal(string name) =>
        new(name, null, [new RouteSpec("default", "models:/m@champion", 100)], null, null, null, 0);

    private static EndpointSpec FullSpec(string name) => new(
        name,
        "fraud scoring, ünïcode \"quoted\"",
        [new RouteSpec("stable", "models:/fraud@champion", 90), new RouteSpec("canary", "models:/fraud/4", 10)],
        new RouteSpec("challenger", "models:/fraud@challenger", 0),
        "X-User-Id",
        new BatchingSpec(32, TimeSpan.FromMilliseconds(2.5), 1000),
        0.25);

    private static void AssertSameSpec(EndpointSpec expected, EndpointSpec actual)
    {
        Assert.Equal(expected.Routes, actual.Routes);
        Assert.Equal(expected with { Routes = actual.Routes }, actual);
    }

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
