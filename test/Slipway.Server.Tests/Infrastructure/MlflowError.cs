using System.Text.Json;

namespace Slipway.Server.Tests.Infrastructure;

/// <summary>Checks that a response is an MLflow error: the status, <c>application/json</c>, and
/// <c>{"error_code": …, "message": non-empty string}</c>.</summary>
internal static class MlflowError
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string BadRequest = "BAD_REQUEST";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";

    /// <summary>Any 4xx status (for limits MLflow does not define, such as the JSON body size).</summary>
    public const int AnyClientError = -1;

    /// <summary>Asserts the error shape; <paramref name="codes"/> empty means any non-empty error code.</summary>
    public static void Assert(HttpResponseMessage response, string body, int expectedStatus, IReadOnlyCollection<string> codes, string context)
    {
        var status = (int)response.StatusCode;
        var describe = $"{context}\n  answered {status} {response.Content.Headers.ContentType}: {Shorten(body)}";
        Xunit.Assert.True(status < 500, $"5xx for bad input. {describe}");
        if (expectedStatus == AnyClientError)
            Xunit.Assert.True(status is >= 400 and < 500, $"expected a 4xx. {describe}");
        else
            Xunit.Assert.True(status == expectedStatus, $"expected status {expectedStatus}. {describe}");
        Xunit.Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"expected Content-Type application/json. {describe}");
        // A HEAD answer has the GET answer's status and headers but never a body.
        if (response.RequestMessage?.Method == HttpMethod.Head)
            return;

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"body is not JSON ({e.Message}). {describe}");
        }
        Xunit.Assert.True(root.ValueKind == JsonValueKind.Object, $"expected a JSON object. {describe}");
        Xunit.Assert.True(root.TryGetProperty("error_code", out var code) && code.ValueKind == JsonValueKind.String && code.GetString()!.Length > 0,
            $"expected a string error_code. {describe}");
        if (codes.Count > 0)
            Xunit.Assert.True(codes.Contains(code.GetString()!), $"expected error_code {string.Join(" or ", codes)}. {describe}");
        Xunit.Assert.True(root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String && message.GetString()!.Length > 0,
            $"expected a non-empty string message. {describe}");
    }

    public static string Shorten(string text) => text.Length > 400 ? text[..400] + "…" : text;
}
