using System.Text.Json;
using Slipway.Server.Tests.Infrastructure;

namespace Slipway.Server.Tests.BadInput;

/// <summary>
/// Checks that a response is an Open Inference Protocol error: the status, <c>application/json</c>, and
/// <c>{"error": non-empty string}</c> with no other member (the protocol defines no other).
/// </summary>
internal static class OipError
{
    public static void Assert(HttpResponseMessage response, string body, int expectedStatus, string context)
    {
        var status = (int)response.StatusCode;
        var describe = $"{context}\n  answered {status} {response.Content.Headers.ContentType}: {MlflowError.Shorten(body)}";
        Xunit.Assert.True(status < 500, $"5xx for bad input. {describe}");
        Xunit.Assert.True(status == expectedStatus, $"expected status {expectedStatus}. {describe}");
        Xunit.Assert.True(response.Content.Headers.ContentType?.MediaType == "application/json", $"expected Content-Type application/json. {describe}");

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
        var members = root.EnumerateObject().Select(member => member.Name).ToList();
        Xunit.Assert.True(members is ["error"], $"expected exactly one member, \"error\" (found: {string.Join(", ", members)}). {describe}");
        var error = root.GetProperty("error");
        Xunit.Assert.True(error.ValueKind == JsonValueKind.String && error.GetString()!.Length > 0, $"expected a non-empty string error. {describe}");
    }
}
