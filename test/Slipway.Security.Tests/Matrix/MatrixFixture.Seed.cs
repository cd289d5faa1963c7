using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// What alice owns, each created by her so that she holds MANAGE as its creator: an experiment with a run (a param, a
/// metric, a tag, an artifact and the conformance kit's breast-cancer ONNX model as an MLflow model), a registered model
/// with version 1 (alias <c>champion</c>, a card), a governed model whose alias needs an approval (with a pending
/// request), an endpoint serving the model, a monitor of it with one finished run, a pipeline with one run and a batch
/// prediction job; the admin adds a webhook. carol gets READ on the experiment, the model and the endpoint, so that she
/// can create endpoints and monitors of her own on them (a monitor's reference data is an artifact of the run).
/// </summary>
public partial class MatrixFixture
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(90);

    private async Task SeedAsync()
    {
        const Caller alice = Caller.Alice;
        var experimentName = Unique("matrix-exp");
        var experimentId = (await CallOkAsync(alice, "POST", "/api/2.0/mlflow/experiments/create", new { name = experimentName })).GetProperty("experiment_id").GetString()!;
        Set("exp", experimentId);
        Set("expName", experimentName);
        var run = await CallOkAsync(alice, "POST", "/api/2.0/mlflow/runs/create", new { experiment_id = experimentId, start_time = 1 });
        var runId = run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        Set("run", runId);
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/runs/log-parameter", new { run_id = runId, key = "p", value = "1" });
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/runs/log-metric", new { run_id = runId, key = "m", value = 1.5, timestamp = 1, step = 0 });
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/runs/set-tag", new { run_id = runId, key = "t", value = "v" });
        await PutArtifactAsync($"{experimentId}/{runId}/artifacts/keep.txt", "keep"u8.ToArray());
        await PutArtifactAsync($"{experimentId}/{runId}/artifacts/ref.csv", "a,b\n1,2\n3,4\n"u8.ToArray());
        var modelFolder = Path.Combine(RepositoryRoot(), "test", "Slipway.Serving.Tests", "TestData", "onnx", "logreg_breast_cancer", "mlflow_model");
        foreach (var file in Directory.EnumerateFiles(modelFolder).Order(StringComparer.Ordinal))
            await PutArtifactAsync($"{experimentId}/{runId}/artifacts/model/{Path.GetFileName(file)}", await File.ReadAllBytesAsync(file));
        var example = (await File.ReadAllTextAsync(Path.Combine(modelFolder, "input_example.json"))).Trim();
        Set("exampleRows", example);
        using (var rows = JsonDocument.Parse(example))
            Set("firstRow", rows.RootElement[0].GetRawText());
        await PutArtifactAsync($"{experimentId}/{runId}/artifacts/batch.csv", BatchInput(await File.ReadAllTextAsync(Path.Combine(modelFolder, "input_example.json"))));

        await SeedRegistryAsync(experimentId, runId);
        await SeedServingAsync();
        // The areas below are seeded one by one and a failure is recorded rather than thrown, so that one broken
        // area fails its own routes (and SeedProblems) instead of the whole matrix.
        await SeedPartAsync("monitor", () => SeedMonitoringAsync(runId));
        await SeedPartAsync("pipeline", SeedPipelineAsync);
        await SeedPartAsync("batch prediction", async () =>
        {
            var batch = await CallOkAsync(alice, "POST", "/api/slipway/v1/batch-predictions", new
            {
                model = Expand("models:/{model}/1"),
                input = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts/batch.csv",
                output = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts/batch-out.parquet",
            });
            Set("batch", FirstString(batch, "id"));
        });
        await SeedPartAsync("webhook", async () =>
        {
            var webhook = await CallOkAsync(Caller.Admin, "POST", "/api/slipway/v1/webhooks", new
            {
                name = Unique("matrix-hook"),
                url = "http://127.0.0.1:9/matrix",
                events = new[] { "registered_model.deleted" },
            });
            Set("webhook", webhook.GetProperty("webhook").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture));
        });
        if (AuthEnabled)
        {
            await SeedPartAsync("grants and token", async () =>
            {
                foreach (var (type, key) in new[] { ("experiments", "{exp}"), ("models", "{model}"), ("endpoints", "{endpoint}") })
                    await CallOkAsync(alice, "PUT", "/api/2.0/slipway/permissions", new { resource_type = type, resource = Expand(key), user = "carol", permission = "READ" });
                var token = await CallOkAsync(alice, "POST", "/api/2.0/slipway/tokens", new { name = Unique("matrix-token") });
                Set("token", token.GetProperty("token").GetProperty("id").GetString()!);
            });
        }
    }

    /// <summary>What went wrong while seeding (empty when everything was created).</summary>
    public List<string> SeedProblems { get; } = [];

    private async Task SeedPartAsync(string part, Func<Task> seed)
    {
        try
        {
            await seed();
        }
        catch (Exception e) when (e is Xunit.Sdk.XunitException or InvalidOperationException or KeyNotFoundException)
        {
            SeedProblems.Add($"{part}: {e.Message}");
        }
    }

    private async Task SeedRegistryAsync(string experimentId, string runId)
    {
        const Caller alice = Caller.Alice;
        const string governance = "/api/slipway/v1/";
        var model = Unique("matrix-model");
        Set("model", model);
        var source = $"mlflow-artifacts:/{experimentId}/{runId}/artifacts/model";
        Set("source", source);
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/registered-models/create", new { name = model });
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/model-versions/create", new { name = model, source, run_id = runId });
        await CallOkAsync(alice, "POST", "/api/2.0/mlflow/registered-models/alias", new { name = model, alias = "champion", version = "1" });
        await CallOkAsync(alice, "PUT", governance + $"models/{model}/versions/1/card", new { intended_use = "the authorization matrix", owners = new[] { "alice" } });

        var governed = await NewGovernedModelAsync();
        Set("governed", governed);
        Set("approval", await RequestApprovalAsync(governed));
    }

    /// <summary>A new model of alice's with version 1 and a policy that protects its alias <c>champion</c> (one approval).</summary>
    public async Task<string> NewGovernedModelAsync()
    {
        var governed = Unique("matrix-governed");
        await CallOkAsync(Caller.Alice, "POST", "/api/2.0/mlflow/registered-models/create", new { name = governed });
        await CallOkAsync(Caller.Alice, "POST", "/api/2.0/mlflow/model-versions/create", new { name = governed, source = Expand("{source}"), run_id = Expand("{run}") });
        await CallOkAsync(Caller.Alice, "PUT", $"/api/slipway/v1/models/{governed}/policy", new { protected_aliases = new[] { "champion" }, required_approvals = 1 });
        return governed;
    }

    /// <summary>A new pending request (by alice) to point the governed model's protected alias at version 1.</summary>
    public async Task<string> RequestApprovalAsync(string governed)
    {
        var request = await CallOkAsync(Caller.Alice, "POST", $"/api/slipway/v1/models/{governed}/approvals", new { version = "1", alias = "champion" });
        return request.GetProperty("approval_request").GetProperty("id").GetInt64().ToString(CultureInfo.InvariantCulture);
    }

    private async Task SeedServingAsync()
    {
        var endpoint = Unique("matrix-ep");
        Set("endpoint", endpoint);
        await CallOkAsync(Caller.Alice, "POST", "/api/slipway/v1/endpoints", Expand("""{"name": "{endpoint}", "routes": [{"model": "models:/{model}/1"}]}"""));
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var status = (await CallOkAsync(Caller.Alice, "GET", $"/api/slipway/v1/endpoints/{endpoint}", null)).GetProperty("endpoint").GetProperty("status");
            if (status.GetProperty("ready").GetBoolean())
                break;
            Assert.True(clock.Elapsed < WaitLimit, $"endpoint {endpoint} not ready after {WaitLimit}: {status}");
            await Task.Delay(100);
        }
        var metadata = await CallOkAsync(Caller.Alice, "GET", $"/v2/models/{endpoint}", null);
        Set("servedVersion", metadata.GetProperty("versions")[0].GetString()!);
    }

    private async Task SeedMonitoringAsync(string runId)
    {
        var monitor = Unique("matrix-mon");
        Set("monitor", monitor);
        await CallOkAsync(Caller.Alice, "POST", "/api/slipway/v1/monitors", new
        {
            name = monitor,
            endpoint = Expand("{endpoint}"),
            reference = new { kind = "dataset", uri = $"runs:/{runId}/ref.csv" },
        });
        Set("monitorRun", await RunMonitorAsync(monitor));
    }

    /// <summary>Starts a monitor run and waits for it to finish; its id.</summary>
    public async Task<string> RunMonitorAsync(string monitor)
    {
        var started = await CallOkAsync(Caller.Alice, "POST", $"/api/slipway/v1/monitors/{monitor}/runs", new { });
        var id = FirstString(started, "id");
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var run = await CallOkAsync(Caller.Alice, "GET", $"/api/slipway/v1/monitors/{monitor}/runs/{id}", null);
            var status = FirstString(run, "status");
            if (status is "succeeded" or "failed")
            {
                Assert.True(status == "succeeded", $"monitor run {id} {status}: {run}");
                return id;
            }
            Assert.True(clock.Elapsed < WaitLimit, $"monitor run {id} still {status} after {WaitLimit}");
            await Task.Delay(200);
        }
    }

    private async Task SeedPipelineAsync()
    {
        var pipeline = Unique("matrix-pipe");
        Set("pipeline", pipeline);
        await CallOkAsync(Caller.Alice, "POST", "/api/slipway/v1/pipelines", new { yaml = PipelineYaml(pipeline) });
        var run = await CallOkAsync(Caller.Alice, "POST", $"/api/slipway/v1/pipelines/{pipeline}/runs", new { });
        Set("pipelineRun", FirstString(run, "id"));
    }

    public static string PipelineYaml(string name) => $"name: {name}\nsteps: [{{id: a, uses: command, run: [/bin/true]}}]\n";

    public async Task PutArtifactAsync(string path, byte[] bytes)
    {
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/2.0/mlflow-artifacts/artifacts/" + path) { Content = content };
        request.Headers.Authorization = AuthorizationOf(Caller.Alice);
        using var response = await Http.SendAsync(request);
        Assert.True(IsSuccess(response.StatusCode), $"PUT {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private void Set(string name, string value) => _values[name] = value;

    /// <summary>The model's input example as CSV with columns f0…f29.</summary>
    private static byte[] BatchInput(string exampleJson)
    {
        using var rows = JsonDocument.Parse(exampleJson);
        var lines = new List<string> { string.Join(",", Enumerable.Range(0, 30).Select(i => "f" + i)) };
        lines.AddRange(rows.RootElement.EnumerateArray().Select(row => string.Join(",", row.EnumerateArray().Select(v => v.GetRawText()))));
        return System.Text.Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Slipway.slnx")))
                return folder.FullName;
        }
        throw new InvalidOperationException("No Slipway.slnx above " + AppContext.BaseDirectory);
    }
}
