using System.Text;
using Parquet;
using Parquet.Schema;

namespace Slipway.Serving.Batch;

/// <summary>A column of booleans, with or without nulls.</summary>
internal sealed class BoolColumn(DataField field) : BatchColumn(field)
{
    private static readonly byte[] TrueText = "True"u8.ToArray();
    private static readonly byte[] FalseText = "False"u8.ToArray();

    private bool[] _values = [];
    private bool?[] _nullable = [];

    public override string TypeName => "boolean";

    /// <summary><c>true</c>/<c>false</c> in any case, or <c>1</c>/<c>0</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out bool value)
    {
        if (bool.TryParse(text, out value))
            return true;
        value = text is "1";
        return text is "1" or "0";
    }

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken ct) =>
        Field.IsNullable
            ? rowGroup.WriteAsync<bool>(Field, new ReadOnlyMemory<bool?>(_nullable, Offset, Count), cancellationToken: ct)
            : rowGroup.WriteAsync<bool>(Field, new ReadOnlyMemory<bool>(_values, Offset, Count), cancellationToken: ct);

    public override void CopyTo(Array target, int start, int stride, ConversionTarget conversion)
    {
        for (var i = 0; i < Count; i++)
        {
            var value = Field.IsNullable ? _nullable[Offset + i] ?? throw BatchErrors.Missing(this, i, conversion) : _values[Offset + i];
            var at = start + i * stride;
            switch (target)
            {
                case bool[] bools: bools[at] = value; break;
                case float[] floats: floats[at] = value ? 1 : 0; break;
                case double[] doubles: doubles[at] = value ? 1 : 0; break;
                case long[] longs: longs[at] = value ? 1 : 0; break;
                case int[] ints: ints[at] = value ? 1 : 0; break;
                // As Python's str(True): what a string input sees from a pandas boolean column.
                case byte[][] strings: strings[at] = value ? TrueText : FalseText; break;
                default: throw BatchErrors.Unsupported(this, conversion);
            }
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
            await rowGroup.ReadAsync<bool>(Field, _nullable.AsMemory(0, rows), cancellationToken: ct);
        else
            await rowGroup.ReadAsync<bool>(Field, _values.AsMemory(0, rows), cancellationToken: ct);
    }

    protected override bool TryStore(int at, ReadOnlySpan<char> text, bool isNull)
    {
        if (isNull && Field.IsNullable)
        {
            _nullable[at] = null;
            return true;
        }
        if (!TryParse(text, out var value))
            return false;
        if (Field.IsNullable)
            _nullable[at] = value;
        else
            _values[at] = value;
        return true;
    }
}
