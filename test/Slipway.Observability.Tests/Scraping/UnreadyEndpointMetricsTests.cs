using System.Net;
using System.Text.RegularExpressions;
using Slipway.Observability.Tests.Infrastructure;
using Slipway.Testing;

namespace Slipway.Observability.Tests.Scraping;

/// <summary>
/// An endpoint that never becomes ready still shows its traffic: the requests it refuses are counted under the
/// <c>_unrouted</c> route next to their errors, so SlipwayEndpointErrorRatio has a denominator and fires.
/// </summary>
public sealed class UnreadyEndpointMetricsTests
{
    [Fact]
    public async Task Infer_ModelFailsToLoad_RequestsAndErrorsBothCounted()
    {
        await using var server = await SlipwayTestServer.StartAsync();
        using var traffic = new ServerTraffic(server);
        var endpoint = "unready-" + Guid.NewGuid().ToString("N")[..8];
        var (runId, artifactPath) = await traffic.TrackRunAsync(endpoint + "-training");
        var garbage = new byte[4096];
        new Random(42).NextBytes(garbage);
        await traffic.UploadAsync(artifactPath, "model/model.onnx", garbage);
        await traffic.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = endpoint + "-model" });
        await traffic.PostOkAsync("api/2.0/mlflow/model-versions/create", new { name = endpoint + "-model", source = $"mlflow-artifacts:/{artifactPath}/model", run_id = runId });
        await traffic.PostOkAsync("api/slipway/v1/endpoints", new { name = endpoint, routes = new[] { new { model = $"models:/{endpoint}-model/1" } } });
        await WaitForFailedRouteAsync(traffic, endpoint);

        const int attempts = 3;
        for (var i = 0; i < attempts; i++)
        {
            using var response = await traffic.PostAsync($"v2/models/{endpoint}/infer", new
            {
                inputs = new[] { new { name = "input", shape = new[] { 1, ServerTraffic.Features }, datatype = "FP32", data = new double[ServerTraffic.Features] } },
            });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        var scrape = await traffic.ScrapeAsync();
        Assert.Equal(attempts, Sum(scrape, "slipway_inference_requests_total", endpoint, "route=\"_unrouted\""));
        Assert.Equal(attempts, Sum(scrape, "slipway_inference_errors_total", endpoint, ""));
    }

    private static async Task WaitForFailedRouteAsync(ServerTraffic traffic, string endpoint)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var status = (await traffic.GetOkAsync("api/slipway/v1/endpoints/" + endpoint)).GetProperty("endpoint").GetProperty("status");
            if (status.GetProperty("routes")[0].GetProperty("state").GetString() == "failed")
            {
                Assert.False(status.GetProperty("ready").GetBoolean());
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"The route of {endpoint} never reported its failed load: {status}");
            await Task.Delay(50);
        }
    }

    // Sums the endpoint's series of a counter whose labels contain the given fragment.
    private static double Sum(string scrape, string metric, string endpoint, string fragment) =>
        scrape.Split('\n')
            .Where(line => line.StartsWith(metric + "{", StringComparison.Ordinal)
                && line.Contains($"endpoint=\"{endpoint}\"", StringComparison.Ordinal)
                && line.Contains(fragment, StringComparison.Ordinal))
            .Sum(line => double.Parse(Regex.Match(line, @"\}\s+(\S+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
}
