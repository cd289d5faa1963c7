using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Logging;

/// <summary>
/// Writes a batch of records as one Parquet file with one row per request row (see <see cref="LogRows"/>):
/// <c>request_id, row, endpoint, route, model_version, timestamp</c> (unix ms)<c>, time</c> (UTC timestamp)<c>,
/// latency_ms, shadow, inputs, outputs</c> (JSON objects: tensor name → this row's nested list), then the flat
/// feature and prediction columns of <see cref="FlatColumns"/>.
/// </summary>
internal static class InferenceLogSegmentWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The fixed columns, plus <c>date</c>, which hive partitioning adds when reading.</summary>
    private static readonly string[] FixedColumns =
        ["request_id", "row", "endpoint", "route", "model_version", "timestamp", "time", "latency_ms", "shadow", "inputs", "outputs", "date"];

    public static async Task WriteAsync(Stream output, IReadOnlyList<InferenceLogRecord> records, CancellationToken ct)
    {
        var rowCounts = new int[records.Count];
        var perRow = new bool[records.Count];
        var rows = 0;
        for (var r = 0; r < records.Count; r++)
            rows = checked(rows + (rowCounts[r] = LogRows.Count(records[r], out perRow[r])));

        var requestIds = new string[rows];
        var rowIndexes = new int[rows];
        var endpoints = new string[rows];
        var routes = new string[rows];
        var versions = new string[rows];
        var timestamps = new long[rows];
        var times = new DateTime[rows];
        var latencies = new double[rows];
        var shadows = new bool[rows];
        var inputs = new string[rows];
        var outputs = new string[rows];
        var flat = FlatColumns.Plan(records, rowCounts, perRow, rows, new HashSet<string>(FixedColumns, StringComparer.OrdinalIgnoreCase));

        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, JsonOptions);
        var at = 0;
        for (var r = 0; r < records.Count; r++)
        {
            var record = records[r];
            var time = DateTimeOffset.FromUnixTimeMilliseconds(record.Timestamp).UtcDateTime;
            for (var i = 0; i < rowCounts[r]; i++)
            {
                requestIds[at + i] = record.RequestId;
                rowIndexes[at + i] = i;
                endpoints[at + i] = record.Endpoint;
                routes[at + i] = record.Route;
                versions[at + i] = record.ModelVersion;
                timestamps[at + i] = record.Timestamp;
                times[at + i] = time;
                latencies[at + i] = record.LatencyMilliseconds;
                shadows[at + i] = record.Shadow;
                inputs[at + i] = RowJson(json, buffer, record.Inputs, perRow[r], rowCounts[r], i);
                outputs[at + i] = RowJson(json, buffer, record.Outputs, perRow[r], rowCounts[r], i);
            }
            foreach (var columns in flat)
            {
                var tensor = LogRows.Find(columns.IsInput ? record.Inputs : record.Outputs, columns.TensorName)!;
                if (columns.IsText)
                    CopyText((byte[][])tensor.Data, rowCounts[r], columns.Texts, at);
                else
                    TensorValues.CopyToColumns(tensor, rowCounts[r], columns.Width, columns.Values, at);
            }
            at += rowCounts[r];
        }

        var fields = new List<DataField>
        {
            new DataField<string>("request_id", false),
            new DataField<int>("row", false),
            new DataField<string>("endpoint", false),
            new DataField<string>("route", false),
            new DataField<string>("model_version", false),
            new DataField<long>("timestamp", false),
            new DateTimeDataField("time", DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false),
            new DataField<double>("latency_ms", false),
            new DataField<bool>("shadow", false),
            new DataField<string>("inputs", false),
            new DataField<string>("outputs", false),
        };
        var fixedCount = fields.Count;
        foreach (var columns in flat)
        {
            foreach (var name in columns.ColumnNames)
                fields.Add(columns.IsText ? new DataField<string>(name, true) : new DataField<double>(name, false));
        }

        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), output, cancellationToken: ct);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(fields[0], requestIds);
        await group.WriteAsync<int>(fields[1], rowIndexes, cancellationToken: ct);
        await group.WriteAsync(fields[2], endpoints);
        await group.WriteAsync(fields[3], routes);
        await group.WriteAsync(fields[4], versions);
        await group.WriteAsync<long>(fields[5], timestamps, cancellationToken: ct);
        await group.WriteAsync<DateTime>(fields[6], times, cancellationToken: ct);
        await group.WriteAsync<double>(fields[7], latencies, cancellationToken: ct);
        await group.WriteAsync<bool>(fields[8], shadows, cancellationToken: ct);
        await group.WriteAsync(fields[9], inputs);
        await group.WriteAsync(fields[10], outputs);
        var next = fixedCount;
        foreach (var columns in flat)
        {
            if (columns.IsText)
                await group.WriteAsync(fields[next++], columns.Texts);
            foreach (var values in columns.Values)
                await group.WriteAsync<double>(fields[next++], values, cancellationToken: ct);
        }
        group.CompleteValidate();
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static void CopyText(byte[][] values, int rows, string?[] column, int firstRow)
    {
        for (var i = 0; i < rows; i++)
        {
            try
            {
                column[firstRow + i] = StrictUtf8.GetString(values[i]);
            }
            catch (DecoderFallbackException)
            {
                column[firstRow + i] = null;
            }
        }
    }

    /// <summary>One row's tensors as a JSON object: sliced tensors give their row, the others are written whole.</summary>
    private static string RowJson(Utf8JsonWriter json, ArrayBufferWriter<byte> buffer, IReadOnlyList<Tensor> tensors, bool perRow, int rows, int row)
    {
        buffer.ResetWrittenCount();
        json.Reset(buffer);
        json.WriteStartObject();
        foreach (var tensor in tensors)
        {
            json.WritePropertyName(tensor.Name);
            if (LogRows.IsSliced(tensor, perRow, rows))
            {
                var rowShape = tensor.Shape.AsSpan(1);
                TensorValues.WriteJson(json, tensor, rowShape, row * ShapeMath.ElementCount(rowShape));
            }
            else
            {
                TensorValues.WriteJson(json, tensor, tensor.Shape, 0);
            }
        }
        json.WriteEndObject();
        json.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
