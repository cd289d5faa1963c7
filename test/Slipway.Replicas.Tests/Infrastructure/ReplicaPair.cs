using System.Globalization;
using System.Text.Json;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>
/// Two <c>slipway server</c> processes, A and B, on one fresh PostgreSQL database and one artifact folder, started at
/// the same moment (so they also race on the schema migration). Their polling is slowed to
/// <see cref="PollingFallback"/>: a change that reaches the other replica much sooner than that came through the
/// change feed. Schedulers and webhook dispatchers poll fast, so both replicas race for every due slot and delivery.
/// Also holds the registered model and endpoint that the serving tests share.
/// </summary>
public sealed class ReplicaPair : IAsyncLifetime
{
    /// <summary>The endpoint reconcile interval and alias cache lifetime of both replicas.</summary>
    public static readonly TimeSpan PollingFallback = TimeSpan.FromMinutes(10);

    public const string Model = "replicated-model";
    public const string Endpoint = "replicated";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "slipway-replicas-" + Guid.NewGuid().ToString("N"));
    private PostgresDatabase? _database;
    private ReplicaProcess? _a;
    private ReplicaProcess? _b;
    private JsonElement _goldenRequest;

    internal PostgresDatabase Database => _database ?? throw NotStarted();

    internal ReplicaProcess A => _a ?? throw NotStarted();

    internal ReplicaProcess B => _b ?? throw NotStarted();

    internal IReadOnlyList<ReplicaProcess> Both => [A, B];

    /// <summary>The kit model's golden OIP request (3 rows).</summary>
    internal JsonElement GoldenRequest => _goldenRequest;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = await PostgresDatabase.CreateAsync();
        var artifacts = Path.Combine(_folder, "artifacts");
        var fallback = PollingFallback.ToString("c", CultureInfo.InvariantCulture);
        var settings = new Dictionary<string, string>
        {
            ["Slipway__Serving__ReconcileInterval"] = fallback,
            ["Slipway__Registry__AliasCacheLifetime"] = fallback,
            ["Slipway__Registry__Webhooks__AllowLocalAddresses"] = "true",
            ["Slipway__Registry__Webhooks__PollInterval"] = "00:00:00.100",
            ["Slipway__Monitoring__SchedulerInterval"] = "00:00:00.200",
        };
        _a = ReplicaProcess.Start("A", _database.Uri, artifacts, Path.Combine(_folder, "a"), settings);
        _b = ReplicaProcess.Start("B", _database.Uri, artifacts, Path.Combine(_folder, "b"), settings);
        await Task.WhenAll(_a.WaitUntilReadyAsync(TimeSpan.FromSeconds(120)), _b.WaitUntilReadyAsync(TimeSpan.FromSeconds(120)));

        using (var golden = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "logreg", "golden.json"))))
            _goldenRequest = golden.RootElement.GetProperty("oip_v2").GetProperty("request").Clone();
        await RegisterVersionAsync(A.Http);
        await RegisterVersionAsync(A.Http);
        await SetAliasAsync(A.Http, 1);
        await A.Http.PostOkAsync("api/slipway/v1/endpoints", new { name = Endpoint, routes = new[] { new { model = $"models:/{Model}@champion" } } });
    }

    /// <summary>Points <c>champion</c> at <paramref name="version"/> through <paramref name="replica"/>.</summary>
    internal static Task SetAliasAsync(HttpClient replica, long version) =>
        replica.PostOkAsync("api/2.0/mlflow/registered-models/alias",
            new { name = Model, alias = "champion", version = version.ToString(CultureInfo.InvariantCulture) });

    /// <summary>OIP inference on <see cref="Endpoint"/> through <paramref name="replica"/>: the version that answered, or null for a non-200 answer.</summary>
    internal async Task<string?> InferAsync(HttpClient replica)
    {
        var (status, answer) = await replica.PostAsync($"v2/models/{Endpoint}/infer", _goldenRequest);
        return status == System.Net.HttpStatusCode.OK ? answer.GetProperty("model_version").GetString() : null;
    }

    public async Task DisposeAsync()
    {
        if (_a is not null)
            await _a.DisposeAsync();
        if (_b is not null)
            await _b.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    /// <summary>Both replicas' console output, for failure messages.</summary>
    internal string Logs() => $"--- replica A ---\n{A.Output}\n--- replica B ---\n{B.Output}";

    /// <summary>Logs the kit model into a run's artifacts through <paramref name="http"/>'s artifact proxy and registers it as a new version.</summary>
    private static async Task RegisterVersionAsync(HttpClient http)
    {
        var experiment = (await http.PostOkAsync("api/2.0/mlflow/experiments/create", new { name = "model-" + Guid.NewGuid().ToString("N") }))
            .GetProperty("experiment_id").GetString()!;
        var run = (await http.PostOkAsync("api/2.0/mlflow/runs/create", new { experiment_id = experiment })).GetProperty("run").GetProperty("info");
        var artifactUri = run.GetProperty("artifact_uri").GetString()!;
        var artifactPath = artifactUri["mlflow-artifacts:/".Length..].TrimStart('/');
        using (var body = new ByteArrayContent(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "TestData", "logreg", "model.onnx"))))
        using (var response = await http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{artifactPath}/model/model.onnx", body))
            Assert.True(response.IsSuccessStatusCode, $"Uploading the model answered {(int)response.StatusCode}");
        var (status, _) = await http.SendAsync(HttpMethod.Get, "api/2.0/mlflow/registered-models/get?name=" + Model);
        if (status == System.Net.HttpStatusCode.NotFound)
            await http.PostOkAsync("api/2.0/mlflow/registered-models/create", new { name = Model });
        await http.PostOkAsync("api/2.0/mlflow/model-versions/create",
            new { name = Model, source = artifactUri + "/model", run_id = run.GetProperty("run_id").GetString() });
    }

    private static InvalidOperationException NotStarted() => new("The replica pair has not been started.");
}

/// <summary>Every test of the two-replica pair runs in this collection, one at a time, on one pair.</summary>
[CollectionDefinition(Name)]
public sealed class ReplicaCollection : ICollectionFixture<ReplicaPair>
{
    public const string Name = "replicas";
}
