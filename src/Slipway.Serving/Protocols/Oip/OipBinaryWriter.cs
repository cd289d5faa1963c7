using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// The response side of the binary tensor extension: the JSON header (its length in
/// <c>Inference-Header-Content-Length</c>), then each output asked for in binary, in output order.
/// </summary>
internal static class OipBinaryWriter
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>Bytes of the tensor in the binary layout (a BYTES element takes 4 + its length).</summary>
    public static long SizeOf(Tensor tensor)
    {
        if (tensor.DataType != TensorDataType.Bytes)
            return (long)tensor.Data.Length * tensor.DataType.ElementSize();
        long size = 0;
        foreach (var element in (byte[][])tensor.Data)
            size += 4 + element.Length;
        return size;
    }

    public static async Task WriteResponseAsync(HttpResponse response, string modelName, InferenceResult result, string? id,
        OipInferRequest request, CancellationToken ct)
    {
        // The header's length goes into an HTTP header, so it is written to a buffer first.
        var header = new ArrayBufferWriter<byte>(512);
        await using (var writer = new Utf8JsonWriter(header, OipJsonWriter.WriterOptions))
            await OipJsonWriter.WriteInferResponseAsync(writer, null, modelName, result, id, request, null, ct);
        long binaryLength = 0;
        foreach (var output in result.Outputs)
        {
            if (request.IsBinaryOutput(output.Name))
                binaryLength += SizeOf(output);
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        response.Headers[OipBinaryReader.HeaderLengthHeader] = header.WrittenCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentLength = header.WrittenCount + binaryLength;
        var pipe = response.BodyWriter;
        pipe.Write(header.WrittenSpan);
        foreach (var output in result.Outputs)
        {
            if (!request.IsBinaryOutput(output.Name))
                continue;
            if (output.DataType == TensorDataType.Bytes)
                await WriteBytesElementsAsync(pipe, (byte[][])output.Data, ct);
            else
                await WriteRawAsync(pipe, output.Data, SizeOf(output), ct);
        }
        await pipe.FlushAsync(ct);
    }

    /// <summary>Copies a primitive array as it lies in memory (little-endian on every platform .NET runs on), 64 KB at a time.</summary>
    private static async ValueTask WriteRawAsync(PipeWriter pipe, Array data, long length, CancellationToken ct)
    {
        for (long offset = 0; offset < length; offset += ChunkBytes)
        {
            var count = (int)Math.Min(ChunkBytes, length - offset);
            pipe.Write(RawBytes(data, offset, count));
            await pipe.FlushAsync(ct);
        }
    }

    private static ReadOnlySpan<byte> RawBytes(Array data, long offset, int count) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AddByteOffset(ref MemoryMarshal.GetArrayDataReference(data), (nint)offset), count);

    private static async ValueTask WriteBytesElementsAsync(PipeWriter pipe, byte[][] elements, CancellationToken ct)
    {
        var pending = 0;
        foreach (var element in elements)
        {
            var span = pipe.GetSpan(4);
            BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)element.Length);
            pipe.Advance(4);
            pipe.Write(element);
            pending += 4 + element.Length;
            if (pending >= ChunkBytes)
            {
                pending = 0;
                await pipe.FlushAsync(ct);
            }
        }
    }
}
