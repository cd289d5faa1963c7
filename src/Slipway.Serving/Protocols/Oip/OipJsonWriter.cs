using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// Writes OIP JSON with <see cref="Utf8JsonWriter"/> straight to the response pipe. Output data is written in chunks
/// and the pipe is flushed whenever about 64 KB are pending, so a large tensor streams instead of piling up in memory.
/// </summary>
internal static partial class OipJsonWriter
{
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private const int FlushThreshold = 64 * 1024;
    private const int ChunkElements = 1024;

    /// <summary>
    /// Checks, before the first byte goes out, what could otherwise only fail half-way through the body: each output's
    /// data matches its datatype and shape, and BYTES written as JSON strings are UTF-8 text.
    /// </summary>
    public static void Validate(IReadOnlyList<Tensor> outputs, OipInferRequest? request)
    {
        foreach (var output in outputs)
        {
            if (output.Data.GetType() != output.DataType.ArrayType() || output.Data.Length != output.ElementCount)
                throw new InvalidOperationException($"Output '{output.Name}' holds {output.Data.GetType().Name} of {output.Data.Length} elements for {output.DataType.WireName()} {OipJsonReader.FormatShape(output.Shape)}.");
            if (output.DataType != TensorDataType.Bytes || request?.IsBinaryOutput(output.Name) == true)
                continue;
            foreach (var element in (byte[][])output.Data)
            {
                if (!Utf8.IsValid(element))
                    throw SlipwayException.InvalidParameter($"Output '{output.Name}' holds bytes that are not UTF-8 text; request it with the 'binary_data' parameter.");
            }
        }
    }

    /// <summary>
    /// Writes <c>{"model_name","model_version","id"?,"parameters"?,"outputs"}</c>. Outputs that <paramref name="request"/>
    /// wants in binary get <c>parameters.binary_data_size</c> and no <c>data</c>. With a <paramref name="pipe"/>, the
    /// writer is flushed to it as data accumulates.
    /// </summary>
    public static async ValueTask WriteInferResponseAsync(Utf8JsonWriter writer, PipeWriter? pipe, string modelName, InferenceResult result,
        string? id, OipInferRequest? request, IReadOnlyDictionary<string, object?>? parameters, CancellationToken ct)
    {
        writer.WriteStartObject();
        writer.WriteString("model_name"u8, modelName);
        // OIP clients expect the bare version ("3"); the result names the model too ("fraud/3").
        writer.WriteString("model_version"u8, ModelVersions.Bare(result.ModelVersion));
        if (id is not null)
            writer.WriteString("id"u8, id);
        if (parameters is { Count: > 0 })
            WriteParameters(writer, parameters);
        writer.WriteStartArray("outputs"u8);
        foreach (var output in result.Outputs)
        {
            writer.WriteStartObject();
            writer.WriteString("name"u8, output.Name);
            writer.WriteString("datatype"u8, output.DataType.WireName());
            WriteShape(writer, "shape"u8, output.Shape);
            if (request?.IsBinaryOutput(output.Name) == true)
            {
                writer.WriteStartObject("parameters"u8);
                writer.WriteNumber("binary_data_size"u8, OipBinaryWriter.SizeOf(output));
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteStartArray("data"u8);
                for (var start = 0; start < output.Data.Length; start += ChunkElements)
                {
                    WriteData(writer, output, start, Math.Min(start + ChunkElements, output.Data.Length));
                    if (pipe is not null && writer.BytesPending >= FlushThreshold)
                    {
                        writer.Flush();
                        await pipe.FlushAsync(ct);
                    }
                }
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static void WriteShape(Utf8JsonWriter writer, ReadOnlySpan<byte> name, long[] shape)
    {
        writer.WriteStartArray(name);
        foreach (var dim in shape)
            writer.WriteNumberValue(dim);
        writer.WriteEndArray();
    }

    private static void WriteParameters(Utf8JsonWriter writer, IReadOnlyDictionary<string, object?> parameters)
    {
        writer.WriteStartObject("parameters"u8);
        foreach (var (key, value) in parameters)
        {
            writer.WritePropertyName(key);
            switch (value)
            {
                case string text:
                    writer.WriteStringValue(text);
                    break;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    break;
                case long integer:
                    writer.WriteNumberValue(integer);
                    break;
                case double real:
                    WriteDouble(writer, real);
                    break;
                default:
                    writer.WriteNullValue();
                    break;
            }
        }
        writer.WriteEndObject();
    }
}
