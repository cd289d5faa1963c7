using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Slipway.Core.Errors;

namespace Slipway.Serving.Endpoints;

/// <summary>
/// The one JSON form of an <see cref="EndpointSpec"/>: the REST body, the stored row and the audit trail's before/after.
/// <c>{"name","description","routes":[{"name","model","weight"}],"shadow":{"name","model"},"sticky_header",
/// "batching":{"max_batch_size","max_queue_delay_ms","max_queue_size"},"log_sample_rate"}</c>; nulls are left out and,
/// as in the rest of the API, unknown fields are ignored (so a GET answer can be sent back as a PUT body).
/// </summary>
public static class EndpointSpecJson
{
    public const string DefaultRouteName = "default";
    public const string DefaultShadowName = "shadow";
    public const int DefaultWeight = 100;
    public const int DefaultMaxQueueDelayMs = 2;
    public const int DefaultMaxQueueSize = 1000;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(EndpointSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            WriteProperties(writer, spec);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static EndpointSpec Deserialize(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, null);
    }

    /// <summary>Writes the spec's fields into an object the caller has started.</summary>
    public static void WriteProperties(Utf8JsonWriter w, EndpointSpec spec)
    {
        w.WriteString("name", spec.Name);
        if (spec.Description is not null)
            w.WriteString("description", spec.Description);
        w.WriteStartArray("routes");
        foreach (var route in spec.Routes)
        {
            w.WriteStartObject();
            w.WriteString("name", route.Name);
            w.WriteString("model", route.Model);
            w.WriteNumber("weight", route.Weight);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (spec.Shadow is { } shadow)
        {
            w.WriteStartObject("shadow");
            w.WriteString("name", shadow.Name);
            w.WriteString("model", shadow.Model);
            w.WriteEndObject();
        }
        if (spec.StickyHeader is not null)
            w.WriteString("sticky_header", spec.StickyHeader);
        if (spec.Batching is { } batching)
        {
            w.WriteStartObject("batching");
            w.WriteNumber("max_batch_size", batching.MaxBatchSize);
            w.WriteNumber("max_queue_delay_ms", batching.MaxQueueDelay.TotalMilliseconds);
            w.WriteNumber("max_queue_size", batching.MaxQueueSize);
            w.WriteEndObject();
        }
        w.WriteNumber("log_sample_rate", spec.LogSampleRate);
    }

    /// <summary>
    /// Reads a spec from a request body. Types are checked here; values (name pattern, weights, sizes) by
    /// <see cref="EndpointService"/>. <paramref name="routeName"/> is the name in the URL of a PUT, which the body
    /// may repeat but not contradict.
    /// </summary>
    public static EndpointSpec Read(JsonElement body, string? routeName)
    {
        if (body.ValueKind != JsonValueKind.Object)
            throw SlipwayException.InvalidParameter("An endpoint spec must be a JSON object.");
        var name = OptionalString(body, "name");
        if (routeName is not null)
        {
            if (name is not null && name != routeName)
                throw SlipwayException.InvalidParameter($"The body names endpoint '{name}' but the URL names '{routeName}'; an endpoint cannot be renamed.");
            name = routeName;
        }
        if (string.IsNullOrEmpty(name))
            throw SlipwayException.MissingParameter("name");
        return new EndpointSpec(
            name,
            OptionalString(body, "description"),
            ReadRoutes(body),
            ReadShadow(body),
            OptionalString(body, "sticky_header"),
            ReadBatching(body),
            Property(body, "log_sample_rate") is { } rate ? Number(rate, "log_sample_rate") : 0);
    }

    private static List<RouteSpec> ReadRoutes(JsonElement body)
    {
        if (Property(body, "routes") is not { } routes)
            throw SlipwayException.MissingParameter("routes");
        if (routes.ValueKind != JsonValueKind.Array)
            throw Invalid("routes", routes);
        var result = new List<RouteSpec>(routes.GetArrayLength());
        var index = 0;
        foreach (var route in routes.EnumerateArray())
        {
            var field = $"routes[{index}]";
            if (route.ValueKind != JsonValueKind.Object)
                throw Invalid(field, route);
            var routeName = OptionalString(route, "name", field + ".name")
                ?? (routes.GetArrayLength() == 1 ? DefaultRouteName : throw SlipwayException.MissingParameter(field + ".name"));
            var model = OptionalString(route, "model", field + ".model") ?? throw SlipwayException.MissingParameter(field + ".model");
            var weight = Property(route, "weight") is { } w ? Integer(w, field + ".weight") : DefaultWeight;
            result.Add(new RouteSpec(routeName, model, weight));
            index++;
        }
        return result;
    }

    private static RouteSpec? ReadShadow(JsonElement body)
    {
        if (Property(body, "shadow") is not { } shadow)
            return null;
        if (shadow.ValueKind != JsonValueKind.Object)
            throw Invalid("shadow", shadow);
        var model = OptionalString(shadow, "model", "shadow.model") ?? throw SlipwayException.MissingParameter("shadow.model");
        return new RouteSpec(OptionalString(shadow, "name", "shadow.name") ?? DefaultShadowName, model, 0);
    }

    private static BatchingSpec? ReadBatching(JsonElement body)
    {
        if (Property(body, "batching") is not { } batching)
            return null;
        if (batching.ValueKind != JsonValueKind.Object)
            throw Invalid("batching", batching);
        var size = Property(batching, "max_batch_size") is { } s
            ? Integer(s, "batching.max_batch_size")
            : throw SlipwayException.MissingParameter("batching.max_batch_size");
        var delay = Property(batching, "max_queue_delay_ms") is { } d ? Number(d, "batching.max_queue_delay_ms") : DefaultMaxQueueDelayMs;
        if (double.IsNaN(delay) || double.IsInfinity(delay) || Math.Abs(delay) > TimeSpan.FromDays(1).TotalMilliseconds)
            throw SlipwayException.InvalidParameter($"Invalid value {delay.ToString(CultureInfo.InvariantCulture)} for parameter 'batching.max_queue_delay_ms' supplied.");
        var queue = Property(batching, "max_queue_size") is { } q ? Integer(q, "batching.max_queue_size") : DefaultMaxQueueSize;
        return new BatchingSpec(size, TimeSpan.FromMilliseconds(delay), queue);
    }

    private static JsonElement? Property(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static string? OptionalString(JsonElement element, string name, string? field = null) => Property(element, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { } value => throw Invalid(field ?? name, value),
    };

    private static int Integer(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw Invalid(field, value);

    private static double Number(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw Invalid(field, value);

    private static SlipwayException Invalid(string field, JsonElement value)
    {
        var text = value.GetRawText();
        return SlipwayException.InvalidParameter($"Invalid value {(text.Length > 100 ? text[..100] + "..." : text)} for parameter '{field}' supplied.");
    }
}
