using Parquet;
using Parquet.Schema;
using Slipway.Artifacts;

namespace Slipway.Serving.Logging;

/// <summary>A ground-truth label for a logged request: one row of it (<see cref="Row"/>), or every row when null.</summary>
public sealed record FeedbackLabel(string RequestId, int? Row, string Label);

/// <summary>
/// Stores ground truth next to the inference log, under
/// <c>inference-logs/&lt;endpoint&gt;/feedback/date=YYYY-MM-DD/part-&lt;utc time&gt;-&lt;random&gt;.parquet</c> (the day it was
/// received), with columns <c>request_id, row</c> (nullable: null labels every row of the request)<c>, label,
/// endpoint, timestamp</c> (unix ms)<c>, time</c>. Each call writes its own small segment at once, before the API
/// answers: feedback is rare next to predictions, and an accepted label is then durable. Monitoring joins it to
/// the log on <c>request_id</c> (and <c>row</c>); a later label for the same row supersedes an earlier one.
/// </summary>
public sealed class FeedbackStore(IArtifactStore store, TimeProvider time)
{
    /// <summary>Writes the labels as one new segment and returns its artifact path.</summary>
    public async Task<string> AppendAsync(string endpoint, IReadOnlyList<FeedbackLabel> labels, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var path = InferenceLogPaths.FeedbackDateFolder(endpoint, DateOnly.FromDateTime(now.UtcDateTime)) + "/" + InferenceLogPaths.SegmentName(now);
        var requestIds = new string[labels.Count];
        var rows = new int?[labels.Count];
        var values = new string[labels.Count];
        var endpoints = new string[labels.Count];
        var timestamps = new long[labels.Count];
        var times = new DateTime[labels.Count];
        var unixMilliseconds = now.ToUnixTimeMilliseconds();
        // Stored at millisecond precision, like the timestamp column.
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds).UtcDateTime;
        for (var i = 0; i < labels.Count; i++)
        {
            requestIds[i] = labels[i].RequestId;
            rows[i] = labels[i].Row;
            values[i] = labels[i].Label;
            endpoints[i] = endpoint;
            timestamps[i] = unixMilliseconds;
            times[i] = utc;
        }

        var fields = new DataField[]
        {
            new DataField<string>("request_id", false),
            new DataField<int?>("row", true),
            new DataField<string>("label", false),
            new DataField<string>("endpoint", false),
            new DataField<long>("timestamp", false),
            new DateTimeDataField("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false),
        };
        using var file = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), file, cancellationToken: ct))
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], requestIds);
            await group.WriteAsync<int>(fields[1], rows, cancellationToken: ct);
            await group.WriteAsync(fields[2], values);
            await group.WriteAsync(fields[3], endpoints);
            await group.WriteAsync<long>(fields[4], timestamps, cancellationToken: ct);
            await group.WriteAsync<DateTime>(fields[5], times, cancellationToken: ct);
            group.CompleteValidate();
        }
        file.Position = 0;
        await store.WriteAsync(path, file, ct);
        return path;
    }
}
