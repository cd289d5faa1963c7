using System.Net;
using System.Text;
using System.Text.Json;

namespace Slipway.Replicas.Tests.Infrastructure;

/// <summary>JSON over a replica's REST API: MLflow's <c>/api/2.0/mlflow</c> and Slipway's <c>/api/slipway/v1</c>.</summary>
internal static class Rest
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, document.RootElement.Clone());
    }

    public static Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(this HttpClient http, string path, object body) =>
        http.SendAsync(HttpMethod.Post, path, body);

    public static async Task<JsonElement> OkAsync(this HttpClient http, HttpMethod method, string path, object? body = null)
    {
        var (status, answer) = await http.SendAsync(method, path, body);
        Assert.True(status == HttpStatusCode.OK, $"{method} {http.BaseAddress}{path} answered {(int)status}: {answer}");
        return answer;
    }

    public static Task<JsonElement> PostOkAsync(this HttpClient http, string path, object body) => http.OkAsync(HttpMethod.Post, path, body);

    public static Task<JsonElement> GetOkAsync(this HttpClient http, string path) => http.OkAsync(HttpMethod.Get, path);

    /// <summary>Polls <paramref name="probe"/> until it returns a value; fails with <paramref name="what"/> after <paramref name="deadline"/>.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what, int pollMilliseconds = 20)
        where T : class
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            Assert.True(DateTime.UtcNow < until, $"Timed out after {deadline} waiting for {what}.");
            await Task.Delay(pollMilliseconds);
        }
    }
}
