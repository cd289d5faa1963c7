using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Server.Tests.Infrastructure;

/// <summary>Plain MLflow REST calls for test setup and verification; any non-200 answer fails the test with its body.</summary>
internal static class Api
{
    public const string Prefix = "api/2.0/mlflow/";
    public const string ArtifactsPrefix = "api/2.0/mlflow-artifacts/artifacts/";

    public static async Task<JsonElement> PostAsync(HttpClient client, string rpc, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(Prefix + rpc, content);
        return await ReadOkAsync(response, "POST " + rpc);
    }

    public static async Task<JsonElement> GetAsync(HttpClient client, string rpcAndQuery)
    {
        using var response = await client.GetAsync(Prefix + rpcAndQuery);
        return await ReadOkAsync(response, "GET " + rpcAndQuery);
    }

    public static async Task<string> GetTextAsync(HttpClient client, string rpcAndQuery)
    {
        using var response = await client.GetAsync(Prefix + rpcAndQuery);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {rpcAndQuery} answered {(int)response.StatusCode}: {MlflowError.Shorten(body)}");
        return body;
    }

    public static async Task<string> PostTextAsync(HttpClient client, string rpc, object body)
    {
        using var content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(Prefix + rpc, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {rpc} answered {(int)response.StatusCode}: {MlflowError.Shorten(text)}");
        return text;
    }

    public static async Task<string> CreateExperimentAsync(HttpClient client, string name) =>
        (await PostAsync(client, "experiments/create", new { name })).GetProperty("experiment_id").GetString()!;

    public static async Task<string> CreateRunAsync(HttpClient client, string experimentId, string? runName = null) =>
        (await PostAsync(client, "runs/create", new { experiment_id = experimentId, run_name = runName, start_time = 1_700_000_000_000L }))
            .GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;

    /// <summary>Every (step, value) of a metric's history, following page tokens.</summary>
    public static async Task<List<(long Step, double Value)>> GetHistoryAsync(HttpClient client, string runId, string key)
    {
        var points = new List<(long, double)>();
        var root = await GetAsync(client, $"metrics/get-history?run_id={runId}&metric_key={Uri.EscapeDataString(key)}");
        if (root.TryGetProperty("metrics", out var metrics))
        {
            foreach (var metric in metrics.EnumerateArray())
                points.Add((metric.GetProperty("step").GetInt64(), metric.GetProperty("value").GetDouble()));
        }
        Assert.False(root.TryGetProperty("next_page_token", out _), "get-history without max_results must return the whole history");
        return points;
    }

    public static async Task PutArtifactAsync(HttpClient client, string relativePath, string text)
    {
        using var content = new StringContent(text, Encoding.UTF8, "text/plain");
        using var response = await client.PutAsync(ArtifactsPrefix + relativePath, content);
        await ReadOkAsync(response, "PUT " + relativePath);
    }

    private static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{what} answered {(int)response.StatusCode}: {MlflowError.Shorten(body)}");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}
