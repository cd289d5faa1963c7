using System.Globalization;
using System.Numerics;
using System.Text;
using Parquet;
using Parquet.Schema;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>A column of numbers of one CLR type (<c>float</c>, <c>long</c>, <c>decimal</c>, …), with or without nulls.</summary>
internal sealed class NumberColumn<T>(DataField field, string typeName) : BatchColumn(field)
    where T : struct, INumberBase<T>
{
    private const NumberStyles CsvNumberStyle = NumberStyles.Float;

    // One of the two is used, as the field is nullable or not; Parquet.Net reads and writes each shape directly.
    private T[] _values = [];
    private T?[] _nullable = [];

    public override string TypeName => typeName;

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken ct) =>
        Field.IsNullable
            ? rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_nullable, Offset, Count), cancellationToken: ct)
            : rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T>(_values, Offset, Count), cancellationToken: ct);

    public override void CopyTo(Array target, int start, int stride, ConversionTarget conversion)
    {
        switch (target)
        {
            case float[] floats:
                for (var i = 0; i < Count; i++)
                    floats[start + i * stride] = TryGet(i, out var value) ? float.CreateSaturating(value) : float.NaN;
                break;
            case double[] doubles:
                for (var i = 0; i < Count; i++)
                    doubles[start + i * stride] = TryGet(i, out var value) ? double.CreateSaturating(value) : double.NaN;
                break;
            case long[] longs:
                for (var i = 0; i < Count; i++)
                    longs[start + i * stride] = ToInteger<long>(i, conversion);
                break;
            case int[] ints:
                for (var i = 0; i < Count; i++)
                    ints[start + i * stride] = ToInteger<int>(i, conversion);
                break;
            case bool[] bools:
                for (var i = 0; i < Count; i++)
                    bools[start + i * stride] = ToBoolean(i, conversion);
                break;
            case byte[][] strings:
                for (var i = 0; i < Count; i++)
                {
                    if (!TryGet(i, out var value))
                        throw BatchErrors.Missing(this, i, conversion);
                    strings[start + i * stride] = Encoding.UTF8.GetBytes(value.ToString(null, CultureInfo.InvariantCulture));
                }
                break;
            default:
                throw BatchErrors.Unsupported(this, conversion);
        }
    }

    protected override void EnsureCapacity(int rows)
    {
        if (Field.IsNullable && _nullable.Length < rows)
            Array.Resize(ref _nullable, GrownLength(_nullable.Length, rows));
        else if (!Field.IsNullable && _values.Length < rows)
            Array.Resize(ref _values, GrownLength(_values.Length, rows));
    }

    protected override async ValueTask ReadCoreAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct)
    {
        if (Field.IsNullable)
            await rowGroup.ReadAsync<T>(Field, _nullable.AsMemory(0, rows), cancellationToken: ct);
        else
            await rowGroup.ReadAsync<T>(Field, _values.AsMemory(0, rows), cancellationToken: ct);
    }

    protected override bool TryStore(int at, ReadOnlySpan<char> text, bool isNull)
    {
        if (isNull && Field.IsNullable)
        {
            _nullable[at] = null;
            return true;
        }
        if (!T.TryParse(text, CsvNumberStyle, CultureInfo.InvariantCulture, out var value))
            return false;
        if (Field.IsNullable)
            _nullable[at] = value;
        else
            _values[at] = value;
        return true;
    }

    private bool TryGet(int index, out T value)
    {
        if (!Field.IsNullable)
        {
            value = _values[Offset + index];
            return true;
        }
        var cell = _nullable[Offset + index];
        value = cell.GetValueOrDefault();
        return cell.HasValue;
    }

    private TInteger ToInteger<TInteger>(int index, ConversionTarget conversion)
        where TInteger : IBinaryInteger<TInteger>
    {
        if (!TryGet(index, out var value))
            throw BatchErrors.Missing(this, index, conversion);
        if (T.IsInteger(value))
        {
            try
            {
                return TInteger.CreateChecked(value);
            }
            catch (OverflowException)
            {
                throw BatchErrors.NotConvertible(this, index, Format(value), conversion, $"an integer that fits {conversion.Input.DataType.WireName()}");
            }
        }
        throw BatchErrors.NotConvertible(this, index, Format(value), conversion, "an integer");
    }

    private bool ToBoolean(int index, ConversionTarget conversion)
    {
        if (!TryGet(index, out var value))
            throw BatchErrors.Missing(this, index, conversion);
        if (T.IsZero(value))
            return false;
        if (value == T.One)
            return true;
        throw BatchErrors.NotConvertible(this, index, Format(value), conversion, "a boolean (0 or 1)");
    }

    private static string Format(T value) => value.ToString(null, CultureInfo.InvariantCulture);
}
