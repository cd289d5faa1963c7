using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Testing;

namespace Slipway.Registry.Tests.Webhooks;

/// <summary>The REST calls the webhook tests make against a real server, and polling of the delivery log.</summary>
internal static class WebhookApi
{
    public const string WebhooksPath = "api/slipway/v1/webhooks";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions OmitNulls = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>A server with fast retries, so that retry tests finish in seconds.</summary>
    public static Task<SlipwayTestServer> StartServerAsync(int maxAttempts = 5, TimeSpan? initialBackoff = null, TimeSpan? requestTimeout = null) =>
        SlipwayTestServer.StartAsync(configure: options =>
        {
            options.Registry.Webhooks.InitialBackoff = initialBackoff ?? TimeSpan.FromMilliseconds(200);
            options.Registry.Webhooks.MaxBackoff = TimeSpan.FromSeconds(2);
            options.Registry.Webhooks.PollInterval = TimeSpan.FromMilliseconds(200);
            options.Registry.Webhooks.MaxAttempts = maxAttempts;
            options.Registry.Webhooks.RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5);
            // The test receivers listen on 127.0.0.1, which production servers refuse to deliver to.
            options.Registry.Webhooks.AllowLocalAddresses = true;
        });

    public static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body, OmitNulls);
        return await ReadOkAsync(response);
    }

    public static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object body) =>
        await client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });

    public static async Task<JsonElement> ReadOkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<JsonElement> CreateModelAsync(HttpClient client, string name) =>
        PostAsync(client, "api/2.0/mlflow/registered-models/create", new { name });

    public static Task<JsonElement> CreateVersionAsync(HttpClient client, string name) =>
        PostAsync(client, "api/2.0/mlflow/model-versions/create", new { name, source = "mlflow-artifacts:/0/abc/artifacts/model" });

    /// <summary>Creates a subscription; returns its id and the secret the server answered with.</summary>
    public static async Task<(string Id, string Secret)> CreateWebhookAsync(HttpClient client, string name, string url, string[] events, string? modelName = null, string? secret = null)
    {
        var created = await PostAsync(client, WebhooksPath, new Dictionary<string, object?>
        {
            ["name"] = name,
            ["url"] = url,
            ["events"] = events,
            ["model_name"] = modelName,
            ["secret"] = secret,
        });
        return (Text(created.GetProperty("webhook").GetProperty("id")), created.GetProperty("secret").GetString()!);
    }

    public static async Task<List<JsonElement>> DeliveriesAsync(HttpClient client, string webhookId)
    {
        using var response = await client.GetAsync($"{WebhooksPath}/{webhookId}/deliveries");
        // Like MLflow's list answers, an empty page may leave the list out.
        return (await ReadOkAsync(response)).TryGetProperty("deliveries", out var deliveries) ? [.. deliveries.EnumerateArray()] : [];
    }

    /// <summary>Polls the delivery log until <paramref name="done"/> holds, failing after a generous deadline.</summary>
    public static async Task<List<JsonElement>> WaitForDeliveriesAsync(HttpClient client, string webhookId, Func<List<JsonElement>, bool> done, Action<List<JsonElement>>? observe = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (true)
        {
            var deliveries = await DeliveriesAsync(client, webhookId);
            observe?.Invoke(deliveries);
            if (done(deliveries))
                return deliveries;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"delivery log of webhook {webhookId} never reached the expected state: [{string.Join(", ", deliveries.Select(d => d.GetRawText()))}]");
            await Task.Delay(50);
        }
    }

    public static string Status(JsonElement delivery) => delivery.GetProperty("status").GetString()!;

    public static int Attempts(JsonElement delivery) => delivery.GetProperty("attempts").GetInt32();

    public static string? OptionalText(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null ? Text(value) : null;

    /// <summary>Ids and numbers as text whether the server writes them as JSON strings or numbers.</summary>
    public static string Text(JsonElement value) => value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
}
