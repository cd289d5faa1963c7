using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// Serving: the endpoint control plane, feedback, batch predictions (endpoint permissions), and the data plane: OIP REST
/// under <c>/v2</c>, MLflow scoring per endpoint and at the root, and the OIP gRPC methods (READ on the endpoint).
/// </summary>
public static partial class RouteRecipes
{
    private const string Infer = """{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 30], "data": {firstRow}}]}""";

    private static IEnumerable<RouteRecipe> Serving()
    {
        const string s = Slipway;
        // carol holds READ on alice's model, so she may serve it from an endpoint of her own; she removes it afterwards,
        // because the root scoring routes answer only while exactly one endpoint exists.
        yield return Rest("POST", s + "endpoints", s + "endpoints", """{"name": "matrix-carol-{unique}", "routes": [{"model": "models:/{model}/1"}]}""", Creates) with
        {
            Cleanup = DeleteCreatedAsync("endpoints"),
        };
        yield return new RouteRecipe($"GET {s}endpoints", s + "endpoints", List) { Hidden = "{endpoint}" };
        yield return Rest("GET", s + "endpoints/{name}", s + "endpoints/{endpoint}", null, Resource);
        yield return Rest("GET", s + "endpoints/{name}/stats", s + "endpoints/{endpoint}/stats", null, Resource);
        yield return Rest("PUT", s + "endpoints/{name}", s + "endpoints/{endpoint}", """{"name": "{endpoint}", "routes": [{"model": "models:/{model}/1"}]}""", Resource);
        yield return Rest("DELETE", s + "endpoints/{name}", s + "endpoints/{fresh}", null, Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var name = MatrixFixture.Unique("matrix-fresh-ep");
                await fixture.CallOkAsync(Caller.Alice, "POST", Slipway + "endpoints", fixture.Expand($$"""{"name": "{{name}}", "routes": [{"model": "models:/{model}/1"}]}"""));
                return name;
            }),
        };
        yield return Rest("POST", s + "endpoints/{name}/feedback", s + "endpoints/{endpoint}/feedback", """{"labels": [{"request_id": "r-{unique}", "label": "1"}]}""", Resource);
        yield return Rest("GET", s + "endpoints/{name}/inference-log", s + "endpoints/{endpoint}/inference-log", null, Resource);
        yield return Rest("POST", s + "batch-predictions", s + "batch-predictions",
            """{"model": "models:/{model}/1", "input": "mlflow-artifacts:/{exp}/{run}/artifacts/batch.csv", "output": "mlflow-artifacts:/{exp}/{run}/artifacts/out-{unique}.parquet"}""", Resource);
        yield return new RouteRecipe($"GET {s}batch-predictions", s + "batch-predictions", List) { Hidden = "{batch}" };
        yield return Rest("GET", s + "batch-predictions/{id}", s + "batch-predictions/{batch}", null, Resource);
    }

    private static IEnumerable<RouteRecipe> Inference()
    {
        // Liveness and readiness are for load balancers and orchestrators, which carry no credentials.
        yield return new RouteRecipe("GET /v2/health/live", "/v2/health/live", Anonymous);
        yield return new RouteRecipe("GET /v2/health/ready", "/v2/health/ready", Anonymous);
        yield return new RouteRecipe("GET /v2", "/v2", SignedIn);
        yield return new RouteRecipe("* /v2/{**rest}", "/v2/no-such-route", SignedIn) { Status = 404 };
        foreach (var (pattern, target) in new[] { ("/v2/models/{name}", "/v2/models/{endpoint}"), ("/v2/models/{name}/versions/{version}", "/v2/models/{endpoint}/versions/{servedVersion}") })
        {
            yield return new RouteRecipe("GET " + pattern, target, Resource);
            yield return new RouteRecipe($"GET {pattern}/ready", target + "/ready", Resource);
            yield return new RouteRecipe($"POST {pattern}/infer", target + "/infer", Resource) { Body = Infer, BodyKind = BodyKind.Json };
        }
        foreach (var (prefix, target) in new[] { ("/endpoints/{name}", "/endpoints/{endpoint}"), ("", "") })
        {
            yield return new RouteRecipe($"POST {prefix}/invocations", target + "/invocations", Resource) { Body = """{"inputs": {exampleRows}}""", BodyKind = BodyKind.Json };
            foreach (var probe in new[] { "ping", "health", "version" })
                yield return new RouteRecipe($"GET {prefix}/{probe}", $"{target}/{probe}", Resource);
        }

        // What a `slipway serve` replica asks the control plane about a caller's credentials: the endpoint's own rule.
        yield return Rest("POST", AdminApi + "endpoints/{name}/verify-token", AdminApi + "endpoints/{endpoint}/verify-token", "{}", Resource) with { ApiOnly = true };

        const string grpc = "POST /inference.GRPCInferenceService/";
        // gRPC answers unknown methods and services itself (UNIMPLEMENTED), but only to a signed-in caller.
        yield return new RouteRecipe("* /inference.GRPCInferenceService/{unimplementedMethod}", "grpc:NoSuchMethod", SignedIn) { Status = (int)Grpc.Core.StatusCode.Unimplemented };
        yield return new RouteRecipe("* /{unimplementedService}/{unimplementedMethod}", "grpc:no.such.Service/NoSuchMethod", SignedIn) { Status = (int)Grpc.Core.StatusCode.Unimplemented };
        // The gRPC twins of /v2/health/*: probes without credentials.
        yield return new RouteRecipe(grpc + "ServerLive", "grpc:ServerLive", Anonymous);
        yield return new RouteRecipe(grpc + "ServerReady", "grpc:ServerReady", Anonymous);
        yield return new RouteRecipe(grpc + "ServerMetadata", "grpc:ServerMetadata", SignedIn);
        yield return new RouteRecipe(grpc + "ModelReady", "grpc:ModelReady", Resource);
        yield return new RouteRecipe(grpc + "ModelMetadata", "grpc:ModelMetadata", Resource);
        yield return new RouteRecipe(grpc + "ModelInfer", "grpc:ModelInfer", Resource);
    }

    /// <summary>A cleanup that deletes what the recipe's caller created, read from the name in the recipe's body.</summary>
    private static Func<MatrixFixture, IReadOnlyDictionary<string, string>, Task> DeleteCreatedAsync(string collection) => async (fixture, created) =>
    {
        if (created.TryGetValue("created", out var name))
            await fixture.CallOkAsync(Caller.Carol, "DELETE", $"{Slipway}{collection}/{name}", null);
    };
}
