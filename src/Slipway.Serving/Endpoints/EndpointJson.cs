using System.Text.Json;

namespace Slipway.Serving.Endpoints;

/// <summary>Writes an endpoint as the control plane answers it: the spec, revision, timestamps and <c>status</c>.</summary>
public static class EndpointJson
{
    public static void Write(Utf8JsonWriter w, EndpointDetails endpoint)
    {
        var record = endpoint.Record;
        w.WriteStartObject();
        EndpointSpecJson.WriteProperties(w, record.Spec);
        w.WriteNumber("revision", record.Revision);
        w.WriteNumber("creation_timestamp", record.CreationTimestamp);
        w.WriteNumber("last_updated_timestamp", record.LastUpdatedTimestamp);
        w.WriteStartObject("status");
        w.WriteBoolean("ready", endpoint.Status.Ready);
        w.WriteStartArray("routes");
        foreach (var route in endpoint.Status.Routes)
            WriteRoute(w, route, record.Spec.Batching, endpoint.QueueDepths);
        w.WriteEndArray();
        if (endpoint.Status.Shadow is { } shadow)
        {
            w.WritePropertyName("shadow");
            WriteRoute(w, shadow, null, null);
        }
        if (endpoint.ShadowStatistics is { } statistics)
        {
            w.WriteStartObject("shadow_statistics");
            w.WriteNumber("requests", statistics.Requests);
            w.WriteNumber("completed", statistics.Completed);
            w.WriteNumber("errors", statistics.Errors);
            w.WriteNumber("disagreements", statistics.Disagreements);
            w.WriteNumber("dropped", statistics.Dropped);
            w.WriteEndObject();
        }
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A route's status; with batching, its settings and the requests in its queue (0 until its batcher runs).</summary>
    private static void WriteRoute(Utf8JsonWriter w, RouteStatus route, BatchingSpec? batching, IReadOnlyDictionary<string, int>? queueDepths)
    {
        w.WriteStartObject();
        w.WriteString("name", route.Name);
        w.WriteString("model", route.Model);
        w.WriteNumber("weight", route.Weight);
        if (route.ServingVersion is not null)
            w.WriteString("serving_version", route.ServingVersion);
        w.WriteString("state", route.State);
        if (route.PendingVersion is not null)
            w.WriteString("pending_version", route.PendingVersion);
        if (route.Error is not null)
            w.WriteString("error", route.Error);
        if (route.LoadMilliseconds is { } loadMs)
            w.WriteNumber("load_ms", Math.Round(loadMs, 3));
        if (route.MemoryBytes is { } memory)
            w.WriteNumber("memory_bytes", memory);
        if (batching is not null)
        {
            w.WriteStartObject("batching");
            w.WriteNumber("max_batch_size", batching.MaxBatchSize);
            w.WriteNumber("max_queue_delay_ms", batching.MaxQueueDelay.TotalMilliseconds);
            w.WriteNumber("max_queue_size", batching.MaxQueueSize);
            w.WriteEndObject();
            w.WriteNumber("queue_depth", queueDepths?.GetValueOrDefault(route.Name) ?? 0);
        }
        w.WriteEndObject();
    }
}
