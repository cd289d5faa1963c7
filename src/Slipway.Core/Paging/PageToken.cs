using System.Text;
using Slipway.Core.Errors;

namespace Slipway.Core.Paging;

/// <summary>Opaque offset page tokens, encoded as MLflow does: base64 of <c>{"offset": N}</c>.</summary>
public static class PageToken
{
    public static string Encode(long offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"offset\": {offset}}}"));

    public static int Decode(string? token)
    {
        if (string.IsNullOrEmpty(token))
            return 0;
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && doc.RootElement.TryGetProperty("offset", out var offset) && offset.TryGetInt32(out var value) && value >= 0)
                return value;
        }
        catch (FormatException)
        {
        }
        catch (System.Text.Json.JsonException)
        {
        }
        throw SlipwayException.InvalidParameter($"Invalid page token, could not base64-decode or parse it: '{token}'");
    }
}
