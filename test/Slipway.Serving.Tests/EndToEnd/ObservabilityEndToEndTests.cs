using System.Net;

namespace Slipway.Serving.Tests.EndToEnd;

/// <summary>
/// What operators see of a served endpoint on the real server: Prometheus series per endpoint, route and protocol
/// (requests, errors by code, latency, batch sizes, model load time and memory), the endpoint in the served model
/// version's lineage, and its creation in the audit trail.
/// </summary>
public sealed class ObservabilityEndToEndTests
{
    private const string Model = "logreg_breast_cancer";

    [Fact]
    public async Task RequestsOnEveryProtocol_CountedPerRouteAndProtocol_WithLatencyBatchSizesErrorsAndModelGauges()
    {
        await using var server = await ServingServer.StartAsync();
        var version = await server.RegisterKitModelAsync("metered-model", Model);
        await server.SetAliasAsync("metered-model", "champion", version);
        await server.CreateEndpointAsync(new { name = "metered", routes = new[] { new { name = "main", model = "models:/metered-model@champion" } } });
        var golden = GoldenAnswers.Read(Model);
        var oip = golden.Oip.GetProperty("request").GetRawText();
        var invocations = golden.Root.GetProperty("mlflow_model").GetProperty("invocations").GetProperty("request").GetRawText();
        var wrongShape = """{"inputs":[{"name":"input","shape":[1,29],"datatype":"FP32","data":[""" + string.Join(",", Enumerable.Repeat("0.5", 29)) + "]}]}";

        for (var i = 0; i < 5; i++)
            await ServingServer.ReadOkAsync(await server.PostRawAsync("v2/models/metered/infer", oip), "infer");
        for (var i = 0; i < 2; i++)
            await server.Grpc.ModelInferAsync(GoldenAnswers.ToGrpc("metered", golden.Oip.GetProperty("request"), raw: i == 1));
        await ServingServer.ReadOkAsync(await server.PostRawAsync("endpoints/metered/invocations", invocations), "invocations");
        using var bad = await server.PostRawAsync("v2/models/metered/infer", wrongShape);
        var metrics = await MetricsText.ReadAsync(server);

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        const string route = "endpoint=\"metered\",route=\"main\"";
        Assert.Equal(6, metrics.Value("slipway_inference_requests_total", route + ",protocol=\"oip-rest\""));
        Assert.Equal(2, metrics.Value("slipway_inference_requests_total", route + ",protocol=\"oip-grpc\""));
        Assert.Equal(1, metrics.Value("slipway_inference_requests_total", route + ",protocol=\"mlflow\""));
        Assert.Equal(1, metrics.Value("slipway_inference_errors_total", "endpoint=\"metered\",code=\"INVALID_PARAMETER_VALUE\""));
        Assert.Equal(8, metrics.Value("slipway_inference_duration_seconds_count", route));
        Assert.True(metrics.Value("slipway_inference_duration_seconds_sum", route) > 0);
        Assert.Equal(8, metrics.Value("slipway_inference_duration_seconds_bucket", route + ",le=\"+Inf\""));
        // Without batching every request that runs is its own batch of 3 rows; the rejected one never ran.
        Assert.Equal(8, metrics.Value("slipway_inference_batch_size_count", route));
        Assert.Equal(24, metrics.Value("slipway_inference_batch_size_sum", route));
        Assert.True(metrics.Value("slipway_model_load_seconds", "model=\"metered-model\",version=\"1\"") > 0);
        Assert.True(metrics.Value("slipway_model_memory_bytes", "model=\"metered-model\",version=\"1\"") > 0);
    }

    [Fact]
    public async Task ServedVersion_LineageHasEndpointServingIt_AuditHasCreation()
    {
        await using var server = await ServingServer.StartAsync();
        var version = await server.RegisterKitModelAsync("traced-model", Model);
        await server.SetAliasAsync("traced-model", "champion", version);
        await server.CreateEndpointAsync(new { name = "traced", routes = new[] { new { model = "models:/traced-model@champion" } } });

        var lineage = await server.GetOkAsync("api/slipway/v1/lineage/models/traced-model/versions/1");
        var audit = await server.GetOkAsync("api/slipway/v1/audit?resource=endpoints/traced");

        var endpoint = Assert.Single(lineage.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("type").GetString() == "endpoint");
        Assert.Equal("endpoint:traced", endpoint.GetProperty("id").GetString());
        var versionNode = Assert.Single(lineage.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("type").GetString() == "model_version");
        Assert.Contains(lineage.GetProperty("edges").EnumerateArray(), e =>
            e.GetProperty("from").GetString() == "endpoint:traced"
            && e.GetProperty("to").GetString() == versionNode.GetProperty("id").GetString()
            && e.GetProperty("relation").GetString() == "serves");
        Assert.Contains("endpoint.created", audit.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
    }
}
