using Slipway.Core.Errors;
using Slipway.Serving.Endpoints;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary><see cref="ServedEndpoint"/> on a hand-built routing table: weights, sticky routing, the shadow route.</summary>
public sealed class RouterTests
{
    private static readonly InferenceContext NoHeaders = new("r", _ => null, "test");

    [Fact]
    public async Task InferAsync_NinetyTenWeights_SendsTenPercentToCanaryOverFiveThousandRequests()
    {
        var endpoint = Endpoint(Route("stable", 90, new FakeModel(1)), Route("canary", 10, new FakeModel(2)));

        var canary = 0;
        for (var i = 0; i < 5000; i++)
        {
            if ((await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default)).Route == "canary")
                canary++;
        }

        Assert.InRange(canary, 400, 600);
    }

    [Fact]
    public async Task InferAsync_StickyHeader_KeepsOneKeyOnOneRouteAndSpreadsKeys()
    {
        var endpoint = Sticky("X-User", Route("a", 50, new FakeModel(1)), Route("b", 50, new FakeModel(2)));

        var routes = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
            routes.Add((await endpoint.InferAsync(FakeModel.Request(), Header("X-User", "user-42"), default)).Route);
        var perKey = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0 };
        for (var i = 0; i < 1000; i++)
            perKey[(await endpoint.InferAsync(FakeModel.Request(), Header("X-User", "user-" + i), default)).Route]++;

        Assert.Single(routes);
        Assert.InRange(perKey["a"], 400, 600);
    }

    [Fact]
    public async Task InferAsync_StickyHeaderAbsent_FallsBackToWeightedRandom()
    {
        var endpoint = Sticky("X-User", Route("a", 50, new FakeModel(1)), Route("b", 50, new FakeModel(2)));

        var routes = new HashSet<string>();
        for (var i = 0; i < 200; i++)
            routes.Add((await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default)).Route);

        Assert.Equal(2, routes.Count);
    }

    [Fact]
    public async Task InferAsync_ZeroWeightRoute_GetsNoTraffic()
    {
        var endpoint = Endpoint(Route("live", 100, new FakeModel(1)), Route("warm", 0, new FakeModel(2)));

        for (var i = 0; i < 500; i++)
            Assert.Equal("live", (await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default)).Route);
    }

    [Fact]
    public async Task InferAsync_FailingShadow_NeverChangesOrFailsTheResponse()
    {
        var shadowModel = new FakeModel(7, failure: new InvalidOperationException("shadow blew up"));
        var endpoint = WithShadow(Route("main", 100, new FakeModel(1)), Route("shadow", 0, shadowModel));

        for (var i = 0; i < 100; i++)
        {
            var result = await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default);
            Assert.Equal(("main", "m/1"), (result.Route, result.ModelVersion));
            Assert.Equal(1f, Assert.IsType<float[]>(result.Outputs[0].Data)[0]);
        }

        await WaitUntilAsync(() => endpoint.ShadowStatistics.Completed + endpoint.ShadowStatistics.Dropped == 100);
        var statistics = endpoint.ShadowStatistics;
        Assert.Equal((100L, statistics.Completed, 0L), (statistics.Requests + statistics.Dropped, statistics.Errors, statistics.Disagreements));
        Assert.Equal(statistics.Completed, shadowModel.Runs);
    }

    [Fact]
    public async Task InferAsync_SlowShadow_ResponseDoesNotWaitForIt()
    {
        var release = new TaskCompletionSource();
        var shadowModel = new FakeModel(1, beforeRun: () => release.Task);
        var endpoint = WithShadow(Route("main", 100, new FakeModel(1)), Route("shadow", 0, shadowModel));

        var result = await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        await WaitUntilAsync(() => shadowModel.Runs == 1);

        Assert.Equal("main", result.Route);
        Assert.Equal(0, endpoint.ShadowStatistics.Disagreements + endpoint.ShadowStatistics.Errors);
        release.SetResult();
    }

    [Fact]
    public async Task InferAsync_ShadowAnswersDifferently_CountsDisagreementAndReturnsPrimary()
    {
        var agreeing = WithShadow(Route("main", 100, new FakeModel(1)), Route("shadow", 0, new FakeModel(1.0000001f)));
        var differentValue = WithShadow(Route("main", 100, new FakeModel(1)), Route("shadow", 0, new FakeModel(1.01f)));
        var differentLabel = WithShadow(Route("main", 100, new FakeModel(1, label: 0)), Route("shadow", 0, new FakeModel(1, label: 1)));

        foreach (var endpoint in new[] { agreeing, differentValue, differentLabel })
        {
            for (var i = 0; i < 10; i++)
                Assert.Equal("m/1", (await endpoint.InferAsync(FakeModel.Request(), NoHeaders, default)).ModelVersion);
        }
        await WaitUntilAsync(() => new[] { agreeing, differentValue, differentLabel }.All(e => e.ShadowStatistics.Completed + e.ShadowStatistics.Dropped == 10),
            () => string.Join("; ", new[] { agreeing, differentValue, differentLabel }.Select(e => e.ShadowStatistics.ToString())));

        Assert.Equal(0, agreeing.ShadowStatistics.Disagreements);
        Assert.All(new[] { differentValue, differentLabel }, e =>
        {
            var statistics = e.ShadowStatistics;
            Assert.True(statistics.Completed > 0);
            Assert.Equal((statistics.Completed, 0L), (statistics.Disagreements, statistics.Errors));
        });
    }

    [Fact]
    public async Task InferAsync_NothingLoaded_TemporarilyUnavailableNamingTheEndpoint()
    {
        var endpoint = new ServedEndpoint("empty");

        var error = await Assert.ThrowsAsync<SlipwayException>(() => endpoint.InferAsync(FakeModel.Request(), NoHeaders, default).AsTask());

        Assert.Equal(ErrorCode.TemporarilyUnavailable, error.Code);
        Assert.StartsWith("Endpoint empty is not ready: ", error.Message, StringComparison.Ordinal);
        Assert.False(endpoint.IsReady);
    }

    [Fact]
    public async Task InferAsync_InputAgainstSignature_InvalidParameterBeforeTheModelRuns()
    {
        var model = new FakeModel(1);
        var endpoint = Endpoint(Route("main", 100, model));
        var wrong = new InferenceRequest(null, [new Tensor("x", TensorDataType.Fp32, [1, 3], new float[3])], null, null);

        var error = await Assert.ThrowsAsync<SlipwayException>(() => endpoint.InferAsync(wrong, NoHeaders, default).AsTask());

        Assert.Equal(ErrorCode.InvalidParameterValue, error.Code);
        Assert.Equal(0, model.Runs);
    }

    [Fact]
    public void Targets_DescribeThePrimaryRoute_VersionsOfEveryRoute()
    {
        var endpoint = Endpoint(Route("stable", 90, new FakeModel(1), "3"), Route("canary", 10, new FakeModel(2), "4"));

        Assert.True(endpoint.IsReady);
        Assert.Equal("fake", endpoint.Platform);
        Assert.Same(FakeModel.FakeSignature, endpoint.Signature);
        Assert.Equal(["3", "4"], endpoint.Versions);
    }

    [Theory]
    [InlineData(1.0, 1.0000005, true)]
    [InlineData(1000.0, 1000.0005, true)]
    [InlineData(1.0, 1.00001, false)]
    [InlineData(0.0, 1e-30, false)]
    [InlineData(double.NaN, double.NaN, true)]
    public void Close_RelativeTolerance(double x, double y, bool expected) =>
        Assert.Equal(expected, ShadowComparer.Close(x, y));

    internal static LiveRoute Route(string name, int weight, FakeModel model, string version = "1") =>
        new(name, weight, new LiveModel(new ResolvedModel("m", version, null), model));

    private static ServedEndpoint Endpoint(params LiveRoute[] routes) => Build(routes, null, null);

    private static ServedEndpoint Sticky(string header, params LiveRoute[] routes) => Build(routes, header, null);

    private static ServedEndpoint WithShadow(LiveRoute route, LiveRoute shadow) => Build([route], null, shadow);

    private static ServedEndpoint Build(LiveRoute[] routes, string? stickyHeader, LiveRoute? shadow)
    {
        var endpoint = new ServedEndpoint("e");
        endpoint.Publish(new RoutingTable(routes, shadow, stickyHeader, null));
        return endpoint;
    }

    private static InferenceContext Header(string name, string value) =>
        new("r", h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase) ? value : null, "test");

    internal static async Task WaitUntilAsync(Func<bool> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not become true within 15 s. " + describe?.Invoke());
            await Task.Delay(10);
        }
    }
}
