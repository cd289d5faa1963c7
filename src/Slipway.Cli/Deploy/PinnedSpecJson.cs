using System.Text;
using System.Text.Json;
using Slipway.Client;

namespace Slipway.Cli.Deploy;

/// <summary>
/// Writes an endpoint spec as the endpoints file <c>slipway serve --file</c> reads: <c>{"endpoints":[…]}</c> with each
/// spec in the REST API's snake_case shape. Written by hand rather than with the SDK's serializer context because the
/// file format is the server's wire format, which the SDK keeps internal.
/// </summary>
internal static class PinnedSpecJson
{
    public static string Write(EndpointSpec spec)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("endpoints");
            w.WriteStartObject();
            w.WriteString("name", spec.Name);
            if (spec.Description is { } description)
                w.WriteString("description", description);
            w.WriteStartArray("routes");
            foreach (var route in spec.Routes)
                WriteRoute(w, route, withWeight: true);
            w.WriteEndArray();
            if (spec.Shadow is { } shadow)
            {
                w.WritePropertyName("shadow");
                WriteRoute(w, shadow, withWeight: false); // a shadow takes no traffic share
            }
            if (spec.StickyHeader is { } header)
                w.WriteString("sticky_header", header);
            if (spec.Batching is { } batching)
            {
                w.WriteStartObject("batching");
                w.WriteNumber("max_batch_size", batching.MaxBatchSize);
                w.WriteNumber("max_queue_delay_ms", batching.MaxQueueDelayMs);
                w.WriteNumber("max_queue_size", batching.MaxQueueSize);
                w.WriteEndObject();
            }
            w.WriteNumber("log_sample_rate", spec.LogSampleRate);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRoute(Utf8JsonWriter w, EndpointRoute route, bool withWeight)
    {
        w.WriteStartObject();
        w.WriteString("name", route.Name);
        w.WriteString("model", route.Model);
        if (withWeight && route.Weight is { } weight)
            w.WriteNumber("weight", weight);
        w.WriteEndObject();
    }
}
