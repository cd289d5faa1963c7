using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Client;

/// <summary>
/// Per-route traffic of an endpoint as one server replica counted it (<see cref="SlipwayClient.GetEndpointStatsAsync"/>).
/// The counts are cumulative since the route's series were created on that replica (its first request or the first
/// routing table that named it; a restart starts again from zero), so compare two snapshots with
/// <see cref="EndpointRouteStats.Minus"/> to see the traffic of a window.
/// </summary>
public sealed record EndpointStats
{
    /// <summary>The endpoint name.</summary>
    public string Endpoint { get; init => field = value ?? ""; } = "";

    /// <summary>When the replica read its counters, milliseconds since the Unix epoch.</summary>
    public long CollectedAt { get; init; }

    /// <summary>Every route of the spec, in spec order.</summary>
    public IReadOnlyList<EndpointRouteStats> Routes { get; init => field = value ?? []; } = [];

    /// <summary>The route named <paramref name="name"/>, or null.</summary>
    public EndpointRouteStats? Route(string name) => Routes.FirstOrDefault(r => r.Name == name);
}

/// <summary>One route's cumulative traffic, or (after <see cref="Minus"/>) the traffic of a window.</summary>
public sealed record EndpointRouteStats
{
    /// <summary>The route name.</summary>
    public string Name { get; init => field = value ?? ""; } = "";

    /// <summary>The route's model reference.</summary>
    public string Model { get; init => field = value ?? ""; } = "";

    /// <summary>The version the route serves now; null before its first load.</summary>
    public string? ServingVersion { get; init; }

    /// <summary>The route's share of the traffic in the spec.</summary>
    public int Weight { get; init; }

    /// <summary>Requests routed to the route (a request in flight is already counted).</summary>
    public long Requests { get; init; }

    /// <summary>Requests that failed on the route, except those their caller cancelled.</summary>
    public long Errors { get; init; }

    /// <summary>Total latency of the answered requests, in seconds.</summary>
    public double LatencySecondsSum { get; init; }

    /// <summary>Answered requests by latency, cumulative, by ascending bound; the last bound is +∞ and counts them all.</summary>
    public IReadOnlyList<LatencyBucket> LatencyBuckets { get; init => field = value ?? []; } = [];

    /// <summary>Requests answered (those in the +∞ bucket).</summary>
    [JsonIgnore]
    public long Answered => LatencyBuckets.Count == 0 ? 0 : LatencyBuckets[^1].Count;

    /// <summary><see cref="Errors"/> / <see cref="Requests"/>; 0 without requests.</summary>
    [JsonIgnore]
    public double ErrorRate => Requests == 0 ? 0 : (double)Errors / Requests;

    /// <summary>
    /// The traffic between <paramref name="earlier"/> and this snapshot of the same route. When a count went down (the
    /// replica restarted, or the request landed on another replica) the counters were reset, and the whole of this
    /// snapshot is the window, as Prometheus' <c>increase()</c> assumes.
    /// </summary>
    /// <exception cref="ArgumentException">The two snapshots have different latency buckets.</exception>
    public EndpointRouteStats Minus(EndpointRouteStats earlier)
    {
        ArgumentNullException.ThrowIfNull(earlier);
        if (earlier.LatencyBuckets.Count != LatencyBuckets.Count ||
            earlier.LatencyBuckets.Where((b, i) => !b.Le.Equals(LatencyBuckets[i].Le)).Any())
            throw new ArgumentException("The snapshots have different latency buckets.", nameof(earlier));
        if (Requests < earlier.Requests || Errors < earlier.Errors || Answered < earlier.Answered)
            return this;
        return this with
        {
            Requests = Requests - earlier.Requests,
            Errors = Errors - earlier.Errors,
            LatencySecondsSum = Math.Max(0, LatencySecondsSum - earlier.LatencySecondsSum),
            LatencyBuckets = [.. LatencyBuckets.Select((b, i) => b with { Count = Math.Max(0, b.Count - earlier.LatencyBuckets[i].Count) })],
        };
    }

    /// <summary>
    /// The approximate <paramref name="q"/>-quantile of the latency in seconds, as Prometheus' <c>histogram_quantile</c>
    /// estimates it: linear interpolation inside the bucket that holds the rank. A rank in the +∞ bucket answers the
    /// highest finite bound. NaN when no request was answered.
    /// </summary>
    /// <param name="q">The quantile, 0 to 1 (0.99 for p99).</param>
    public double LatencyQuantile(double q)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(q, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(q, 1);
        var total = Answered;
        if (total == 0)
            return double.NaN;
        var rank = q * total;
        for (var i = 0; i < LatencyBuckets.Count; i++)
        {
            var bucket = LatencyBuckets[i];
            if (bucket.Count < rank)
                continue;
            if (double.IsPositiveInfinity(bucket.Le))
                return i == 0 ? double.NaN : LatencyBuckets[i - 1].Le;
            var lower = i == 0 ? 0 : LatencyBuckets[i - 1].Le;
            var below = i == 0 ? 0 : LatencyBuckets[i - 1].Count;
            if (i == 0 && bucket.Le <= 0)
                return bucket.Le;
            var inBucket = bucket.Count - below;
            return inBucket == 0 ? bucket.Le : lower + (bucket.Le - lower) * (rank - below) / inBucket;
        }
        return LatencyBuckets[^1].Le;
    }
}

/// <summary>A cumulative latency bucket: <paramref name="Count"/> answers took at most <paramref name="Le"/> seconds.</summary>
/// <param name="Le">The upper bound in seconds; +∞ for the last bucket (<c>"+Inf"</c> on the wire).</param>
/// <param name="Count">Answers at or under the bound.</param>
public sealed record LatencyBucket([property: JsonConverter(typeof(BucketBoundConverter))] double Le, long Count);

/// <summary>Reads a bucket bound written as a number or as <c>"+Inf"</c>/<c>"Infinity"</c>; writes +∞ as <c>"+Inf"</c>.</summary>
internal sealed class BucketBoundConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.GetDouble();
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return text switch
        {
            "+Inf" or "Inf" or "inf" or "+inf" or "Infinity" => double.PositiveInfinity,
            not null when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
            _ => throw new JsonException("A latency bucket bound must be a number or \"+Inf\"."),
        };
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsPositiveInfinity(value))
            writer.WriteStringValue("+Inf");
        else
            writer.WriteNumberValue(value);
    }
}
