using static Slipway.Server.Tests.Infrastructure.MlflowError;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// The endpoint control plane under <c>/api/slipway/v1/endpoints</c>: spec validation (names, weights, model references,
/// batching, sample rate), the name in a PUT body against the URL, and unknown endpoints.
/// </summary>
public static partial class BadInputCases
{
    private const string EndpointsPath = Governance + "endpoints";
    private const string UnknownEndpoint = "no-such-endpoint";

    private static IEnumerable<BadInputCase> EndpointRoutes()
    {
        foreach (var row in FeedbackRoutes())
            yield return row;
        foreach (var row in NotJsonObjects("POST", EndpointsPath, "endpoint"))
            yield return row;
        var specs = new (string Name, string Json)[]
        {
            ("without a name", """{"routes": [{"model": "models:/m/1"}]}"""),
            ("with an invalid name", """{"name": "-bad name", "routes": [{"model": "models:/m/1"}]}"""),
            ("without routes", """{"name": "e"}"""),
            ("with no routes", """{"name": "e", "routes": []}"""),
            ("with routes an object", """{"name": "e", "routes": {"model": "models:/m/1"}}"""),
            ("with two routes of one name", """{"name": "e", "routes": [{"name": "a", "model": "models:/m/1"}, {"name": "a", "model": "models:/m/2"}]}"""),
            ("with weight 101", """{"name": "e", "routes": [{"model": "models:/m/1", "weight": 101}]}"""),
            ("with a string weight", """{"name": "e", "routes": [{"model": "models:/m/1", "weight": "heavy"}]}"""),
            ("with weights adding up to 0", """{"name": "e", "routes": [{"model": "models:/m/1", "weight": 0}]}"""),
            ("reading a server file", """{"name": "e", "routes": [{"model": "/etc/passwd"}]}"""),
            ("with a traversal path", """{"name": "e", "routes": [{"model": "../../etc"}]}"""),
            ("with an s3 model", """{"name": "e", "routes": [{"model": "s3://bucket/model"}]}"""),
            ("with version 0", """{"name": "e", "routes": [{"model": "models:/m/0"}]}"""),
            ("with a shadow without a model", """{"name": "e", "routes": [{"model": "models:/m/1"}], "shadow": {"name": "s"}}"""),
            ("with an invalid sticky header", """{"name": "e", "routes": [{"model": "models:/m/1"}], "sticky_header": "X User"}"""),
            ("with max_batch_size 0", """{"name": "e", "routes": [{"model": "models:/m/1"}], "batching": {"max_batch_size": 0}}"""),
            ("with a 2 s queue delay", """{"name": "e", "routes": [{"model": "models:/m/1"}], "batching": {"max_batch_size": 8, "max_queue_delay_ms": 2000}}"""),
            ("with log_sample_rate 2", """{"name": "e", "routes": [{"model": "models:/m/1"}], "log_sample_rate": 2}"""),
        };
        foreach (var (name, json) in specs)
            yield return Send("POST endpoint " + name, "POST", EndpointsPath, json, 400, InvalidParameterValue);

        yield return Send("GET an unknown endpoint", "GET", $"{EndpointsPath}/{UnknownEndpoint}", null, 404, ResourceDoesNotExist);
        foreach (var row in NotJsonObjects("PUT", $"{EndpointsPath}/{UnknownEndpoint}", "endpoint"))
            yield return row;
        yield return Send("PUT an endpoint under another name", "PUT", $"{EndpointsPath}/{UnknownEndpoint}",
            """{"name": "other", "routes": [{"model": "models:/m/1"}]}""", 400, InvalidParameterValue);
        yield return Send("PUT an unknown endpoint", "PUT", $"{EndpointsPath}/{UnknownEndpoint}", """{"routes": [{"model": "models:/m/1"}]}""", 404, ResourceDoesNotExist);
        yield return Send("DELETE an unknown endpoint", "DELETE", $"{EndpointsPath}/{UnknownEndpoint}", null, 404, ResourceDoesNotExist);
        yield return Send("GET stats of an unknown endpoint", "GET", $"{EndpointsPath}/{UnknownEndpoint}/stats", null, 404, ResourceDoesNotExist);
    }

    /// <summary>Feedback and the inference-log listing: unknown endpoints, malformed label lists, bad dates.</summary>
    private static IEnumerable<BadInputCase> FeedbackRoutes()
    {
        var feedback = $"{EndpointsPath}/{UnknownEndpoint}/feedback";
        yield return Send("POST feedback to an unknown endpoint", "POST", feedback, """{"labels": [{"request_id": "r1", "label": "1"}]}""", 404, ResourceDoesNotExist);
        yield return Send("POST feedback with malformed JSON", "POST", feedback, "{", 400, BadRequest, InvalidParameterValue);
        yield return Send("POST feedback without labels (the endpoint is looked up first)", "POST", feedback, "{}", 404, ResourceDoesNotExist);
        yield return Send("GET inference-log of an unknown endpoint", "GET", $"{EndpointsPath}/{UnknownEndpoint}/inference-log", null, 404, ResourceDoesNotExist);
        yield return Send("GET inference-log with a bad date (the endpoint is looked up first)", "GET", $"{EndpointsPath}/{UnknownEndpoint}/inference-log?date=yesterday", null, 404, ResourceDoesNotExist);
    }
}
