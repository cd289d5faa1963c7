using System.Net;
using System.Net.Sockets;
using Slipway.Monitoring.Alerts;
using Slipway.Testing;

namespace Slipway.Observability.Tests.Infrastructure;

/// <summary>
/// A real server after the traffic the dashboards and alert rules watch: tracking calls, two endpoints serving the
/// ONNX classifier over OIP REST (one answers a bad request; the other's inference log cannot be written, so records
/// are dropped), a webhook whose subscriber is down, feedback labels, and a monitor run that finds drift and fails to notify a closed port. Every metric
/// family the dashboards and rules name should then be on <c>/metrics</c>; <see cref="Scrape"/> holds that text.
/// </summary>
public sealed class ObservedServerFixture : IAsyncLifetime
{
    private const int RowsPerRequest = 25;

    private SlipwayTestServer? _server;
    private ServerTraffic? _traffic;

    /// <summary>The endpoint whose traffic is logged and monitored; unique per fixture since counters are process-wide.</summary>
    public string Endpoint { get; } = "obs-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>An endpoint with adaptive batching whose inference log folder is blocked by a file, so every record it logs is dropped.</summary>
    public string LostLogEndpoint { get; } = "lost-" + Guid.NewGuid().ToString("N")[..8];

    public string Monitor => Endpoint + "-drift";

    /// <summary>Inference requests the fixture sent to <see cref="Endpoint"/>, the rejected one included (it is counted too).</summary>
    public int EndpointRequests { get; private set; }

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    internal ServerTraffic Traffic => _traffic ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The <c>/metrics</c> text once all the traffic has been seen.</summary>
    public string Scrape { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            options.InferenceLog.FlushInterval = TimeSpan.FromMilliseconds(200);
            options.Monitoring.SchedulerEnabled = false;
            options.Monitoring.Alerting = new AlertingOptions { AllowLocalAddresses = true, RetryDelay = TimeSpan.FromMilliseconds(20) };
            // A subscriber that never answers: its delivery fails once, then waits an hour, pending in the outbox.
            options.Registry.Webhooks.AllowLocalAddresses = true;
            options.Registry.Webhooks.InitialBackoff = TimeSpan.FromHours(1);
            options.Registry.Webhooks.MaxBackoff = TimeSpan.FromHours(1);
        });
        _traffic = new ServerTraffic(_server);
        var model = Endpoint + "-model";
        await Traffic.PostOkAsync("api/slipway/v1/webhooks", new
        {
            name = Endpoint + "-hook",
            url = $"http://127.0.0.1:{ClosedPort()}/hook",
            events = new[] { "registered_model.created" },
        });
        var (runId, artifactPath) = await Traffic.TrackRunAsync(Endpoint + "-training");
        await Traffic.LogReferenceAsync(runId, artifactPath);
        await Traffic.RegisterModelAsync(model, runId, artifactPath);
        await Traffic.CreateEndpointAsync(Endpoint, model);
        await Traffic.CreateEndpointAsync(LostLogEndpoint, model, batched: true);

        // A file where the endpoint's log folder goes: the segment write fails and its records count as dropped.
        var blocked = Path.Combine(Server.DataDirectory, "artifacts", "inference-logs", LostLogEndpoint);
        Directory.CreateDirectory(Path.GetDirectoryName(blocked)!);
        await File.WriteAllTextAsync(blocked, "not a folder");

        var rows = Shifted(ServerTraffic.ReferenceRows());
        var requests = 0;
        for (var offset = 0; offset < rows.Count; offset += RowsPerRequest)
            await Traffic.InferAsync(Endpoint, $"r{requests++}", rows.Skip(offset).Take(RowsPerRequest).ToList());
        await Traffic.InferBadShapeAsync(Endpoint);
        EndpointRequests = requests + 1;
        await Traffic.InferAsync(LostLogEndpoint, "lost-0", rows.Take(3).ToList());
        await InferenceLogProbe.WaitForRowsAsync(Server, Endpoint, rows.Count);
        await Traffic.PostOkAsync($"api/slipway/v1/endpoints/{Endpoint}/feedback", new
        {
            labels = Enumerable.Range(0, requests).Select(i => new { request_id = $"r{i}", label = "1" }),
        });

        await Traffic.PostOkAsync("api/slipway/v1/monitors", new
        {
            name = Monitor,
            endpoint = Endpoint,
            reference = new { kind = "model" },
            window = "1h",
            performance = new { task = "classification", prediction_column = "out_label", probability_column = "out_probabilities_1" },
            channels = new[] { new { name = "closed", type = "webhook", url = $"http://127.0.0.1:{ClosedPort()}/alerts" } },
            alerts = new object[] { new { name = "share", kind = "drift_share", threshold = 0.01, channels = new[] { "closed" } } },
        });
        var run = (await Traffic.PostOkAsync($"api/slipway/v1/monitors/{Monitor}/runs", new { })).GetProperty("run");
        Assert.Equal("succeeded", run.GetProperty("status").GetString());

        Scrape = await WaitForScrapeAsync(
            $"slipway_inference_log_dropped_total{{endpoint=\"{LostLogEndpoint}\"",
            "slipway_alert_notifications_total{",
            "slipway_webhook_deliveries{");
    }

    public async Task DisposeAsync()
    {
        _traffic?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    /// <summary>Scrapes until every asynchronous series (log drops, failed notifications, outbox gauges) has appeared.</summary>
    private async Task<string> WaitForScrapeAsync(params string[] awaited)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var text = await Traffic.ScrapeAsync();
            var missing = awaited.Where(series => !text.Contains(series, StringComparison.Ordinal)).ToList();
            if (missing.Count == 0)
                return text;
            Assert.True(DateTime.UtcNow < deadline, "Never appeared on /metrics: " + string.Join(", ", missing));
            await Task.Delay(100);
        }
    }

    /// <summary>The reference rows with the first two features moved by three standard deviations: drift for sure.</summary>
    private static List<double[]> Shifted(List<double[]> rows)
    {
        foreach (var column in new[] { 0, 1 })
        {
            var mean = rows.Average(r => r[column]);
            var sd = Math.Sqrt(rows.Average(r => (r[column] - mean) * (r[column] - mean)));
            foreach (var row in rows)
                row[column] += 3 * sd;
        }
        return rows;
    }

    /// <summary>A loopback port nothing listens on (bound, then released), so notifications to it fail.</summary>
    internal static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>Test classes that read the observed server's scrape share one server.</summary>
[CollectionDefinition(Name)]
public sealed class ObservedServerCollection : ICollectionFixture<ObservedServerFixture>
{
    public const string Name = "Observed server";
}
