using Parquet;
using Parquet.Schema;

namespace Slipway.Serving.Batch;

/// <summary>
/// A Parquet column of a type no model input takes (a timestamp, a date, a decimal…): carried through to the output
/// as it was read, and refused with a clear message if the model's inputs name it.
/// </summary>
internal sealed class OpaqueColumn<T>(DataField field) : BatchColumn(field)
    where T : struct
{
    private T[] _values = [];
    private T?[] _nullable = [];

    public override string TypeName => typeof(T).Name;

    public override Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken ct) =>
        Field.IsNullable
            ? rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T?>(_nullable, Offset, Count), cancellationToken: ct)
            : rowGroup.WriteAsync<T>(Field, new ReadOnlyMemory<T>(_values, Offset, Count), cancellationToken: ct);

    public override void CopyTo(Array target, int start, int stride, ConversionTarget conversion) =>
        throw BatchErrors.Unsupported(this, conversion);

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

    // CSV columns are never of these types.
    protected override bool TryStore(int at, ReadOnlySpan<char> text, bool isNull) => false;
}
