using System.Net;
using System.Text.Json;
using Slipway.Serving.Tests.EndToEnd;
using Slipway.Serving.Tests.Models;

namespace Slipway.Serving.Tests.Endpoints;

/// <summary><c>GET /api/slipway/v1/endpoints/{name}/stats</c> on the real server, after real OIP traffic over HTTP.</summary>
public sealed class RouteStatsTests : IAsyncLifetime
{
    private const string Request = """{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}""";
    private ServingServer _server = null!;

    public async Task InitializeAsync() => _server = await ServingServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Stats_TwoWeightedRoutes_CountEachRoutesRequestsAndLatency()
    {
        var identity = OnnxTestModels.Identity(OnnxTestModels.Float, 3L);
        await _server.RegisterVersionAsync("split", [("model.onnx", identity)]);
        await _server.RegisterVersionAsync("split", [("model.onnx", identity)]);
        await CreateAllReadyAsync(new
        {
            name = "split",
            routes = new[] { new { name = "blue", model = "models:/split/1", weight = 25 }, new { name = "green", model = "models:/split/2", weight = 75 } },
        });
        var before = await StatsAsync("split");

        var answeredBy = new Dictionary<string, int> { ["1"] = 0, ["2"] = 0 };
        for (var i = 0; i < 200; i++)
        {
            using var response = await _server.PostRawAsync("v2/models/split/infer", Request);
            var body = await ServingServer.ReadOkAsync(response, "infer");
            answeredBy[body.GetProperty("model_version").GetString()!]++;
        }
        var after = await StatsAsync("split");

        Assert.Equal("split", after.GetProperty("endpoint").GetString());
        Assert.True(after.GetProperty("collected_at").GetInt64() >= before.GetProperty("collected_at").GetInt64());
        var blue = Route(after, "blue");
        var green = Route(after, "green");
        Assert.Equal(("models:/split/1", "1", 25), (blue.GetProperty("model").GetString(), blue.GetProperty("serving_version").GetString(), blue.GetProperty("weight").GetInt32()));
        Assert.Equal(("models:/split/2", "2", 75), (green.GetProperty("model").GetString(), green.GetProperty("serving_version").GetString(), green.GetProperty("weight").GetInt32()));
        Assert.Equal(answeredBy["1"], Requests(blue) - Requests(Route(before, "blue")));
        Assert.Equal(answeredBy["2"], Requests(green) - Requests(Route(before, "green")));
        Assert.InRange(answeredBy["1"], 20, 90);
        foreach (var route in new[] { blue, green })
        {
            Assert.Equal(0, route.GetProperty("errors").GetInt64());
            Assert.True(route.GetProperty("latency_seconds_sum").GetDouble() > 0);
            var buckets = route.GetProperty("latency_buckets").EnumerateArray().ToList();
            Assert.Equal(17, buckets.Count);
            Assert.Equal(0.0001, buckets[0].GetProperty("le").GetDouble());
            Assert.Equal("+Inf", buckets[^1].GetProperty("le").GetString());
            Assert.Equal(Requests(route), buckets[^1].GetProperty("count").GetInt64());
            var counts = buckets.Select(b => b.GetProperty("count").GetInt64()).ToList();
            Assert.Equal(counts.Order(), counts);
        }
    }

    [Fact]
    public async Task Stats_RouteWhoseModelRejectsTheRequests_CountsErrorsOnThatRouteOnly()
    {
        await _server.RegisterVersionAsync("mixed", [("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float, 3L))]);
        await _server.RegisterVersionAsync("mixed", [("model.onnx", OnnxTestModels.Identity(OnnxTestModels.Float, 2L))]);
        await CreateAllReadyAsync(new
        {
            name = "mixed",
            routes = new[] { new { name = "fits", model = "models:/mixed/1", weight = 50 }, new { name = "narrow", model = "models:/mixed/2", weight = 50 } },
        });

        var (ok, failed) = (0, 0);
        for (var i = 0; i < 120; i++)
        {
            using var response = await _server.PostRawAsync("v2/models/mixed/infer", Request);
            if (response.StatusCode == HttpStatusCode.OK)
                ok++;
            else if (response.StatusCode == HttpStatusCode.BadRequest)
                failed++;
        }
        var stats = await StatsAsync("mixed");

        var fits = Route(stats, "fits");
        var narrow = Route(stats, "narrow");
        Assert.True(ok > 0 && failed > 0, $"ok {ok}, failed {failed}");
        Assert.Equal(120, ok + failed);
        Assert.Equal((ok, 0L), (Requests(fits), fits.GetProperty("errors").GetInt64()));
        Assert.Equal((failed, (long)failed), (Requests(narrow), narrow.GetProperty("errors").GetInt64()));
        Assert.Equal(0, narrow.GetProperty("latency_buckets").EnumerateArray().Last().GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Stats_UnknownEndpoint_NotFound()
    {
        using var response = await _server.Http.GetAsync("api/slipway/v1/endpoints/nobody/stats");

        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", body.GetProperty("error_code").GetString());
        Assert.Contains("nobody", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stats_EndpointNotServedYet_ListsSpecRoutesWithZeroCounts()
    {
        await _server.PostOkAsync("api/slipway/v1/endpoints", new { name = "pending", routes = new[] { new { name = "main", model = "models:/absent/1" } } });

        var route = Route(await StatsAsync("pending"), "main");

        Assert.Equal((0L, 0L), (Requests(route), route.GetProperty("errors").GetInt64()));
        Assert.Equal(17, route.GetProperty("latency_buckets").GetArrayLength());
    }

    /// <summary>Creates the endpoint and waits until every route is ready, so that traffic is split by weight from the first request.</summary>
    private async Task CreateAllReadyAsync(object spec)
    {
        var name = (await _server.CreateEndpointAsync(spec)).GetProperty("name").GetString()!;
        await _server.WaitForEndpointAsync(name, e => e.GetProperty("status").GetProperty("routes").EnumerateArray().All(r => r.GetProperty("state").GetString() == "ready"));
    }

    private Task<JsonElement> StatsAsync(string endpoint) => _server.GetOkAsync($"api/slipway/v1/endpoints/{endpoint}/stats");

    private static JsonElement Route(JsonElement stats, string name) =>
        stats.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);

    private static long Requests(JsonElement route) => route.GetProperty("requests").GetInt64();
}
