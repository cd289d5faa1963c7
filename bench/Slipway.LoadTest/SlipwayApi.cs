using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Slipway.LoadTest;

/// <summary>
/// Raw MLflow REST calls over one pooled, keep-alive <see cref="HttpClient"/>. Bodies are prepared by the
/// caller as UTF-8 bytes so that the load generator spends as little of the shared CPU as possible.
/// Any non-200 answer fails the scenario: a figure measured over errors is not a figure.
/// </summary>
internal sealed class SlipwayApi(HttpClient http, Uri baseAddress)
{
    public const string Prefix = "api/2.0/mlflow/";

    public static HttpClient CreateHttpClient() => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 64,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        Timeout = TimeSpan.FromSeconds(120),
    };

    /// <summary>POSTs a JSON body and returns the response body.</summary>
    public async Task<byte[]> PostAsync(string rpc, byte[] body, CancellationToken ct = default)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await http.PostAsync(new Uri(baseAddress, Prefix + rpc), content, ct);
        return await ReadOkAsync(response, rpc, ct);
    }

    /// <summary>GETs an RPC with an already-escaped query string and returns the response body.</summary>
    public async Task<byte[]> GetAsync(string rpcAndQuery, CancellationToken ct = default)
    {
        using var response = await http.GetAsync(new Uri(baseAddress, Prefix + rpcAndQuery), ct);
        return await ReadOkAsync(response, rpcAndQuery, ct);
    }

    public async Task<string> CreateExperimentAsync(string name)
    {
        var body = await PostAsync("experiments/create", Json(w => w.WriteString("name", name)));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("experiment_id").GetString()!;
    }

    public async Task<string> CreateRunAsync(string experimentId, string runName)
    {
        var body = await PostAsync("runs/create", Json(w =>
        {
            w.WriteString("experiment_id", experimentId);
            w.WriteString("run_name", runName);
            w.WriteNumber("start_time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        }));
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("run").GetProperty("info").GetProperty("run_id").GetString()!;
    }

    /// <summary>A JSON object written by <paramref name="writeProperties"/>, as UTF-8 bytes.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> writeProperties)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    private static async Task<byte[]> ReadOkAsync(HttpResponseMessage response, string rpc, CancellationToken ct)
    {
        var body = await response.Content.ReadAsByteArrayAsync(ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 500));
            throw new InvalidOperationException($"{rpc} answered {(int)response.StatusCode}: {text}");
        }
        return body;
    }
}
