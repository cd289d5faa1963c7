using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Conformance.Tests.Replay;

/// <summary>Numbers compared by value: <c>7</c> equals <c>7.0</c>; integers exactly, others as doubles.</summary>
public static class JsonNumbers
{
    public static bool ValueEquals(JsonValue expected, JsonValue actual)
    {
        var e = Element(expected);
        var a = Element(actual);
        if (e.TryGetInt64(out var el) && a.TryGetInt64(out var al))
            return el == al;
        if (e.TryGetDecimal(out var ed) && a.TryGetDecimal(out var ad) && ed == ad)
            return true;
        if (e.TryGetDouble(out var edbl) && a.TryGetDouble(out var adbl))
            return edbl.Equals(adbl);
        return string.Equals(e.GetRawText(), a.GetRawText(), StringComparison.Ordinal);
    }

    /// <summary>The value as a double for sorting; a number outside the double range sorts as NaN.</summary>
    public static double ToDouble(JsonValue value) => Element(value).TryGetDouble(out var d) ? d : double.NaN;

    /// <summary>An integer (no fraction, no exponent beyond its digits) and ≥ 0.</summary>
    public static bool IsNonNegativeInteger(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && Element(v).TryGetInt64(out var l) && l >= 0;

    public static string Format(JsonValue value) => Element(value).GetRawText();

    private static JsonElement Element(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
            return element;
        using var document = JsonDocument.Parse(value.ToJsonString());
        return document.RootElement.Clone();
    }
}
