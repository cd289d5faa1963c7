using Slipway.Client;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary><see cref="SlipwayClient.GetEndpointStatsAsync"/> against a real server: the SDK side of the counters a rollout reads.</summary>
public sealed class DeployEndpointStatsTests(DeployServerFixture fixture) : IClassFixture<DeployServerFixture>
{
    [Fact]
    public async Task GetEndpointStatsAsync_AfterTraffic_ReadsCountsAndBuckets()
    {
        var (model, endpoint) = (DeployServerFixture.Unique("stats"), DeployServerFixture.Unique("ep"));
        await fixture.RegisterAsync(model, DeployTestModels.Good());
        await fixture.CreateEndpointAsync(new EndpointSpec { Name = endpoint, Routes = [new EndpointRoute("main", $"models:/{model}/1", 100)] });
        var before = await fixture.Client.GetEndpointStatsAsync(endpoint);

        var traffic = new DeployTraffic(fixture.Server.BaseAddress, endpoint);
        while (traffic.Ok < 30 && traffic.Failed == 0)
            await Task.Delay(20);
        await traffic.DisposeAsync();
        var after = await fixture.Client.GetEndpointStatsAsync(endpoint);

        Assert.Equal(endpoint, after.Endpoint);
        Assert.True(after.CollectedAt >= before.CollectedAt && before.CollectedAt > 0);
        var route = Assert.Single(after.Routes);
        Assert.Equal(("main", $"models:/{model}/1", "1", 100), (route.Name, route.Model, route.ServingVersion, route.Weight));
        var window = route.Minus(before.Routes[0]);
        Assert.True(window.Requests >= 30, $"{window.Requests} requests");
        Assert.Equal(window.Requests, window.Answered);
        Assert.Equal(traffic.Ok, window.Answered);
        Assert.Equal(0, traffic.Failed);
        Assert.Equal(0, window.Errors);
        Assert.True(double.IsPositiveInfinity(route.LatencyBuckets[^1].Le));
        Assert.Equal(0.0001, route.LatencyBuckets[0].Le);
        Assert.InRange(window.LatencyQuantile(0.99), 0.0000001, 3.3);
        Assert.InRange(window.LatencySecondsSum / window.Answered, 0.0000001, 3.3);
    }

    [Fact]
    public async Task GetEndpointStatsAsync_UnknownEndpoint_NotFound()
    {
        var error = await Assert.ThrowsAsync<SlipwayApiException>(() => fixture.Client.GetEndpointStatsAsync("no-such-endpoint"));

        Assert.True(error.IsNotFound);
    }
}
