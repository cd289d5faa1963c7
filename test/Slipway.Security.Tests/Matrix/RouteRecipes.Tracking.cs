using static Slipway.Security.Tests.Matrix.RouteAccess;

namespace Slipway.Security.Tests.Matrix;

/// <summary>MLflow tracking: experiments, runs, logging, search, and the artifact proxy (experiment permissions).</summary>
public static partial class RouteRecipes
{
    private static IEnumerable<RouteRecipe> Tracking()
    {
        const string m = Mlflow;
        yield return Rpc(m, "POST", "experiments/create", """{"name": "matrix-carol-{unique}"}""", Creates);
        yield return Rpc(m, "GET", "experiments/get", "experiment_id={exp}", Resource);
        yield return Rpc(m, "GET", "experiments/get-by-name", "experiment_name={expName}", Resource);
        yield return Rpc(m, "POST", "experiments/search", """{"max_results": 1000}""", List) with { Hidden = "{expName}" };
        yield return Rpc(m, "GET", "experiments/search", "max_results=1000", List) with { Hidden = "{expName}" };
        yield return Rpc(m, "GET", "experiments/list", "max_results=1000", List) with { Hidden = "{expName}" };
        yield return Rpc(m, "POST", "experiments/update", """{"experiment_id": "{fresh}", "new_name": "matrix-renamed-{unique}"}""", Resource) with { Setup = Fresh(NewExperimentAsync) };
        yield return Rpc(m, "POST", "experiments/delete", """{"experiment_id": "{fresh}"}""", Resource) with { Setup = Fresh(NewExperimentAsync) };
        yield return Rpc(m, "POST", "experiments/restore", """{"experiment_id": "{fresh}"}""", Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var id = await NewExperimentAsync(fixture);
                await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "experiments/delete", new { experiment_id = id });
                return id;
            }),
        };
        yield return Rpc(m, "POST", "experiments/set-experiment-tag", """{"experiment_id": "{exp}", "key": "k", "value": "v"}""", Resource);
        yield return Rpc(m, "POST", "experiments/delete-experiment-tag", """{"experiment_id": "{exp}", "key": "gone"}""", Resource) with
        {
            Setup = Prepare(fixture => fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "experiments/set-experiment-tag",
                new { experiment_id = fixture.Expand("{exp}"), key = "gone", value = "v" })),
        };

        yield return Rpc(m, "POST", "runs/create", """{"experiment_id": "{exp}", "start_time": 1}""", Resource);
        yield return Rpc(m, "GET", "runs/get", "run_id={run}", Resource);
        yield return Rpc(m, "POST", "runs/update", """{"run_id": "{run}", "status": "RUNNING"}""", Resource);
        yield return Rpc(m, "POST", "runs/delete", """{"run_id": "{fresh}"}""", Resource) with { Setup = Fresh(NewRunAsync) };
        yield return Rpc(m, "POST", "runs/restore", """{"run_id": "{fresh}"}""", Resource) with
        {
            Setup = Fresh(async fixture =>
            {
                var id = await NewRunAsync(fixture);
                await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "runs/delete", new { run_id = id });
                return id;
            }),
        };
        yield return Rpc(m, "POST", "runs/log-metric", """{"run_id": "{run}", "key": "m", "value": 2, "timestamp": 2, "step": 1}""", Resource);
        yield return Rpc(m, "POST", "runs/log-parameter", """{"run_id": "{run}", "key": "p", "value": "1"}""", Resource);
        yield return Rpc(m, "POST", "runs/set-tag", """{"run_id": "{run}", "key": "t", "value": "v"}""", Resource);
        yield return Rpc(m, "POST", "runs/delete-tag", """{"run_id": "{run}", "key": "gone"}""", Resource) with
        {
            Setup = Prepare(fixture => fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "runs/set-tag", new { run_id = fixture.Expand("{run}"), key = "gone", value = "v" })),
        };
        yield return Rpc(m, "POST", "runs/log-batch", """{"run_id": "{run}", "metrics": [{"key": "b", "value": 1, "timestamp": 1, "step": 0}]}""", Resource);
        yield return Rpc(m, "POST", "runs/log-inputs",
            """{"run_id": "{run}", "datasets": [{"dataset": {"name": "d", "digest": "abc", "source_type": "local", "source": "{}"}}]}""", Resource);
        yield return Rpc(m, "POST", "runs/log-model", """{"run_id": "{run}", "model_json": "{\"artifact_path\": \"model\", \"run_id\": \"{run}\", \"utc_time_created\": \"2026-01-01 00:00:00.000000\", \"flavors\": {\"python_function\": {}}}"}""", Resource);
        yield return Rpc(m, "POST", "runs/search", """{"experiment_ids": ["{exp}"]}""", Resource);
        yield return Rpc(m, "GET", "runs/search", "experiment_ids={exp}", Resource);
        yield return Rpc(m, "GET", "metrics/get-history", "run_id={run}&metric_key=m", Resource);
        yield return Rpc(m, "GET", "artifacts/list", "run_id={run}", Resource);

        // Anything else under /api answers ENDPOINT_NOT_FOUND, but only to a signed-in caller: the fallback tells
        // strangers nothing about which routes exist.
        yield return new RouteRecipe("* /api/{**rest}", "/api/2.0/mlflow/no-such-route", SignedIn) { Status = 404 };
    }

    private static IEnumerable<RouteRecipe> Artifacts()
    {
        const string proxy = "/api/2.0/mlflow-artifacts/";
        const string file = proxy + "artifacts/{exp}/{run}/artifacts/keep.txt";
        yield return new RouteRecipe($"PUT {proxy}artifacts/{{**path}}", proxy + "artifacts/{exp}/{run}/artifacts/put-{unique}.txt", Resource) { Body = "uploaded", BodyKind = BodyKind.Text };
        yield return new RouteRecipe($"GET {proxy}artifacts/{{**path}}", file, Resource);
        yield return new RouteRecipe($"HEAD {proxy}artifacts/{{**path}}", file, Resource);
        yield return new RouteRecipe($"GET {proxy}artifacts", proxy + "artifacts?path={exp}/{run}/artifacts", Resource);
        yield return new RouteRecipe($"DELETE {proxy}artifacts/{{**path}}", proxy + "artifacts/{exp}/{run}/artifacts/{fresh}", Resource)
        {
            Setup = Fresh(async fixture =>
            {
                var name = MatrixFixture.Unique("delete-me") + ".txt";
                await fixture.PutArtifactAsync(fixture.Expand("{exp}/{run}/artifacts/") + name, "x"u8.ToArray());
                return name;
            }),
        };
        // Multipart uploads are not supported: the permitted caller gets MLflow's 501, which clients take as "use one PUT".
        var bodies = new Dictionary<string, string>
        {
            ["create"] = """{"path": "big.bin", "num_parts": 2}""",
            ["complete"] = """{"path": "big.bin", "upload_id": "u1", "parts": [{"part_number": 1, "etag": "e"}]}""",
            ["abort"] = """{"path": "big.bin", "upload_id": "u1"}""",
        };
        foreach (var (action, body) in bodies)
            yield return new RouteRecipe($"POST {proxy}mpu/{action}/{{**path}}", proxy + $"mpu/{action}/{{exp}}/{{run}}/artifacts/big.bin", Resource) { Body = body, BodyKind = BodyKind.Json, Status = 501 };
    }

    private static async Task<string> NewExperimentAsync(MatrixFixture fixture) =>
        (await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "experiments/create", new { name = MatrixFixture.Unique("matrix-fresh") }))
            .GetProperty("experiment_id").GetString()!;

    private static async Task<string> NewRunAsync(MatrixFixture fixture) =>
        (await fixture.CallOkAsync(Caller.Alice, "POST", Mlflow + "runs/create", new { experiment_id = fixture.Expand("{exp}"), start_time = 1 }))
            .GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
}
