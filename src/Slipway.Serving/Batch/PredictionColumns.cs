using System.Globalization;
using System.Text;
using Parquet;
using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// The output columns of one model output: an output of shape [N] or [N, 1] is one column named after it; [N, K] is K
/// columns <c>&lt;output&gt;_0</c> … <c>&lt;output&gt;_{K-1}</c> (higher ranks are flattened the same way). INT64 is written as
/// int64, FP32 as float, BYTES as UTF-8 strings, every other type as its own Parquet type (FP16 and BF16 as float).
/// </summary>
internal sealed class PredictionColumns
{
    private readonly DataField[] _fields;
    private Array? _scratch;

    private PredictionColumns(string output, TensorDataType dataType, DataField[] fields)
    {
        Output = output;
        DataType = dataType;
        _fields = fields;
    }

    public string Output { get; }

    public TensorDataType DataType { get; }

    public IReadOnlyList<DataField> Fields => _fields;

    /// <summary>
    /// The columns for an output of <paramref name="width"/> values per row. A name an input column already has gets
    /// the suffix <c>_prediction</c> (an evaluation file often carries the true <c>label</c>).
    /// </summary>
    public static PredictionColumns Create(string output, TensorDataType dataType, long width, ISet<string> taken)
    {
        if (width > int.MaxValue)
            throw SlipwayException.InvalidParameter($"Model output '{output}' has {width} values per row, too many to write as columns.");
        var type = ClrType(dataType);
        var fields = new DataField[width];
        for (var k = 0; k < fields.Length; k++)
        {
            var name = width == 1 ? output : output + "_" + k.ToString(CultureInfo.InvariantCulture);
            while (!taken.Add(name))
                name += "_prediction";
            fields[k] = new DataField(name, type, isNullable: type == typeof(string));
        }
        return new PredictionColumns(output, dataType, fields);
    }

    /// <summary>Writes a chunk's output tensor as these columns, in order.</summary>
    public Task WriteAsync(ParquetRowGroupWriter rowGroup, Tensor tensor, int rows, CancellationToken ct)
    {
        var width = rows == 0 ? _fields.Length : (int)(tensor.ElementCount / Math.Max(1, rows));
        if (tensor.Shape.Length == 0 || tensor.Shape[0] != rows || width != _fields.Length || tensor.DataType != DataType)
        {
            throw SlipwayException.InvalidParameter(
                $"Model output '{Output}' came back as {tensor.DataType.WireName()} [{string.Join(", ", tensor.Shape)}] for a chunk of {rows} rows; "
                + $"the first chunk set {DataType.WireName()} with {_fields.Length} value(s) per row.");
        }
        return tensor.Data switch
        {
            Half[] halves => WriteAsync(rowGroup, Array.ConvertAll(halves, h => (float)h), rows, ct),
            ushort[] bits when DataType == TensorDataType.Bf16 => WriteAsync(rowGroup, Array.ConvertAll(bits, b => BitConverter.Int32BitsToSingle(b << 16)), rows, ct),
            byte[][] strings => WriteStringsAsync(rowGroup, strings, rows),
            float[] data => WriteAsync(rowGroup, data, rows, ct),
            double[] data => WriteAsync(rowGroup, data, rows, ct),
            long[] data => WriteAsync(rowGroup, data, rows, ct),
            int[] data => WriteAsync(rowGroup, data, rows, ct),
            bool[] data => WriteAsync(rowGroup, data, rows, ct),
            short[] data => WriteAsync(rowGroup, data, rows, ct),
            sbyte[] data => WriteAsync(rowGroup, data, rows, ct),
            byte[] data => WriteAsync(rowGroup, data, rows, ct),
            ushort[] data => WriteAsync(rowGroup, data, rows, ct),
            uint[] data => WriteAsync(rowGroup, data, rows, ct),
            ulong[] data => WriteAsync(rowGroup, data, rows, ct),
            _ => throw SlipwayException.InvalidParameter($"Model output '{Output}' has data of type {tensor.Data.GetType().Name}, which cannot be written."),
        };
    }

    private static Type ClrType(TensorDataType dataType) => dataType switch
    {
        TensorDataType.Fp16 or TensorDataType.Bf16 => typeof(float),
        TensorDataType.Bytes => typeof(string),
        _ => dataType.ArrayType().GetElementType()!,
    };

    private async Task WriteAsync<T>(ParquetRowGroupWriter rowGroup, T[] data, int rows, CancellationToken ct)
        where T : struct
    {
        if (_fields.Length == 1)
        {
            await rowGroup.WriteAsync<T>(_fields[0], new ReadOnlyMemory<T>(data, 0, rows), cancellationToken: ct);
            return;
        }
        var column = Scratch<T>(rows);
        for (var k = 0; k < _fields.Length; k++)
        {
            for (int i = 0, at = k; i < rows; i++, at += _fields.Length)
                column[i] = data[at];
            await rowGroup.WriteAsync<T>(_fields[k], new ReadOnlyMemory<T>(column, 0, rows), cancellationToken: ct);
        }
    }

    private async Task WriteStringsAsync(ParquetRowGroupWriter rowGroup, byte[][] data, int rows)
    {
        var column = Scratch<string>(rows);
        for (var k = 0; k < _fields.Length; k++)
        {
            for (int i = 0, at = k; i < rows; i++, at += _fields.Length)
                column[i] = Encoding.UTF8.GetString(data[at]);
            await rowGroup.WriteAsync(_fields[k], new ArraySegment<string>(column, 0, rows));
        }
    }

    /// <summary>One column's worth of reusable space, as every chunk but the last has the same size.</summary>
    private T[] Scratch<T>(int rows)
    {
        if (_scratch is T[] kept && kept.Length >= rows)
            return kept;
        var grown = new T[rows];
        _scratch = grown;
        return grown;
    }
}
