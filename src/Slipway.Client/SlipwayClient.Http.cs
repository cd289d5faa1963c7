using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Client.Protocol;

namespace Slipway.Client;

public sealed partial class SlipwayClient
{
    private const string MlflowPrefix = "api/2.0/mlflow/";
    private const string SlipwayPrefix = "api/slipway/v1/";
    private const string AdminPrefix = "api/2.0/slipway/";
    private const int MaxErrorBodyChars = 64 * 1024;

    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    private Task<TResponse> GetAsync<TResponse>(string path, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, BuildUri(MlflowPrefix + path, query));
        return SendForJsonAsync(request, responseType, ct);
    }

    private Task<TResponse> SendJsonAsync<TRequest, TResponse>(
        HttpMethod method, string relativePath, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, relativePath)) { Content = JsonBody(body, requestType) };
        return SendForJsonAsync(request, responseType, ct);
    }

    private Task<TResponse> GetJsonAsync<TResponse>(
        string relativePath, IEnumerable<KeyValuePair<string, string?>> query, JsonTypeInfo<TResponse> responseType, CancellationToken ct) =>
        SendForJsonAsync(new HttpRequestMessage(HttpMethod.Get, BuildUri(relativePath, query)), responseType, ct);

    /// <summary>Sends a DELETE with an empty JSON object as its body (the server reads a body for every DELETE) and ignores the answer's body.</summary>
    private async Task DeleteAsync(string relativePath, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(BaseAddress, relativePath))
        {
            Content = JsonBody(new EmptyResponse(), SlipwayJsonContext.Default.EmptyResponse),
        };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    private async Task<string> GetTextAsync(string relativePath, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, relativePath));
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
    }

    private Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, MlflowPrefix + path)) { Content = JsonBody(body, requestType) };
        return SendForJsonAsync(request, responseType, ct);
    }

    private async Task PostAsync<TRequest>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, MlflowPrefix + path)) { Content = JsonBody(body, requestType) };
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
    }

    private async Task<TResponse> SendForJsonAsync<TResponse>(HttpRequestMessage request, JsonTypeInfo<TResponse> responseType, CancellationToken ct)
    {
        using (request)
        {
            using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, ct).ConfigureAwait(false);
            var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var value = await JsonSerializer.DeserializeAsync(stream, responseType, ct).ConfigureAwait(false);
                return value ?? throw new JsonException($"The server answered {request.RequestUri?.AbsolutePath} with an empty JSON body.");
            }
        }
    }

    /// <summary>Sends the request and turns a non-success answer into <see cref="SlipwayApiException"/>. The caller disposes the response.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken ct)
    {
        // A token wins over a user name, as in MLflow's client (which checks MLFLOW_TRACKING_TOKEN first).
        if (request.Headers.Authorization is null)
        {
            if (Token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            else if (UserName is not null)
                request.Headers.Authorization = BasicAuthorization();
        }
        var response = await _http.SendAsync(request, completion, ct).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
            return response;
        using (response)
            throw await ToExceptionAsync(response, ct).ConfigureAwait(false);
    }

    private static async Task<SlipwayApiException> ToExceptionAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        if (body.Length > MaxErrorBodyChars)
            body = body[..MaxErrorBodyChars];
        try
        {
            var error = JsonSerializer.Deserialize(body, SlipwayJsonContext.Default.ErrorResponse);
            if (!string.IsNullOrEmpty(error?.ErrorCode))
                return new SlipwayApiException(error.ErrorCode, error.Message ?? "", response.StatusCode);
        }
        catch (JsonException)
        {
            // Not an MLflow error body (a proxy's HTML page, plain text): fall back to the status, as MLflow's client does.
        }

        var message = string.IsNullOrWhiteSpace(body)
            ? $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}"
            : $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}: {body.Trim()}";
        return new SlipwayApiException(ApiErrorCodes.FromStatus(response.StatusCode), message, response.StatusCode);
    }

    private AuthenticationHeaderValue BasicAuthorization()
    {
        // UserName and Password are init-only, so two threads racing to encode them first get the same string.
        _basicCredentials ??= Convert.ToBase64String(Encoding.UTF8.GetBytes($"{UserName}:{Password}"));
        return new AuthenticationHeaderValue("Basic", _basicCredentials);
    }

    private static ByteArrayContent JsonBody<T>(T body, JsonTypeInfo<T> type)
    {
        // A byte array gives a Content-Length and the exact media type MLflow servers check for.
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, type));
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    private Uri BuildUri(string relativePath, IEnumerable<KeyValuePair<string, string?>> query)
    {
        var builder = new StringBuilder(relativePath);
        var separator = '?';
        foreach (var (key, value) in query)
        {
            if (value is null)
                continue;
            builder.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }

        return new Uri(BaseAddress, builder.ToString());
    }
}
