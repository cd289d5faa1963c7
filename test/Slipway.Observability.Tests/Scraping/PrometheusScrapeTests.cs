using System.Globalization;
using System.Text.Json;
using Slipway.Observability.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Slipway.Observability.Tests.Scraping;

/// <summary>
/// A real Prometheus scrapes a running Slipway server every second; after inference traffic a PromQL query over
/// Prometheus's HTTP API returns the endpoint's request counter, and the alert rules are loaded and evaluated.
/// </summary>
[Collection(ObservedServerCollection.Name)]
public sealed class PrometheusScrapeTests(ObservedServerFixture observed, ITestOutputHelper output)
{
    private const int RequestsSent = 12;

    [Fact]
    public async Task Prometheus_ScrapesServer_PromQlReturnsEndpointRequestCount()
    {
        using var prometheus = await PrometheusServer.StartAsync(observed.Server.BaseAddress, RepositoryPaths.RulesFile);
        var rows = ServerTraffic.ReferenceRows().Take(2).ToList();
        for (var i = 0; i < RequestsSent; i++)
            await observed.Traffic.InferAsync(observed.Endpoint, $"scrape-{i}", rows);
        var expected = observed.EndpointRequests + RequestsSent;

        var query = $"sum(slipway_inference_requests_total{{job=\"slipway\", endpoint=\"{observed.Endpoint}\"}})";
        var deadline = DateTime.UtcNow.AddSeconds(90);
        double seen;
        while (true)
        {
            var result = await prometheus.QueryAsync(query);
            seen = result.GetArrayLength() == 0 ? 0 : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
            if (seen >= expected)
                break;
            Assert.True(DateTime.UtcNow < deadline,
                $"{query} returned {seen}, expected at least {expected}. Targets: {await prometheus.Http.GetStringAsync("api/v1/targets")}\n{prometheus.Output}");
            await Task.Delay(250);
        }

        Assert.True(seen >= expected);
        var up = await prometheus.QueryAsync("up{job=\"slipway\"}");
        Assert.Equal("1", up[0].GetProperty("value")[1].GetString());
    }

    [Fact]
    public async Task Prometheus_EveryDashboardQuery_EvaluatesAndTheEndpointPanelsHaveData()
    {
        using var prometheus = await PrometheusServer.StartAsync(observed.Server.BaseAddress);
        var rows = ServerTraffic.ReferenceRows().Take(2).ToList();
        // Rates need two scrapes inside their window: keep traffic flowing until the endpoint's rate is visible.
        var rate = $"sum(rate(slipway_inference_requests_total{{job=\"slipway\", endpoint=\"{observed.Endpoint}\"}}[1m]))";
        var deadline = DateTime.UtcNow.AddSeconds(90);
        for (var i = 0; (await prometheus.QueryAsync(rate)).GetArrayLength() == 0 || i < 3; i++)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{rate} never returned data.\n{prometheus.Output}");
            await observed.Traffic.InferAsync(observed.Endpoint, $"dashboard-{i}", rows);
            await Task.Delay(500);
        }

        var empty = await EmptyPanelsAsync(prometheus, observed.Endpoint);
        var lostLogEmpty = await EmptyPanelsAsync(prometheus, observed.LostLogEndpoint);

        output.WriteLine("Panels without data for this traffic: " + string.Join("; ", empty));
        foreach (var panel in new[] { "Requests per second", "Requests by protocol", "p99 latency", "Mean rows per model run", "Model loads" })
            Assert.DoesNotContain("slipway-endpoints.json: " + panel, empty);
        foreach (var panel in new[] { "Request rate by route", "Store operations per second", "CPU", "Memory" })
            Assert.DoesNotContain("slipway-control-plane.json: " + panel, empty);
        foreach (var panel in new[] { "Share of drifted features", "Drift score by feature", "Runs by status", "Performance" })
            Assert.DoesNotContain("slipway-monitors.json: " + panel, empty);
        // The second endpoint batches and cannot write its log: its queue and drop panels have series.
        foreach (var panel in new[] { "Batching queue depth", "Inference-log drops per second", "Dropped in range" })
            Assert.DoesNotContain("slipway-endpoints.json: " + panel, lostLogEmpty);
    }

    /// <summary>Runs every dashboard query with <paramref name="endpoint"/> selected; returns the panels with no series.</summary>
    private static async Task<List<string>> EmptyPanelsAsync(PrometheusServer prometheus, string endpoint)
    {
        var empty = new List<string>();
        foreach (var file in Dashboards.GrafanaDashboard.Files)
        {
            foreach (var (panel, expression) in Dashboards.GrafanaDashboard.Load(file).Expressions())
            {
                // QueryAsync fails the test on any PromQL error; an empty result is allowed (no 5xx, no batching).
                var result = await prometheus.QueryAsync(AsGrafanaWould(expression, endpoint));
                if (result.GetArrayLength() == 0)
                    empty.Add($"{file}: {panel}");
            }
        }
        return empty;
    }

    /// <summary>The query Grafana sends for a panel: variables set to this job, every instance, and the test endpoint.</summary>
    private static string AsGrafanaWould(string expression, string endpoint) => expression
        .Replace("$job", "slipway", StringComparison.Ordinal)
        .Replace("$instance", ".*", StringComparison.Ordinal)
        .Replace("$endpoint", endpoint, StringComparison.Ordinal)
        .Replace("$route", ".*", StringComparison.Ordinal)
        .Replace("$monitor", ".*", StringComparison.Ordinal)
        .Replace("$__rate_interval", "1m", StringComparison.Ordinal)
        .Replace("$__range", "10m", StringComparison.Ordinal);

    [Fact]
    public async Task Prometheus_LoadsAlertRules_ApiListsTheGroupsHealthy()
    {
        using var prometheus = await PrometheusServer.StartAsync(observed.Server.BaseAddress, RepositoryPaths.RulesFile);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var groups = (await prometheus.GetJsonAsync("api/v1/rules")).GetProperty("data").GetProperty("groups").EnumerateArray().ToList();
            var names = groups.Select(g => g.GetProperty("name").GetString()).ToList();
            Assert.Equal(["slipway-control-plane", "slipway-endpoints", "slipway-monitors"], names);
            var rules = groups.SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
            Assert.Equal(11, rules.Count);
            // Once every rule has been evaluated against the live series, each must be healthy (a query error marks it "err").
            if (rules.All(r => r.GetProperty("lastEvaluation").GetString() is { } last && !last.StartsWith("0001", StringComparison.Ordinal)))
            {
                Assert.All(rules, r => Assert.True(r.GetProperty("health").GetString() == "ok", $"{r.GetProperty("name")}: {r}"));
                break;
            }
            Assert.True(DateTime.UtcNow < deadline, "The rules were never evaluated: " + JsonSerializer.Serialize(rules) + prometheus.Output);
            await Task.Delay(250);
        }
    }
}
