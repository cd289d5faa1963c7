using System.Globalization;
using System.Numerics;
using System.Text;
using Parquet;
using Parquet.Schema;

namespace Slipway.Serving.Batch;

/// <summary>A column of UTF-8 strings; null marks a missing value.</summary>
internal sealed class StringColumn(DataField field) : BatchColumn(field)
{
    private const NumberStyles CsvNumberStyle = NumberStyles.Float;

    private string?[] _values = [];

    public override string TypeName => "string";

    /// <summary>The raw cell of the current chunk (null when missing), for type inference over CSV text.</summary>
    public string? this[int index] => _values[Offset + index];

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken ct) =>
        rowGroup.WriteAsync(Field, new ArraySegment<string>(_values!, Offset, Count));

    public override void CopyTo(Array target, int start, int stride, ConversionTarget conversion)
    {
        switch (target)
        {
            case float[] floats:
                for (var i = 0; i < Count; i++)
                    floats[start + i * stride] = this[i] is { } text ? Parse<float>(text, i, conversion) : float.NaN;
                break;
            case double[] doubles:
                for (var i = 0; i < Count; i++)
                    doubles[start + i * stride] = this[i] is { } text ? Parse<double>(text, i, conversion) : double.NaN;
                break;
            case long[] longs:
                for (var i = 0; i < Count; i++)
                    longs[start + i * stride] = Parse<long>(Required(i, conversion), i, conversion);
                break;
            case int[] ints:
                for (var i = 0; i < Count; i++)
                    ints[start + i * stride] = Parse<int>(Required(i, conversion), i, conversion);
                break;
            case bool[] bools:
                for (var i = 0; i < Count; i++)
                {
                    var text = Required(i, conversion);
                    bools[start + i * stride] = BoolColumn.TryParse(text, out var value)
                        ? value
                        : throw BatchErrors.NotConvertible(this, i, text, conversion, "a boolean");
                }
                break;
            case byte[][] strings:
                for (var i = 0; i < Count; i++)
                    strings[start + i * stride] = Encoding.UTF8.GetBytes(Required(i, conversion));
                break;
            default:
                throw BatchErrors.Unsupported(this, conversion);
        }
    }

    protected override void EnsureCapacity(int rows)
    {
        if (_values.Length < rows)
            Array.Resize(ref _values, GrownLength(_values.Length, rows));
    }

    protected override ValueTask ReadCoreAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct) =>
        rowGroup.ReadAsync(Field, _values.AsMemory(0, rows), cancellationToken: ct);

    protected override bool TryStore(int at, ReadOnlySpan<char> text, bool isNull)
    {
        _values[at] = isNull ? null : text.ToString();
        return true;
    }

    private string Required(int index, ConversionTarget conversion) =>
        this[index] ?? throw BatchErrors.Missing(this, index, conversion);

    private TNumber Parse<TNumber>(string text, int index, ConversionTarget conversion)
        where TNumber : INumberBase<TNumber>
    {
        if (TNumber.TryParse(text, CsvNumberStyle, CultureInfo.InvariantCulture, out var value))
            return value;
        var expected = typeof(TNumber) == typeof(float) || typeof(TNumber) == typeof(double) ? "a number" : "an integer";
        throw BatchErrors.NotConvertible(this, index, text, conversion, expected);
    }
}
