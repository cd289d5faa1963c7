using System.Text;
using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The bad-input table: every route the server maps, with the answer MLflow gives (see shared/reference/mlflow-rest-api.md
/// and the "Reference behaviours worth knowing" of shared/conformance/mlflow/README.md): wrong types and missing required
/// fields are 400 INVALID_PARAMETER_VALUE, unknown ids 404 RESOURCE_DOES_NOT_EXIST, unknown routes 404 ENDPOINT_NOT_FOUND.
/// A body that is not a JSON object is a 400 whose code MLflow leaves open (BAD_REQUEST or INVALID_PARAMETER_VALUE).
/// Where the reference server is sloppier than its own contract (a 500 for <c>"value": {}</c>, an unknown enum silently
/// ignored), the row holds the contract: a 400, because clients retry 5xx and never see the mistake. Registry and
/// governance rows add 403 PERMISSION_DENIED for changes an approval policy reserves to approval requests. Serving rows
/// speak their own protocols: OIP REST under <c>/v2</c> answers <c>{"error"}</c> alone (<see cref="ErrorFormat.Oip"/>),
/// MLflow scoring (<c>/invocations</c>) MLflow's error with 400 BAD_REQUEST for input the model cannot take.
/// <see cref="BadInputTests.Cases_EveryMappedRoute_HasAtLeastOneRow"/> checks the table against the server's route table.
/// </summary>
public static partial class BadInputCases
{
    public const string Api = "/api/2.0/mlflow/";
    public const string Ajax = "/ajax-api/2.0/mlflow/";
    public const string Proxy = "/api/2.0/mlflow-artifacts/";
    public const string UnknownRun = "ffffffffffffffffffffffffffffffff";
    public const string UnknownExperiment = "987654321";
    public const string MalformedJson = """{"run_id": "{run}", "key": """;

    private const int BodyLimitBytes = 16 * 1024 * 1024;
    private const int OversizedRunIdOffset = 12; // {"run_id": "<32 hex>"
    private static readonly string[] NotAnObject = [BadRequest, InvalidParameterValue];
    private static readonly Lazy<byte[]> OversizedBatch = new(BuildOversizedBatch);

    public static IReadOnlyList<BadInputCase> All { get; } =
        [.. Experiments(), .. Runs(), .. Logging(), .. Search(), .. Artifacts(), .. Routing(), .. Registry(), .. GovernanceRoutes(), .. EndpointRoutes(), .. BatchJobRoutes(),
            .. OipRoutes(), .. ScoringRoutes(), .. MonitorRoutes(), .. PipelineRoutes(), .. SecurityRoutes()];

    public static BadInputCase Find(string name) => All.Single(c => c.Name == name);

    private static BadInputCase Post(string name, string rpc, string json, int status, params string[] codes) =>
        new(name, "POST", Api + rpc, BadInputCase.Json(json), status, codes);

    private static BadInputCase Get(string name, string rpcAndQuery, int status, params string[] codes) =>
        new(name, "GET", Api + rpcAndQuery, null, status, codes);

    /// <summary>Any method and full target; a null <paramref name="json"/> sends no body.</summary>
    private static BadInputCase Send(string name, string method, string target, string? json, int status, params string[] codes) =>
        new(name, method, target, json is null ? null : BadInputCase.Json(json), status, codes);

    /// <summary>The same RPC with a truncated body and with a JSON array instead of an object.</summary>
    private static IEnumerable<BadInputCase> NotJsonObjects(string rpc)
    {
        yield return new($"{rpc}: malformed JSON", "POST", Api + rpc, BadInputCase.Json(MalformedJson), 400, NotAnObject);
        yield return new($"{rpc}: JSON array body", "POST", Api + rpc, BadInputCase.Json("""[{"run_id": "{run}"}]"""), 400, NotAnObject);
    }

    /// <summary><see cref="NotJsonObjects(string)"/> for any method and target; <paramref name="label"/> names the rows.</summary>
    private static IEnumerable<BadInputCase> NotJsonObjects(string method, string target, string label)
    {
        yield return Send($"{method} {label}: malformed JSON", method, target, MalformedJson, 400, NotAnObject);
        yield return Send($"{method} {label}: JSON array body", method, target, """[{"name": "{model}"}]""", 400, NotAnObject);
    }

    /// <summary>A valid body sent as text/plain: MLflow's content type check of JSON POSTs.</summary>
    private static BadInputCase WrongContentType(string rpc, string json) =>
        new($"{rpc} with Content-Type text/plain", "POST", Api + rpc, BadInputCase.Text(json, "text/plain"), 400, [InvalidParameterValue]);

    private static IEnumerable<BadInputCase> Routing()
    {
        yield return Get("unknown route under /api/2.0/mlflow", "no-such-endpoint", 404, EndpointNotFound);
        yield return Post("unknown POST route under runs/", "runs/no-such-rpc", """{"run_id": "{run}"}""", 404, EndpointNotFound);
        yield return new("unknown route under /ajax-api/2.0/mlflow", "GET", Ajax + "no-such-endpoint", null, 404, [EndpointNotFound]);
        yield return new("unknown route under /api/2.0/mlflow-artifacts", "GET", Proxy + "no-such-endpoint", null, 404, [EndpointNotFound]);
        // The proto declares one method per RPC; another method on the same path is an endpoint that does not exist.
        // (Flask answers 405 in HTML; clients only understand ENDPOINT_NOT_FOUND, e.g. GetLatestVersions' POST-then-GET fallback.)
        yield return Get("GET on the POST-only runs/log-metric", "runs/log-metric?run_id={run}&key=m&value=1&timestamp=1", 404, EndpointNotFound);
        yield return new("ajax-api runs/get of an unknown run", "GET", Ajax + "runs/get?run_id=" + UnknownRun, null, 404, [ResourceDoesNotExist]);
        yield return new("ajax-api log-metric without key", "POST", Ajax + "runs/log-metric",
            BadInputCase.Json("""{"run_id": "{run}", "value": 1, "timestamp": 1}"""), 400, [InvalidParameterValue]);

        // Recent MLflow servers check the JSON content type of POST bodies (mlflow/server/validation.py).
        yield return new("experiments/create with Content-Type text/plain", "POST", Api + "experiments/create",
            BadInputCase.Text("""{"name": "evil-ct-{marker}"}""", "text/plain"), 400, [InvalidParameterValue]);
        yield return new("experiments/create without Content-Type", "POST", Api + "experiments/create",
            BadInputCase.Text("""{"name": "evil-noct-{marker}"}""", null), 400, [InvalidParameterValue]);

        // Slipway's own JSON body limit (MLflow sets none): any 4xx in MLflow's error shape, never a 5xx or a reset.
        yield return new("log-batch body over 16 MiB with Content-Length", "POST", Api + "runs/log-batch",
            fixture => Oversized(fixture), AnyClientError, []);
        yield return new("log-batch body over 16 MiB sent chunked", "POST", Api + "runs/log-batch",
            fixture => Oversized(fixture), AnyClientError, [], Chunked: true);
    }

    private static ByteArrayContent Oversized(BadInputFixture fixture)
    {
        // The fixture's run id replaces the placeholder run id in place (same length), so the oversized body is built once.
        var bytes = OversizedBatch.Value;
        Encoding.ASCII.GetBytes(fixture.RunId).CopyTo(bytes, OversizedRunIdOffset);
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    private static byte[] BuildOversizedBatch()
    {
        var builder = new StringBuilder(BodyLimitBytes + (1024 * 1024));
        builder.Append("{\"run_id\": \"").Append(UnknownRun).Append("\", \"params\": [{\"key\": \"huge\", \"value\": \"");
        builder.Append('a', BodyLimitBytes + (512 * 1024));
        builder.Append("\"}]}");
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    /// <summary>A log-batch body with the given numbers of metrics, params and tags (distinct keys).</summary>
    private static string Batch(int metrics, int parameters, int tags)
    {
        var builder = new StringBuilder("""{"run_id": "{run}", "metrics": [""");
        for (var i = 0; i < metrics; i++)
            builder.Append(i == 0 ? "" : ",").Append($$"""{"key": "bm{{i}}", "value": {{i}}, "timestamp": 1, "step": 0}""");
        builder.Append("""], "params": [""");
        for (var i = 0; i < parameters; i++)
            builder.Append(i == 0 ? "" : ",").Append($$"""{"key": "bp{{i}}", "value": "v"}""");
        builder.Append("""], "tags": [""");
        for (var i = 0; i < tags; i++)
            builder.Append(i == 0 ? "" : ",").Append($$"""{"key": "bt{{i}}", "value": "v"}""");
        return builder.Append("]}").ToString();
    }
}
