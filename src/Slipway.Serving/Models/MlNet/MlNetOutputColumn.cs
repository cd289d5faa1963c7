using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// A model output: its tensor spec, and a reader that copies the column from a cursor into a tensor array. Key
/// columns (a multiclass <c>PredictedLabel</c>) come back as their key values when the column carries the
/// <c>KeyValues</c> annotation, else as INT64 key numbers (0 = missing, as in ML.NET).
/// </summary>
internal abstract class MlNetOutputColumn(TensorSpec spec)
{
    private const string KeyValuesKind = "KeyValues";

    public TensorSpec Spec { get; } = spec;

    public abstract MlNetOutputReader Open(DataViewRow row, DataViewSchema.Column column, int rows);

    /// <summary>Null when the column's type has no tensor form (variable-length vectors, other key or item types).</summary>
    public static MlNetOutputColumn? TryCreate(DataViewSchema.Column column)
    {
        var shape = MlNetColumnTypes.Shape(column.Type);
        if (shape is null)
            return null;
        var width = MlNetColumnTypes.Width(column.Type);
        var item = MlNetColumnTypes.ItemType(column.Type);
        if (item is KeyDataViewType key)
            return key.RawType == typeof(uint) ? KeyColumn(column, shape, width) : null;
        if (!MlNetColumnTypes.TryMapItem(item, out var dataType))
            return null;

        var spec = new TensorSpec(column.Name, dataType, shape);
        return dataType switch
        {
            TensorDataType.Fp32 => new MlNetOutputColumn<float, float>(spec, width, static v => v),
            TensorDataType.Fp64 => new MlNetOutputColumn<double, double>(spec, width, static v => v),
            TensorDataType.Int32 => new MlNetOutputColumn<int, int>(spec, width, static v => v),
            TensorDataType.Int64 => new MlNetOutputColumn<long, long>(spec, width, static v => v),
            TensorDataType.Bool => new MlNetOutputColumn<bool, bool>(spec, width, static v => v),
            _ => new MlNetOutputColumn<ReadOnlyMemory<char>, byte[]>(spec, width, static v => Utf8(v)),
        };
    }

    private static MlNetOutputColumn? KeyColumn(DataViewSchema.Column column, long[] shape, int width)
    {
        var keyValues = column.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (keyValues is not { Type: VectorDataViewType { ItemType: var valueType } })
            return new MlNetOutputColumn<uint, long>(new TensorSpec(column.Name, TensorDataType.Int64, shape), width, static k => k);
        if (!MlNetColumnTypes.TryMapItem(valueType, out var dataType))
            return null;

        var spec = new TensorSpec(column.Name, dataType, shape);
        return dataType switch
        {
            TensorDataType.Fp32 => Lookup<float, float>(column, spec, width, static v => v),
            TensorDataType.Fp64 => Lookup<double, double>(column, spec, width, static v => v),
            TensorDataType.Int32 => Lookup<int, int>(column, spec, width, static v => v),
            TensorDataType.Int64 => Lookup<long, long>(column, spec, width, static v => v),
            TensorDataType.Bool => Lookup<bool, bool>(column, spec, width, static v => v),
            _ => Lookup<ReadOnlyMemory<char>, byte[]>(column, spec, width, static v => Utf8(v)),
        };
    }

    private static byte[] Utf8(ReadOnlyMemory<char> text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text.Span)];
        Encoding.UTF8.GetBytes(text.Span, bytes);
        return bytes;
    }

    /// <summary>Key k (1-based) maps to the k-th key value; 0 (missing) and out-of-range keys to the default value.</summary>
    private static MlNetOutputColumn<uint, TTarget> Lookup<TValue, TTarget>(
        DataViewSchema.Column column, TensorSpec spec, int width, Func<TValue, TTarget> convert)
    {
        var buffer = default(VBuffer<TValue>);
        column.Annotations.GetValue(KeyValuesKind, ref buffer);
        var values = new TTarget[buffer.Length + 1];
        values[0] = convert(default!);
        var k = 1;
        foreach (var value in buffer.DenseValues())
            values[k++] = convert(value);
        return new MlNetOutputColumn<uint, TTarget>(spec, width, key => key < values.Length ? values[key] : values[0]);
    }
}

/// <summary>Reads one output column row by row during a call.</summary>
internal abstract class MlNetOutputReader
{
    public abstract void Read(int row);

    public abstract Tensor ToTensor();
}

/// <summary>A column of <typeparamref name="TSource"/> items converted to tensor items of <typeparamref name="TTarget"/>.</summary>
internal sealed class MlNetOutputColumn<TSource, TTarget>(TensorSpec spec, int width, Func<TSource, TTarget> convert)
    : MlNetOutputColumn(spec)
{
    private readonly bool _isVector = spec.Shape.Length > 1;
    private readonly int _width = width;
    private readonly Func<TSource, TTarget> _convert = convert;

    public override MlNetOutputReader Open(DataViewRow row, DataViewSchema.Column column, int rows) =>
        new Reader(this, row, column, rows);

    private sealed class Reader : MlNetOutputReader
    {
        private readonly MlNetOutputColumn<TSource, TTarget> _owner;
        private readonly TTarget[] _data;
        private readonly int _rows;
        private readonly ValueGetter<TSource>? _scalar;
        private readonly ValueGetter<VBuffer<TSource>>? _vector;
        private TSource _value = default!;
        private VBuffer<TSource> _buffer;

        public Reader(MlNetOutputColumn<TSource, TTarget> owner, DataViewRow row, DataViewSchema.Column column, int rows)
        {
            _owner = owner;
            _rows = rows;
            _data = new TTarget[checked(rows * _owner._width)];
            if (owner._isVector)
                _vector = row.GetGetter<VBuffer<TSource>>(column);
            else
                _scalar = row.GetGetter<TSource>(column);
        }

        public override void Read(int row)
        {
            if (_scalar is not null)
            {
                _scalar(ref _value);
                _data[row] = _owner._convert(_value);
                return;
            }

            _vector!(ref _buffer);
            var destination = _data.AsSpan(row * _owner._width, _owner._width);
            var values = _buffer.GetValues();
            if (_buffer.IsDense)
            {
                for (var i = 0; i < destination.Length; i++)
                    destination[i] = _owner._convert(values[i]);
                return;
            }

            destination.Fill(_owner._convert(default!));
            var indices = _buffer.GetIndices();
            for (var i = 0; i < indices.Length; i++)
                destination[indices[i]] = _owner._convert(values[i]);
        }

        public override Tensor ToTensor()
        {
            var shape = (long[])_owner.Spec.Shape.Clone();
            shape[0] = _rows;
            return new Tensor(_owner.Spec.Name, _owner.Spec.DataType, shape, _data);
        }
    }
}
