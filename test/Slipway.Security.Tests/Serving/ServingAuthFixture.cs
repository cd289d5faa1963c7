using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Slipway.Testing;

namespace Slipway.Security.Tests.Serving;

/// <summary>
/// One real <c>slipway server</c> with authentication on and <c>DefaultPermission</c> NO_PERMISSIONS, the users
/// <c>alice</c> and <c>bob</c>, and alice's registered model (the conformance kit's breast-cancer logistic regression as
/// an MLflow model) that her endpoints serve. Tests share it, so each makes endpoints of its own
/// (<see cref="NewEndpointAsync"/>).
/// </summary>
public sealed class ServingAuthFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-password-for-serving-tests";
    public const string UserPassword = "user-password-for-serving-tests";
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private SlipwayTestServer? _server;

    public SlipwayTestServer Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public AuthenticationHeaderValue Admin { get; } = Basic("admin", AdminPassword);

    public AuthenticationHeaderValue Alice { get; } = Basic("alice", UserPassword);

    public AuthenticationHeaderValue Bob { get; } = Basic("bob", UserPassword);

    /// <summary>alice's registered model, version 1 of which her endpoints serve.</summary>
    public string Model { get; private set; } = "";

    /// <summary>The experiment holding the model's run (alice's, so she holds MANAGE on it).</summary>
    public string ExperimentId { get; private set; } = "";

    /// <summary>One row of the model's input example: 30 features.</summary>
    public string FirstRow { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await SlipwayTestServer.StartAsync(configure: o =>
        {
            o.Auth.Enabled = true;
            o.Auth.AdminPassword = AdminPassword;
            o.Auth.PasswordIterations = 10_000;
            o.Auth.DefaultPermission = "NO_PERMISSIONS";
        });
        foreach (var user in new[] { "alice", "bob" })
            await CallOkAsync(Admin, "POST", "/api/2.0/slipway/users", new { name = user, password = UserPassword });
        await RegisterModelAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }

    public static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)));

    public static AuthenticationHeaderValue Bearer(string secret) => new("Bearer", secret);

    public static string Unique(string prefix) => prefix + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A new endpoint created by <paramref name="owner"/> (default alice) serving the model; returns once it is ready.</summary>
    public async Task<string> NewEndpointAsync(AuthenticationHeaderValue? owner = null)
    {
        var name = Unique("ep");
        await CallOkAsync(owner ?? Alice, "POST", "/api/slipway/v1/endpoints", new { name, routes = new[] { new { name = "main", model = $"models:/{Model}/1" } } });
        await WaitUntilAsync(async () =>
        {
            var endpoint = await CallOkAsync(Admin, "GET", $"/api/slipway/v1/endpoints/{name}", null);
            return endpoint.GetProperty("endpoint").GetProperty("status").GetProperty("ready").GetBoolean();
        }, $"endpoint {name} is ready");
        return name;
    }

    /// <summary>An endpoint token for <paramref name="endpoint"/>, created by its owner through the REST API: (id, secret).</summary>
    public async Task<(string Id, string Secret)> NewEndpointTokenAsync(string endpoint, AuthenticationHeaderValue? owner = null)
    {
        var answer = await CallOkAsync(owner ?? Alice, "POST", "/api/2.0/slipway/tokens", new { name = Unique("serving"), endpoint });
        return (answer.GetProperty("token").GetProperty("id").GetString()!, answer.GetProperty("secret").GetString()!);
    }

    public Task GrantAsync(string endpoint, string user, string permission) =>
        CallOkAsync(Alice, "PUT", "/api/2.0/slipway/permissions", new { resource_type = "endpoints", resource = endpoint, user, permission });

    /// <summary>The OIP v2 JSON inference request for one row.</summary>
    public string InferBody() => $$"""{"inputs": [{"name": "input", "datatype": "FP32", "shape": [1, 30], "data": {{FirstRow}}}]}""";

    public Task<Answer> InferAsync(AuthenticationHeaderValue? caller, string endpoint) =>
        SendAsync(Server.BaseAddress, caller, "POST", $"/v2/models/{endpoint}/infer", InferBody());

    public Task<Answer> SendAsync(AuthenticationHeaderValue? caller, string method, string path, object? body = null) =>
        SendAsync(Server.BaseAddress, caller, method, path, body);

    /// <summary>Sends a request (a string body as is, anything else as JSON) and reads the answer.</summary>
    public static async Task<Answer> SendAsync(Uri server, AuthenticationHeaderValue? caller, string method, string path, object? body = null)
    {
        using var client = new HttpClient { BaseAddress = server };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = caller;
        if (body is not null)
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        return new Answer(response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonElement> CallOkAsync(AuthenticationHeaderValue caller, string method, string path, object? body)
    {
        var answer = await SendAsync(caller, method, path, body);
        Assert.True(answer.Status == HttpStatusCode.OK, $"{method} {path} answered {(int)answer.Status}: {answer.Text}");
        return answer.Json;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails naming <paramref name="what"/> after the limit.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < WaitLimit, "Timed out waiting until " + what);
            await Task.Delay(100);
        }
    }

    /// <summary>alice's experiment and run, the model's files as the run's <c>model</c> artifact, and version 1 of her model.</summary>
    private async Task RegisterModelAsync()
    {
        ExperimentId = (await CallOkAsync(Alice, "POST", "/api/2.0/mlflow/experiments/create", new { name = Unique("serving-exp") }))
            .GetProperty("experiment_id").GetString()!;
        var run = await CallOkAsync(Alice, "POST", "/api/2.0/mlflow/runs/create", new { experiment_id = ExperimentId, start_time = 1 });
        var runId = run.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
        var folder = ModelFolder();
        using var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = Alice;
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            using var upload = await client.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{ExperimentId}/{runId}/artifacts/model/{Path.GetFileName(file)}", content);
            Assert.True(upload.IsSuccessStatusCode, $"uploading {file} answered {(int)upload.StatusCode}");
        }
        using (var example = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "input_example.json"))))
            FirstRow = example.RootElement[0].GetRawText();
        Model = Unique("serving-model");
        await CallOkAsync(Alice, "POST", "/api/2.0/mlflow/registered-models/create", new { name = Model });
        await CallOkAsync(Alice, "POST", "/api/2.0/mlflow/model-versions/create",
            new { name = Model, source = $"mlflow-artifacts:/{ExperimentId}/{runId}/artifacts/model", run_id = runId });
    }

    /// <summary>The conformance kit's MLflow model folder, which the serving tests keep in the repository.</summary>
    private static string ModelFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "test", "Slipway.Serving.Tests", "TestData", "onnx", "logreg_breast_cancer", "mlflow_model");
            if (Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException("The ONNX conformance kit (test/Slipway.Serving.Tests/TestData/onnx) is not above " + AppContext.BaseDirectory);
    }
}

/// <summary>A status and body; <see cref="Json"/> parses the body (an empty object when there is none).</summary>
public sealed record Answer(HttpStatusCode Status, string Text)
{
    public JsonElement Json
    {
        get
        {
            using var document = JsonDocument.Parse(Text.Length == 0 ? "{}" : Text);
            return document.RootElement.Clone();
        }
    }

    /// <summary>OIP's error shape: <c>{"error": "…"}</c> and nothing else.</summary>
    public void AssertOipError(HttpStatusCode status)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        var json = Json;
        Assert.Equal(JsonValueKind.String, json.GetProperty("error").ValueKind);
        Assert.False(json.TryGetProperty("error_code", out _), Text);
    }

    /// <summary>MLflow's error shape with the given code.</summary>
    public void AssertMlflowError(HttpStatusCode status, string code)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(code, Json.GetProperty("error_code").GetString());
    }
}
