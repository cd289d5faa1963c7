using System.Globalization;
using System.Text;
using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Turns JSON values (nested lists of numbers, strings or booleans) into a typed <see cref="Tensor"/> for a signature
/// input: the shape comes from the nesting, the element type from the input's datatype.
/// </summary>
internal static class TensorBuilder
{
    /// <summary>A tensor from a nested JSON array (or a scalar, which becomes one element of shape [1]).</summary>
    public static Tensor FromJson(TensorSpec spec, JsonElement value)
    {
        var shape = new List<long>();
        var probe = value;
        while (probe.ValueKind == JsonValueKind.Array)
        {
            shape.Add(probe.GetArrayLength());
            if (probe.GetArrayLength() == 0)
                break;
            probe = probe[0];
        }
        if (shape.Count == 0)
            shape.Add(1);
        var count = ShapeMath.ElementCount(shape.ToArray());
        if (count > ShapeMath.MaxElements)
            throw SlipwayException.InvalidParameter($"Input '{spec.Name}' has {count} elements, more than the limit of {ShapeMath.MaxElements}.");
        var sink = new ElementSink(spec, (int)count);
        Flatten(value, 0, shape, sink, spec.Name);
        return new Tensor(spec.Name, spec.DataType, FitShape(spec, shape.ToArray()), sink.Data);
    }

    /// <summary>A tensor from column values (one per row), shaped [rows] or [rows, 1] as the signature wants.</summary>
    public static Tensor FromColumn(TensorSpec spec, IReadOnlyList<JsonElement> column)
    {
        var sink = new ElementSink(spec, column.Count);
        foreach (var cell in column)
            sink.Add(cell, spec.Name);
        long[] shape = spec.Shape.Length == 2 ? [column.Count, 1] : [column.Count];
        return new Tensor(spec.Name, spec.DataType, shape, sink.Data);
    }

    /// <summary>A tensor from whole rows of scalars (a DataFrame's values), shaped [rows, columns].</summary>
    public static Tensor FromRows(TensorSpec spec, IReadOnlyList<IReadOnlyList<JsonElement>> rows, int columns)
    {
        var sink = new ElementSink(spec, checked(rows.Count * columns));
        foreach (var row in rows)
        {
            if (row.Count != columns)
                throw SlipwayException.InvalidParameter($"Every row must have {columns} values; one has {row.Count}.");
            foreach (var cell in row)
                sink.Add(cell, spec.Name);
        }
        return new Tensor(spec.Name, spec.DataType, [rows.Count, columns], sink.Data);
    }

    /// <summary>A column vector given where the model wants [N, 1] (or the reverse) is reshaped, as MLflow's schema enforcement does.</summary>
    private static long[] FitShape(TensorSpec spec, long[] shape)
    {
        if (spec.Shape.Length == 2 && spec.Shape[1] == 1 && shape.Length == 1)
            return [shape[0], 1];
        if (spec.Shape.Length == 1 && shape.Length == 2 && shape[1] == 1)
            return [shape[0]];
        return shape;
    }

    private static void Flatten(JsonElement value, int depth, List<long> shape, ElementSink sink, string input)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            if (depth != shape.Count && !(shape.Count == 1 && depth == 0))
                throw SlipwayException.InvalidParameter($"Input '{input}' is a ragged nested list: every level must have the same length.");
            sink.Add(value, input);
            return;
        }
        if (depth >= shape.Count || value.GetArrayLength() != shape[depth])
            throw SlipwayException.InvalidParameter($"Input '{input}' is a ragged nested list: every level must have the same length.");
        foreach (var item in value.EnumerateArray())
            Flatten(item, depth + 1, shape, sink, input);
    }

    /// <summary>Collects elements into the array type of the input's datatype, converting as MLflow's schema enforcement allows.</summary>
    private sealed class ElementSink
    {
        private readonly TensorSpec _spec;
        private int _next;

        public ElementSink(TensorSpec spec, int count)
        {
            _spec = spec;
            Data = Array.CreateInstance(spec.DataType.ArrayType().GetElementType()!, count);
        }

        public Array Data { get; }

        public void Add(JsonElement cell, string input)
        {
            if (_next >= Data.Length)
                throw SlipwayException.InvalidParameter($"Input '{input}' has more values than its shape allows.");
            var at = _next++;
            try
            {
                Store(cell, input, at);
            }
            catch (OverflowException)
            {
                throw Invalid(cell, input, $"a value that fits {_spec.DataType.WireName()}");
            }
        }

        private void Store(JsonElement cell, string input, int at)
        {
            switch (Data)
            {
                case float[] f: f[at] = (float)Number(cell, input); break;
                case double[] d: d[at] = Number(cell, input); break;
                case long[] l: l[at] = checked((long)Integer(cell, input)); break;
                case int[] i: i[at] = checked((int)Integer(cell, input)); break;
                case short[] s: s[at] = checked((short)Integer(cell, input)); break;
                case sbyte[] sb: sb[at] = checked((sbyte)Integer(cell, input)); break;
                case byte[] b: b[at] = checked((byte)Integer(cell, input)); break;
                case ushort[] us: us[at] = checked((ushort)Integer(cell, input)); break;
                case uint[] ui: ui[at] = checked((uint)Integer(cell, input)); break;
                case ulong[] ul: ul[at] = checked((ulong)Integer(cell, input)); break;
                case bool[] bo:
                    bo[at] = cell.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw Invalid(cell, input, "a boolean"),
                    };
                    break;
                case byte[][] bytes:
                    bytes[at] = cell.ValueKind switch
                    {
                        JsonValueKind.String => Encoding.UTF8.GetBytes(cell.GetString()!),
                        JsonValueKind.Number => Encoding.UTF8.GetBytes(cell.GetRawText()),
                        _ => throw Invalid(cell, input, "a string"),
                    };
                    break;
                default:
                    throw SlipwayException.InvalidParameter($"Input '{input}' has datatype {_spec.DataType.WireName()}, which /invocations does not support.");
            }
        }

        private static double Number(JsonElement cell, string input) => cell.ValueKind switch
        {
            JsonValueKind.Number => cell.GetDouble(),
            JsonValueKind.String when double.TryParse(cell.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            JsonValueKind.Null => double.NaN,
            _ => throw Invalid(cell, input, "a number"),
        };

        private static decimal Integer(JsonElement cell, string input)
        {
            if (cell.ValueKind == JsonValueKind.Number && cell.TryGetDecimal(out var value) && value == decimal.Truncate(value))
                return value;
            throw Invalid(cell, input, "an integer");
        }

        private static SlipwayException Invalid(JsonElement cell, string input, string expected)
        {
            var text = cell.GetRawText();
            return SlipwayException.InvalidParameter($"Input '{input}' expects {expected}, got {(text.Length > 40 ? text[..40] + "..." : text)}.");
        }
    }
}
