using System.Text;

namespace Slipway.Pipelines.Tests.BuiltIn;

/// <summary>
/// Tiny ONNX models written as protobuf bytes (field numbers from onnx.proto), each taking <c>x</c> float <c>[N, 3]</c>:
/// one that answers every request, one that passes the server's one-row warm-up but fails at run time on any request
/// of two or more rows (a candidate that loads fine and breaks in production), and one that fails its warm-up.
/// </summary>
internal static class DeployTestModels
{
    private const int Float = 1, Int64 = 7;

    /// <summary><c>y = Identity(x)</c>.</summary>
    public static byte[] Good() => Model(graph =>
    {
        graph.Message(1, node => node.Text(1, "x").Text(2, "y").Text(4, "Identity"));
        graph.Text(2, "good");
        graph.Message(11, input => Tensor(input, "x", "N", 3L));
        graph.Message(12, output => Tensor(output, "y", "N", 3L));
    });

    /// <summary><c>y = Reshape(x, [3])</c>: right for one row (the warm-up), a runtime error for more.</summary>
    public static byte[] FailsOnBatches() => Model(graph =>
    {
        graph.Message(1, node => node.Text(1, "x").Text(1, "shape").Text(2, "y").Text(4, "Reshape"));
        graph.Text(2, "bad");
        graph.Message(5, shape => shape.Varint(1, 1).Varint(2, Int64).Text(8, "shape").Bytes(9, BitConverter.GetBytes(3L)));
        graph.Message(11, input => Tensor(input, "x", "N", 3L));
        graph.Message(12, output => Tensor(output, "y", 3L));
    });

    /// <summary><c>y = Reshape(x, [-1, 2])</c>: three numbers per row cannot make pairs, so even the one-row warm-up fails and the version never loads.</summary>
    public static byte[] FailsToLoad() => Model(graph =>
    {
        graph.Message(1, node => node.Text(1, "x").Text(1, "shape").Text(2, "y").Text(4, "Reshape"));
        graph.Text(2, "unloadable");
        graph.Message(5, shape => shape.Varint(1, 2).Varint(2, Int64).Text(8, "shape").Bytes(9, [.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(2L)]));
        graph.Message(11, input => Tensor(input, "x", "N", 3L));
        graph.Message(12, output => Tensor(output, "y", "M", 2L));
    });

    private static byte[] Model(Action<Proto> graph)
    {
        var model = new Proto().Varint(1, 8).Text(2, "slipway-deploy-tests").Message(7, graph).Message(8, opset => opset.Text(1, "").Varint(2, 17));
        return model.ToArray();
    }

    private static void Tensor(Proto info, string name, params object[] dims) => info
        .Text(1, name)
        .Message(2, type => type.Message(1, tensor => tensor
            .Varint(1, Float)
            .Message(2, shape =>
            {
                foreach (var dim in dims)
                    shape.Message(1, d => _ = dim is string symbol ? d.Text(2, symbol) : d.Varint(1, (long)dim));
            })));

    private sealed class Proto
    {
        private readonly MemoryStream _bytes = new();

        public Proto Varint(int field, long value)
        {
            Raw((ulong)field << 3);
            Raw((ulong)value);
            return this;
        }

        public Proto Text(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public Proto Bytes(int field, byte[] value)
        {
            Raw(((ulong)field << 3) | 2);
            Raw((ulong)value.Length);
            _bytes.Write(value);
            return this;
        }

        public Proto Message(int field, Action<Proto> build)
        {
            var inner = new Proto();
            build(inner);
            return Bytes(field, inner.ToArray());
        }

        public byte[] ToArray() => _bytes.ToArray();

        private void Raw(ulong value)
        {
            for (; value >= 0x80; value >>= 7)
                _bytes.WriteByte((byte)(value | 0x80));
            _bytes.WriteByte((byte)value);
        }
    }
}
