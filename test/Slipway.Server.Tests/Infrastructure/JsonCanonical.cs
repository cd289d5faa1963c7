using System.Text;
using System.Text.Json;

namespace Slipway.Server.Tests.Infrastructure;

/// <summary>
/// A canonical text form of a JSON document for "did the state change" comparisons: object members sorted by
/// name, and arrays sorted by their elements' canonical text, because the API leaves the order of tags,
/// params and latest metrics undefined.
/// </summary>
internal static class JsonCanonical
{
    public static string Of(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Of(document.RootElement);
    }

    public static string Of(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var builder = new StringBuilder("{");
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                    builder.Append(JsonSerializer.Serialize(property.Name)).Append(':').Append(Of(property.Value)).Append(',');
                return builder.Append('}').ToString();
            }
            case JsonValueKind.Array:
                return "[" + string.Join(",", element.EnumerateArray().Select(Of).Order(StringComparer.Ordinal)) + "]";
            default:
                return element.GetRawText();
        }
    }
}
