using System.Text;

namespace Slipway.Serving.Tests.Models;

/// <summary>
/// Small ONNX models written directly in protobuf wire format (field numbers from onnx.proto), for what the
/// conformance kit does not cover: every datatype, external data, ZipMap outputs, models that fail at run time.
/// </summary>
internal static class OnnxTestModels
{
    // onnx.TensorProto.DataType
    public const int Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8, Bool = 9,
        Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, BFloat16 = 16, Complex64 = 14;

    /// <summary><c>y = Identity(x)</c>, both <c>[N, 2]</c> of <paramref name="elementType"/>.</summary>
    public static byte[] Identity(int elementType, object? secondDim = null) => Model(graph => graph
        .Message(1, node => Node(node, "Identity", ["x"], ["y"]))
        .String(2, "identity")
        .Message(11, input => TensorInfo(input, "x", elementType, "N", secondDim ?? 2L))
        .Message(12, output => TensorInfo(output, "y", elementType, "N", secondDim ?? 2L)));

    /// <summary><c>y = Identity(x)</c> with a second, unused input <c>c</c> of <paramref name="unusedType"/>.</summary>
    public static byte[] IdentityWithUnusedInput(int unusedType) => Model(graph => graph
        .Message(1, node => Node(node, "Identity", ["x"], ["y"]))
        .String(2, "identity")
        .Message(11, input => TensorInfo(input, "x", Float, "N", 2L))
        .Message(11, input => TensorInfo(input, "c", unusedType, "N"))
        .Message(12, output => TensorInfo(output, "y", Float, "N", 2L)));

    /// <summary><c>y = x + w</c> with <c>w = [1, 2, 3]</c> stored in the external file <paramref name="dataFile"/>.</summary>
    public static byte[] AddExternalWeights(string dataFile) => Model(graph => graph
        .Message(1, node => Node(node, "Add", ["x", "w"], ["y"]))
        .String(2, "add")
        .Message(5, w => w
            .Varint(1, 3)
            .Varint(2, Float)
            .String(8, "w")
            .Message(13, e => e.String(1, "location").String(2, dataFile))
            .Message(13, e => e.String(1, "offset").String(2, "0"))
            .Message(13, e => e.String(1, "length").String(2, "12"))
            .Varint(14, 1))
        .Message(11, input => TensorInfo(input, "x", Float, "N", 3L))
        .Message(12, output => TensorInfo(output, "y", Float, "N", 3L)));

    public static byte[] ExternalWeights() => [.. BitConverter.GetBytes(1f), .. BitConverter.GetBytes(2f), .. BitConverter.GetBytes(3f)];

    /// <summary>A skl2onnx-style <c>ZipMap</c>: <c>[N, 2]</c> float → <c>seq(map(int64, float))</c>.</summary>
    public static byte[] ZipMap() => Model(
        graph => graph
            .Message(1, node => Node(node, "ZipMap", ["x"], ["probabilities"], "ai.onnx.ml")
                .Message(5, a => a.String(1, "classlabels_int64s").Varint(8, 0).Varint(8, 1).Varint(20, 7)))
            .String(2, "zipmap")
            .Message(11, input => TensorInfo(input, "x", Float, "N", 2L))
            .Message(12, output => output
                .String(1, "probabilities")
                .Message(2, type => type.Message(4, seq => seq.Message(1, element => element.Message(5, map => map
                    .Varint(1, Int64)
                    .Message(2, value => value.Message(1, tensor => tensor.Varint(1, Float)))))))),
        ("ai.onnx.ml", 1));

    /// <summary><c>y = Reshape(x, [-1, 2])</c> with x <c>[N, 3]</c>: fine for even N, fails at run time for N = 1.</summary>
    public static byte[] ReshapeToPairs() => Model(graph => graph
        .Message(1, node => Node(node, "Reshape", ["x", "shape"], ["y"]))
        .String(2, "pairs")
        .Message(5, shape => shape
            .Varint(1, 2)
            .Varint(2, Int64)
            .String(8, "shape")
            .Bytes(9, [.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(2L)]))
        .Message(11, input => TensorInfo(input, "x", Float, "N", 3L))
        .Message(12, output => TensorInfo(output, "y", Float, "M", 2L)));

    private static byte[] Model(Action<ProtoWriter> graph, params (string Domain, long Version)[] extraOpsets)
    {
        var model = new ProtoWriter()
            .Varint(1, 8)
            .String(2, "slipway-tests")
            .Message(7, graph)
            .Message(8, opset => opset.String(1, "").Varint(2, 17));
        foreach (var (domain, version) in extraOpsets)
            model.Message(8, opset => opset.String(1, domain).Varint(2, version));
        return model.ToArray();
    }

    private static ProtoWriter Node(ProtoWriter node, string op, string[] inputs, string[] outputs, string domain = "")
    {
        foreach (var input in inputs)
            node.String(1, input);
        foreach (var output in outputs)
            node.String(2, output);
        node.String(4, op);
        return domain.Length > 0 ? node.String(7, domain) : node;
    }

    /// <summary>A ValueInfoProto for a tensor; each dimension is a <c>long</c> (fixed) or a <c>string</c> (symbolic).</summary>
    private static ProtoWriter TensorInfo(ProtoWriter info, string name, int elementType, params object[] dims) => info
        .String(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, elementType)
            .Message(2, shape =>
            {
                foreach (var dim in dims)
                    shape.Message(1, d => _ = dim is string symbol ? d.String(2, symbol) : d.Varint(1, (long)dim));
            })));

    private sealed class ProtoWriter
    {
        private readonly MemoryStream _buffer = new();

        public ProtoWriter Varint(int field, long value)
        {
            WriteVarint((ulong)field << 3);
            WriteVarint((ulong)value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Bytes(int field, byte[] value)
        {
            WriteVarint(((ulong)field << 3) | 2);
            WriteVarint((ulong)value.Length);
            _buffer.Write(value);
            return this;
        }

        public ProtoWriter Message(int field, Action<ProtoWriter> build)
        {
            var inner = new ProtoWriter();
            build(inner);
            return Bytes(field, inner.ToArray());
        }

        public byte[] ToArray() => _buffer.ToArray();

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }

            _buffer.WriteByte((byte)value);
        }
    }
}
