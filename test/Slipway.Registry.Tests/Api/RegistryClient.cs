using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.Registry.Tests.Api;

/// <summary>One HTTP answer: status, raw body and the body parsed as JSON (an empty object when it is not JSON).</summary>
internal sealed record Reply(HttpStatusCode Status, string Body, JsonElement Json, string Request)
{
    public string ErrorCode => Json.TryGetProperty("error_code", out var code) ? code.GetString() ?? "" : "";

    public string Message => Json.TryGetProperty("message", out var message) ? message.GetString() ?? "" : "";

    public JsonElement Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{Request} answered {(int)Status}: {Body}");
        return Json;
    }

    /// <summary>Asserts an MLflow error answer and returns its message.</summary>
    public string Error(HttpStatusCode status, string errorCode)
    {
        Assert.True(Status == status && ErrorCode == errorCode, $"{Request}: expected {(int)status} {errorCode}, got {(int)Status}: {Body}");
        Assert.False(string.IsNullOrEmpty(Message), $"{Request}: error without a message: {Body}");
        return Message;
    }
}

/// <summary>
/// Raw REST calls against a real server: MLflow's <c>api/2.0/mlflow/…</c> and Slipway's <c>api/slipway/v1/…</c>.
/// A user name, when given, is sent as HTTP Basic authentication, which is how the server learns the actor.
/// </summary>
internal sealed class RegistryClient(HttpClient http)
{
    public const string Mlflow = "api/2.0/mlflow/";
    public const string Slipway = "api/slipway/v1/";

    public HttpClient Http => http;

    public async Task<Reply> SendAsync(HttpMethod method, string path, object? body = null, string? user = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (user is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":secret")));
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement json;
        try
        {
            using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            json = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            using var empty = JsonDocument.Parse("{}");
            json = empty.RootElement.Clone();
        }
        return new Reply(response.StatusCode, text, json, $"{method} {path}");
    }

    public Task<Reply> PostAsync(string path, object body, string? user = null) => SendAsync(HttpMethod.Post, path, body, user);

    public Task<Reply> GetAsync(string path, string? user = null) => SendAsync(HttpMethod.Get, path, null, user);

    public async Task<string> CreateExperimentAsync(string name) =>
        (await PostAsync(Mlflow + "experiments/create", new { name })).Ok().GetProperty("experiment_id").GetString()!;

    public async Task<string> CreateRunAsync(string experimentId, string? userId = null, string? runName = null)
    {
        var body = new Dictionary<string, object?> { ["experiment_id"] = experimentId, ["start_time"] = 1_700_000_000_000L };
        if (userId is not null)
            body["user_id"] = userId;
        if (runName is not null)
            body["run_name"] = runName;
        return (await PostAsync(Mlflow + "runs/create", body)).Ok().GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    /// <summary>Logs one observation; the run's latest value is the one with the highest step (then timestamp).</summary>
    public async Task LogMetricAsync(string runId, string key, double value, long step = 0) =>
        (await PostAsync(Mlflow + "runs/log-metric", new { run_id = runId, key, value, timestamp = 1_700_000_000_000L + step, step })).Ok();

    public async Task SetRunTagAsync(string runId, string key, string value) =>
        (await PostAsync(Mlflow + "runs/set-tag", new { run_id = runId, key, value })).Ok();

    /// <summary>A run in a fresh experiment, with the metrics and tags given; returns its id.</summary>
    public async Task<string> CreateSourceRunAsync(IReadOnlyDictionary<string, double>? metrics = null, IReadOnlyDictionary<string, string>? tags = null, string? userId = null)
    {
        var experimentId = await CreateExperimentAsync("exp-" + Guid.NewGuid().ToString("N"));
        var runId = await CreateRunAsync(experimentId, userId);
        foreach (var (key, value) in metrics ?? new Dictionary<string, double>())
            await LogMetricAsync(runId, key, value);
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
            await SetRunTagAsync(runId, key, value);
        return runId;
    }

    public async Task CreateModelAsync(string name, string? user = null) =>
        (await PostAsync(Mlflow + "registered-models/create", new { name }, user)).Ok();

    /// <summary>Registers a version whose source lies in the run's artifacts (or a fixed artifact path without a run).</summary>
    public async Task<string> CreateVersionAsync(string name, string? runId = null, string? source = null, string? user = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["name"] = name,
            ["source"] = source ?? $"mlflow-artifacts:/1/{runId ?? "norun"}/artifacts/model",
        };
        if (runId is not null)
            body["run_id"] = runId;
        return (await PostAsync(Mlflow + "model-versions/create", body, user)).Ok().GetProperty("model_version").GetProperty("version").GetString()!;
    }

    public Task<Reply> SetAliasAsync(string name, string alias, string version, string? user = null) =>
        PostAsync(Mlflow + "registered-models/alias", new { name, alias, version }, user);

    /// <summary>The version the alias points at, read through <c>GET registered-models/alias</c>.</summary>
    public async Task<string> AliasVersionAsync(string name, string alias) =>
        (await GetAsync($"{Mlflow}registered-models/alias?name={Uri.EscapeDataString(name)}&alias={Uri.EscapeDataString(alias)}"))
            .Ok().GetProperty("model_version").GetProperty("version").GetString()!;

    public Task<Reply> PutPolicyAsync(string name, object policy, string? user = null) =>
        SendAsync(HttpMethod.Put, $"{Slipway}models/{Uri.EscapeDataString(name)}/policy", policy, user);

    public Task<Reply> RequestApprovalAsync(string name, object body, string? user) =>
        PostAsync($"{Slipway}models/{Uri.EscapeDataString(name)}/approvals", body, user);

    public Task<Reply> ApproveAsync(long id, string? user, string? comment = null) =>
        PostAsync($"{Slipway}approvals/{id}/approve", new { comment }, user);

    public Task<Reply> RejectAsync(long id, string? user, string? comment = null) =>
        PostAsync($"{Slipway}approvals/{id}/reject", new { comment }, user);

    /// <summary>Every audit event matching the query string (after <c>?</c>), following page tokens.</summary>
    public async Task<List<JsonElement>> AuditAsync(string query)
    {
        var events = new List<JsonElement>();
        string? token = null;
        do
        {
            var path = $"{Slipway}audit?{query}" + (token is null ? "" : "&page_token=" + Uri.EscapeDataString(token));
            var page = (await GetAsync(path)).Ok();
            if (page.TryGetProperty("events", out var items))
                events.AddRange(items.EnumerateArray());
            token = page.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        return events;
    }

    /// <summary>A number whether the server wrote it as a JSON number or a string.</summary>
    public static long Number(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt64();
}
