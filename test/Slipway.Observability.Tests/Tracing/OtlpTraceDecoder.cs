using System.Text;

namespace Slipway.Observability.Tests.Tracing;

/// <summary>A span as received over OTLP: its service, scope, name, ids and string attributes.</summary>
internal sealed record ReceivedSpan(
    string ServiceName, string Scope, string Name, string TraceId, string SpanId, string ParentSpanId, int Kind,
    IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Decodes an OTLP/HTTP protobuf <c>ExportTraceServiceRequest</c> with a minimal protobuf wire reader, following the
/// field numbers of opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto). Only what the tests read is
/// kept: resource service.name, scope name, span name, ids, kind and string attributes; other fields are skipped.
/// </summary>
internal static class OtlpTraceDecoder
{
    public static List<ReceivedSpan> Decode(ReadOnlySpan<byte> request)
    {
        var spans = new List<ReceivedSpan>();
        var reader = new ProtoReader(request);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
                DecodeResourceSpans(reader.Bytes(), spans);
            else
                reader.Skip(wire);
        }
        return spans;
    }

    private static void DecodeResourceSpans(ReadOnlySpan<byte> message, List<ReceivedSpan> spans)
    {
        var service = "";
        var scopes = new List<byte[]>();
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
                service = Attributes(reader.Bytes(), attributeField: 1).GetValueOrDefault("service.name", "");
            else if (field == 2 && wire == ProtoReader.LengthDelimited)
                scopes.Add(reader.Bytes().ToArray());
            else
                reader.Skip(wire);
        }
        foreach (var scope in scopes)
            DecodeScopeSpans(scope, service, spans);
    }

    private static void DecodeScopeSpans(ReadOnlySpan<byte> message, string service, List<ReceivedSpan> spans)
    {
        var scopeName = "";
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
                scopeName = FirstString(reader.Bytes(), 1);
            else if (field == 2 && wire == ProtoReader.LengthDelimited)
                spans.Add(DecodeSpan(reader.Bytes(), service, scopeName));
            else
                reader.Skip(wire);
        }
    }

    private static ReceivedSpan DecodeSpan(ReadOnlySpan<byte> message, string service, string scope)
    {
        string traceId = "", spanId = "", parent = "", name = "";
        var kind = 0;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            switch (field, wire)
            {
                case (1, ProtoReader.LengthDelimited): traceId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (2, ProtoReader.LengthDelimited): spanId = Convert.ToHexStringLower(reader.Bytes()); break;
                case (4, ProtoReader.LengthDelimited): parent = Convert.ToHexStringLower(reader.Bytes()); break;
                case (5, ProtoReader.LengthDelimited): name = Encoding.UTF8.GetString(reader.Bytes()); break;
                case (6, ProtoReader.VarintType): kind = (int)reader.Varint(); break;
                case (9, ProtoReader.LengthDelimited):
                    var (key, value) = KeyValue(reader.Bytes());
                    if (value is not null)
                        attributes[key] = value;
                    break;
                default: reader.Skip(wire); break;
            }
        }
        return new ReceivedSpan(service, scope, name, traceId, spanId, parent, kind, attributes);
    }

    /// <summary>The string-valued KeyValue entries in field <paramref name="attributeField"/> of a message.</summary>
    private static Dictionary<string, string> Attributes(ReadOnlySpan<byte> message, int attributeField)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field != attributeField || wire != ProtoReader.LengthDelimited)
            {
                reader.Skip(wire);
                continue;
            }
            var (key, value) = KeyValue(reader.Bytes());
            if (value is not null)
                attributes[key] = value;
        }
        return attributes;
    }

    /// <summary>KeyValue { string key = 1; AnyValue value = 2 }, with AnyValue's string_value = 1 (null for other types).</summary>
    private static (string Key, string? Value) KeyValue(ReadOnlySpan<byte> message)
    {
        var key = "";
        string? value = null;
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == 1 && wire == ProtoReader.LengthDelimited)
                key = Encoding.UTF8.GetString(reader.Bytes());
            else if (field == 2 && wire == ProtoReader.LengthDelimited)
                value = FirstStringOrNull(reader.Bytes(), 1);
            else
                reader.Skip(wire);
        }
        return (key, value);
    }

    private static string FirstString(ReadOnlySpan<byte> message, int wanted) => FirstStringOrNull(message, wanted) ?? "";

    private static string? FirstStringOrNull(ReadOnlySpan<byte> message, int wanted)
    {
        var reader = new ProtoReader(message);
        while (reader.Next(out var field, out var wire))
        {
            if (field == wanted && wire == ProtoReader.LengthDelimited)
                return Encoding.UTF8.GetString(reader.Bytes());
            reader.Skip(wire);
        }
        return null;
    }
}
