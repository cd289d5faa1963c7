using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Google.Protobuf;
using Slipway.Serving.Protocols.Grpc;
using static Slipway.Serving.Protocols.Grpc.ModelInferRequest.Types;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>
/// Builds OIP gRPC requests and reads raw contents the way a client does, independently of the server's codec
/// (the tests run on little-endian hosts, where the wire layout is the memory layout).
/// </summary>
public static class GrpcTensors
{
    public static InferInputTensor Input(string name, string datatype, long[] shape, InferTensorContents? contents = null)
    {
        var input = new InferInputTensor { Name = name, Datatype = datatype, Contents = contents };
        input.Shape.AddRange(shape);
        return input;
    }

    public static ModelInferRequest Request(string model, params InferInputTensor[] inputs)
    {
        var request = new ModelInferRequest { ModelName = model };
        request.Inputs.AddRange(inputs);
        return request;
    }

    public static ByteString Raw<T>(params T[] values)
        where T : unmanaged => ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));

    public static ByteString RawStrings(params string[] values)
    {
        var bytes = new List<byte>();
        foreach (var value in values)
        {
            var utf8 = Encoding.UTF8.GetBytes(value);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
            bytes.AddRange(length);
            bytes.AddRange(utf8);
        }
        return ByteString.CopyFrom([.. bytes]);
    }

    public static T[] FromRaw<T>(ByteString raw)
        where T : unmanaged => MemoryMarshal.Cast<byte, T>(raw.Span).ToArray();

    public static string[] StringsFromRaw(ByteString raw)
    {
        var values = new List<string>();
        var span = raw.Span;
        while (span.Length > 0)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(span);
            values.Add(Encoding.UTF8.GetString(span.Slice(4, length)));
            span = span[(4 + length)..];
        }
        return [.. values];
    }
}
