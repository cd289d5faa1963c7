using Slipway.Core.Audit;
using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;
using static Slipway.Serving.Tests.Endpoints.EndpointTestHost;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary><see cref="EndpointService"/> on real stores: validation, revisions, audit events and status.</summary>
public sealed class EndpointServiceTests : IAsyncLifetime
{
    private EndpointTestHost _host = null!;

    public async Task InitializeAsync() => _host = await EndpointTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, EndpointSpec> InvalidSpecs => new()
    {
        { "Invalid endpoint name '-bad'", Spec("-bad", Route("a", "models:/m/1")) },
        { "Invalid endpoint name 'has space'", Spec("has space", Route("a", "models:/m/1")) },
        { "Invalid endpoint name", Spec(new string('x', 64), Route("a", "models:/m/1")) },
        { "at least one route", Spec("e") },
        { "used twice", Spec("e", Route("a", "models:/m/1"), Route("a", "models:/m/2")) },
        { "Invalid route name", Spec("e", Route("a/b", "models:/m/1")) },
        { "weights are between 0 and 100", Spec("e", Route("a", "models:/m/1", 101)) },
        { "weights are between 0 and 100", Spec("e", Route("a", "models:/m/1", -1)) },
        { "add up to 0", Spec("e", Route("a", "models:/m/1", 0), Route("b", "models:/m/2", 0)) },
        { "Invalid model reference 'models:/m'", Spec("e", Route("a", "models:/m")) },
        { "Invalid model reference 'models:/m/0'", Spec("e", Route("a", "models:/m/0")) },
        { "Invalid model reference 'models:/m/Production'", Spec("e", Route("a", "models:/m/Production")) },
        { "Unsupported model reference 's3://bucket/model'", Spec("e", Route("a", "s3://bucket/model")) },
        { "outside the server's local model root", Spec("e", Route("a", "/etc/passwd")) },
        { "outside the server's local model root", Spec("e", Route("a", "../../etc")) },
        { "like a live route", Spec("e", Route("a", "models:/m/1")) with { Shadow = Route("a", "models:/m/2", 0) } },
        { "sticky_header", Spec("e", Route("a", "models:/m/1")) with { StickyHeader = "X User" } },
        { "batching.max_batch_size", Spec("e", Route("a", "models:/m/1")) with { Batching = new BatchingSpec(0, TimeSpan.Zero, 10) } },
        { "batching.max_batch_size", Spec("e", Route("a", "models:/m/1")) with { Batching = new BatchingSpec(4097, TimeSpan.Zero, 10) } },
        { "batching.max_queue_delay_ms", Spec("e", Route("a", "models:/m/1")) with { Batching = new BatchingSpec(8, TimeSpan.FromSeconds(2), 10) } },
        { "batching.max_queue_size", Spec("e", Route("a", "models:/m/1")) with { Batching = new BatchingSpec(8, TimeSpan.Zero, 100_001) } },
        { "log_sample_rate", Spec("e", Route("a", "models:/m/1")) with { LogSampleRate = 1.5 } },
        { "log_sample_rate", Spec("e", Route("a", "models:/m/1")) with { LogSampleRate = double.NaN } },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public async Task CreateAsync_InvalidSpec_InvalidParameterNamingTheProblem(string expected, EndpointSpec spec)
    {
        var error = await Assert.ThrowsAsync<SlipwayException>(() => _host.Endpoints.CreateAsync(spec, Alice, default));

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Empty(await _host.Endpoints.ListAsync(default));
    }

    [Fact]
    public async Task CreateAsync_LocalPathWithoutRoot_Refused()
    {
        await using var host = await EndpointTestHost.StartAsync(o => o.LocalModelRoot = null);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => host.CreateEndpointAsync("e", Route("a", "models/iris")));

        Assert.Contains("no local model root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_LocalPathUnderRoot_Served()
    {
        Directory.CreateDirectory(Path.Combine(_host.LocalModelRoot, "iris"));
        await File.WriteAllTextAsync(Path.Combine(_host.LocalModelRoot, "iris", "model.txt"), "4");

        await _host.CreateEndpointAsync("local-ep", Route("main", "iris"));
        await _host.Manager.ReconcileAsync(default);

        Assert.Equal("iris/local", (await _host.InferAsync("local-ep")).ModelVersion);
    }

    [Fact]
    public async Task CreateAsync_Valid_StoredAtRevisionOneWithRoutesLoading()
    {
        var spec = Spec("fraud", Route("stable", "models:/fraud@champion", 90), Route("canary", "models:/fraud/4", 10)) with
        {
            Description = "card fraud",
            Shadow = new RouteSpec("challenger", "models:/fraud@challenger", 0),
            StickyHeader = "X-User-Id",
            Batching = new BatchingSpec(32, TimeSpan.FromMilliseconds(2), 1000),
            LogSampleRate = 0.1,
        };

        var created = await _host.Endpoints.CreateAsync(spec, Alice, default);

        Assert.Equal(1, created.Record.Revision);
        Assert.Equal(spec.Routes, created.Record.Spec.Routes);
        Assert.Equal(spec with { Routes = created.Record.Spec.Routes }, created.Record.Spec);
        Assert.False(created.Status.Ready);
        Assert.All(created.Status.Routes, r => Assert.Equal(RouteStates.Loading, r.State));
        Assert.Equal("challenger", created.Status.Shadow?.Name);
        Assert.NotNull(created.ShadowStatistics);
    }

    [Fact]
    public async Task CreateAsync_DuplicateName_AlreadyExists()
    {
        await _host.CreateEndpointAsync("twice", Route("a", "models:/m/1"));

        var error = await Assert.ThrowsAsync<SlipwayException>(() => _host.CreateEndpointAsync("twice", Route("a", "models:/m/1")));

        Assert.Equal(ErrorCode.ResourceAlreadyExists, error.Code);
    }

    [Fact]
    public async Task UpdateAndDelete_UnknownName_NotFound()
    {
        var update = await Assert.ThrowsAsync<SlipwayException>(() => _host.Endpoints.UpdateAsync(Spec("nobody", Route("a", "models:/m/1")), Alice, default));
        var delete = await Assert.ThrowsAsync<SlipwayException>(() => _host.Endpoints.DeleteAsync("nobody", Alice, default));
        var get = await Assert.ThrowsAsync<SlipwayException>(() => _host.Endpoints.GetAsync("nobody", default));

        Assert.All(new[] { update, delete, get }, e => Assert.Equal(ErrorCode.ResourceDoesNotExist, e.Code));
        Assert.Equal("Endpoint 'nobody' does not exist.", get.Message);
    }

    [Fact]
    public async Task Changes_BumpRevisionAndAppendAuditEvents()
    {
        await _host.CreateEndpointAsync("audited", Route("a", "models:/m/1"));
        var updated = await _host.Endpoints.UpdateAsync(Spec("audited", Route("a", "models:/m/2")), new AuditContext("bob", "req-2"), default);
        await _host.Endpoints.DeleteAsync("audited", new AuditContext("carol", "req-3"), default);

        var (events, _) = await _host.Audit.SearchAsync(new AuditQuery("endpoints/audited", null, null, 100, 0), default);

        Assert.Equal(2, updated.Record.Revision);
        Assert.Equal(
            ["endpoint.created alice", "endpoint.updated bob", "endpoint.deleted carol"],
            events.Select(e => $"{e.Action} {e.Actor}"));
        Assert.Null(events[0].Before);
        Assert.Equal(events[0].After, events[1].Before);
        Assert.Contains("models:/m/2", events[1].After, StringComparison.Ordinal);
        Assert.Equal(events[1].After, events[2].Before);
        Assert.Null(events[2].After);
    }

    [Fact]
    public async Task ListAsync_EveryEndpointByName()
    {
        await _host.CreateEndpointAsync("b-ep", Route("a", "models:/m/1"));
        await _host.CreateEndpointAsync("a-ep", Route("a", "models:/m/1"));

        var endpoints = await _host.Endpoints.ListAsync(default);

        Assert.Equal(["a-ep", "b-ep"], endpoints.Select(e => e.Record.Spec.Name));
    }
}
