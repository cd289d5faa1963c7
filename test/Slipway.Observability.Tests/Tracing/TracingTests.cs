using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Slipway.Core.Diagnostics;
using Slipway.Observability.Tests.Infrastructure;
using Slipway.Server;
using Slipway.Testing;

namespace Slipway.Observability.Tests.Tracing;

/// <summary>
/// OpenTelemetry tracing end to end: a server pointed at a test-owned OTLP/HTTP receiver exports protobuf spans for
/// its HTTP requests, for model execution (in the same trace) and for a monitor run, under the configured service
/// name; with tracing off, no tracer provider exists and nothing reaches the receiver.
/// </summary>
public sealed class TracingTests
{
    private const string Secret = "observability-secret-7c1d";

    [Fact]
    public async Task Telemetry_Enabled_ExportsRequestAndInferenceSpansOverOtlpHttp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var service = "slipway-trace-" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await SlipwayTestServer.StartAsync(configure: options => PointAt(options, receiver, service, enabled: null));
        using var traffic = new ServerTraffic(server);
        var endpoint = "traced-" + Guid.NewGuid().ToString("N")[..8];
        var (runId, artifactPath) = await traffic.TrackRunAsync(endpoint + "-training");
        await traffic.LogReferenceAsync(runId, artifactPath);
        await traffic.RegisterModelAsync(endpoint + "-model", runId, artifactPath);
        await traffic.CreateEndpointAsync(endpoint, endpoint + "-model");

        await traffic.InferAsync(endpoint, "traced-request", ServerTraffic.ReferenceRows().Take(40).ToList());
        await InferenceLogProbe.WaitForRowsAsync(server, endpoint, 40);
        await traffic.PostOkAsync("api/slipway/v1/monitors", new { name = endpoint + "-drift", endpoint, reference = new { kind = "model" }, window = "1h" });
        await traffic.PostOkAsync($"api/slipway/v1/monitors/{endpoint}-drift/runs", new { });

        var inference = await receiver.WaitForSpanAsync(
            s => s.ServiceName == service && s.Name == SlipwayActivity.InferenceSpanName && s.Attributes.GetValueOrDefault("slipway.endpoint") == endpoint,
            "inference");
        Assert.Equal(SlipwayActivity.SourceName, inference.Scope);
        Assert.Equal("default", inference.Attributes["slipway.route"]);
        var request = await receiver.WaitForSpanAsync(
            s => s.ServiceName == service && s.TraceId == inference.TraceId && s.Name == "POST /v2/models/{name}/infer",
            "OIP infer request");
        Assert.Equal(2, request.Kind); // SPAN_KIND_SERVER
        Assert.Equal("/v2/models/{name}/infer", request.Attributes["http.route"]);
        Assert.Equal(request.SpanId, inference.ParentSpanId);
        await receiver.WaitForSpanAsync(s => s.ServiceName == service && s.Name == "POST /api/2.0/mlflow/runs/log-batch", "MLflow log-batch request");
        var monitorRun = await receiver.WaitForSpanAsync(
            s => s.ServiceName == service && s.Name == SlipwayActivity.MonitorRunSpanName && s.Attributes.GetValueOrDefault("slipway.monitor") == endpoint + "-drift",
            "monitor run");
        Assert.Equal("api", monitorRun.Attributes["slipway.trigger"]);
        Assert.DoesNotContain(receiver.Spans, s => s.ServiceName == service && s.Attributes.GetValueOrDefault("url.path") == "/metrics");
    }

    [Fact]
    public async Task Telemetry_PostgresBackend_ExportsNpgsqlSpansInRequestTracesButNoneForIdlePolls()
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        var service = "slipway-pg-trace-" + Guid.NewGuid().ToString("N")[..8];
        // The test server trusts local connections, so any password works; it must never appear in a span.
        var backend = new UriBuilder(database.Uri) { Password = Secret }.Uri.AbsoluteUri;
        await using var server = await SlipwayTestServer.StartAsync(backend, options => PointAt(options, receiver, service, enabled: null));
        using var traffic = new ServerTraffic(server);
        // Idle: the webhook dispatcher (every 2 s), the schedulers and the outbox gauges query the database meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(5));

        await traffic.PostOkAsync("api/2.0/mlflow/experiments/create", new { name = "pg-traced-" + Guid.NewGuid().ToString("N")[..8] });

        var request = await receiver.WaitForSpanAsync(
            s => s.ServiceName == service && s.Name == "POST /api/2.0/mlflow/experiments/create", "experiments/create request");
        var command = await receiver.WaitForSpanAsync(
            s => s.ServiceName == service && s.Scope == "Npgsql" && s.TraceId == request.TraceId, "Npgsql command in the request's trace");
        Assert.Equal("postgresql", command.Attributes["db.system.name"]);
        // Spans are exported in the order they ended, so the idle polls' spans (had they been kept) came before these.
        Assert.DoesNotContain(receiver.Spans, s => s.Scope == "Npgsql" && s.ParentSpanId.Length == 0);
        Assert.DoesNotContain(receiver.Spans, s => s.Attributes.Values.Any(v => v.Contains(Secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Telemetry_WebhookDelivery_ExportsHostButNeverThePathOrQueryOfTheUrl()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var subscriberHost = new RawHttpSubscriber();
        var service = "slipway-hook-trace-" + Guid.NewGuid().ToString("N")[..8];
        await using var server = await SlipwayTestServer.StartAsync(configure: options =>
        {
            PointAt(options, receiver, service, enabled: null);
            options.Registry.Webhooks.AllowLocalAddresses = true;
            options.Registry.Webhooks.PollInterval = TimeSpan.FromMilliseconds(200);
        });
        using var traffic = new ServerTraffic(server);
        // Shaped like a Slack incoming-webhook URL, whose last path segment is the credential, plus a query token.
        const string pathSecret = "XyZ9pathsecret4b7e";
        const string querySecret = "qUerytoken81c2";
        var subscriber = new Uri($"http://127.0.0.1:{subscriberHost.Port}/services/T0001/B0002/{pathSecret}?token={querySecret}");
        var model = "hook-traced-" + Guid.NewGuid().ToString("N")[..8];
        await traffic.PostOkAsync("api/slipway/v1/webhooks", new { name = model + "-hook", url = subscriber.AbsoluteUri, events = new[] { "registered_model.created" } });

        await traffic.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = model });

        var delivery = await receiver.WaitForSpanAsync(
            // HttpClient spans are process-wide: other tests' clients show up too, so match the subscriber's address.
            s => s.ServiceName == service && s.Kind == 3
                && s.Attributes.GetValueOrDefault("url.full", "").StartsWith(subscriber.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal),
            "webhook delivery (HttpClient)");
        Assert.Equal(subscriber.GetLeftPart(UriPartial.Authority), delivery.Attributes["url.full"]);
        Assert.Equal("127.0.0.1", delivery.Attributes["server.address"]);
        Assert.True(subscriberHost.Requests >= 1);
        foreach (var secret in new[] { pathSecret, querySecret, "/services/T0001" })
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(secret);
            Assert.False(receiver.Exports.Any(export => export.AsSpan().IndexOf(bytes) >= 0),
                $"'{secret}' was exported in: " + string.Join(", ", receiver.Spans
                    .Where(s => s.Name.Contains(secret, StringComparison.Ordinal) || s.Attributes.Values.Any(v => v.Contains(secret, StringComparison.Ordinal)))
                    .Select(s => $"{s.Scope}:{s.Name} {string.Join(";", s.Attributes.Select(a => a.Key + "=" + a.Value))}")));
        }
    }

    [Fact]
    public async Task Telemetry_Disabled_NoTracerProviderAndNothingSent()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        // The endpoint is set but Enabled is false: explicit off wins, as it does over OTEL_EXPORTER_OTLP_ENDPOINT.
        await using var server = await SlipwayTestServer.StartAsync(configure: options => PointAt(options, receiver, "slipway-off", enabled: false));
        using var traffic = new ServerTraffic(server);

        await traffic.TrackRunAsync("untraced-" + Guid.NewGuid().ToString("N")[..8]);
        await traffic.ScrapeAsync();

        Assert.Null(server.Services.GetService<TracerProvider>());
        Assert.False(server.Services.GetRequiredService<Slipway.Server.Telemetry.ResolvedTelemetry>().Enabled);
        // Export batches leave every 100 ms when tracing is on; a second is ten export periods with nothing sent.
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(0, receiver.Requests);
    }

    [Fact]
    public async Task Telemetry_DefaultOptions_NoTracerProvider()
    {
        await using var server = await SlipwayTestServer.StartAsync();

        Assert.Null(server.Services.GetService<TracerProvider>());
    }

    private static void PointAt(SlipwayServerOptions options, OtlpReceiver receiver, string service, bool? enabled)
    {
        options.Telemetry.Enabled = enabled;
        options.Telemetry.OtlpEndpoint = receiver.BaseAddress.ToString();
        options.Telemetry.ServiceName = service;
        options.Telemetry.ExportDelay = TimeSpan.FromMilliseconds(100);
    }
}
