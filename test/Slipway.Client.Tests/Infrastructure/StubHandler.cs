using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Client.Tests.Infrastructure;

/// <summary>A request the stub received, with its body read as text.</summary>
public sealed record RecordedRequest(HttpMethod Method, Uri Uri, string? Body, string? MediaType)
{
    public string Path => Uri.AbsolutePath;

    public JsonElement Json => JsonDocument.Parse(Body ?? "{}").RootElement;
}

/// <summary>An in-memory HTTP server stand-in for wire-format unit tests: records requests, answers through a delegate.</summary>
public sealed class StubHandler(Func<RecordedRequest, HttpResponseMessage> respond) : HttpMessageHandler
{
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
                return _requests.ToList();
        }
    }

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A client whose every request goes to <paramref name="handler"/>.</summary>
    public static SlipwayClient CreateClient(StubHandler handler, string baseAddress = "http://slipway.test/") =>
        new(new Uri(baseAddress), handler);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, body, request.Content?.Headers.ContentType?.MediaType);
        lock (_requests)
            _requests.Add(recorded);
        return respond(recorded);
    }
}

/// <summary>Answers the few MLflow routes a run scope needs, so run-scope behaviour can be checked without a server.</summary>
public static class FakeTracking
{
    public const string RunId = "0123456789abcdef0123456789abcdef";

    public static StubHandler Create() => new(Respond);

    public static int CountMetrics(RecordedRequest request) =>
        request.Json.TryGetProperty("metrics", out var metrics) ? metrics.GetArrayLength() : 0;

    private static HttpResponseMessage Respond(RecordedRequest request) => request.Path switch
    {
        "/api/2.0/mlflow/experiments/get-by-name" => StubHandler.Json("""{"experiment":{"experiment_id":"1","name":"exp","lifecycle_stage":"active"}}"""),
        "/api/2.0/mlflow/runs/create" => StubHandler.Json($$$$"""{"run":{"info":{"run_id":"{{{{RunId}}}}","experiment_id":"1","status":"RUNNING","start_time":1,"artifact_uri":"mlflow-artifacts:/1/{{{{RunId}}}}/artifacts","lifecycle_stage":"active"},"data":{}}}"""),
        "/api/2.0/mlflow/runs/update" => StubHandler.Json($$$$"""{"run_info":{"run_id":"{{{{RunId}}}}","experiment_id":"1","status":{{{{request.Json.GetProperty("status").GetRawText()}}}},"start_time":1,"end_time":2,"artifact_uri":"mlflow-artifacts:/1/{{{{RunId}}}}/artifacts","lifecycle_stage":"active"}}"""),
        "/api/2.0/mlflow/runs/log-batch" => StubHandler.Json("{}"),
        _ => StubHandler.Json("""{"error_code":"ENDPOINT_NOT_FOUND","message":"not faked"}""", HttpStatusCode.NotFound),
    };
}
