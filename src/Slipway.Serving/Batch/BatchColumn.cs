using Parquet;
using Parquet.Schema;

namespace Slipway.Serving.Batch;

/// <summary>
/// One column of the chunk in flight: a typed buffer that is reused from chunk to chunk, the window of it that forms
/// the current chunk, and the Parquet field it is read from and written as. Readers fill it (a Parquet row group, or
/// CSV text); <see cref="TensorAssembler"/> converts the window into a model input; <see cref="PredictionWriter"/>
/// copies the window to the output unchanged.
/// </summary>
internal abstract class BatchColumn(DataField field)
{
    public DataField Field { get; } = field;

    public string Name => Field.Name;

    /// <summary>The value type in messages, e.g. <c>float</c> or <c>string</c>.</summary>
    public abstract string TypeName { get; }

    /// <summary>Where the current chunk starts in the buffer.</summary>
    public int Offset { get; private set; }

    /// <summary>Rows in the current chunk.</summary>
    public int Count { get; private set; }

    /// <summary>Makes <paramref name="count"/> rows from <paramref name="offset"/> the current chunk (a slice of a large row group).</summary>
    public void SetWindow(int offset, int count)
    {
        Offset = offset;
        Count = count;
    }

    /// <summary>Reads the whole column of a row group into the buffer; the window becomes all of it.</summary>
    public async ValueTask ReadAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct)
    {
        EnsureCapacity(rows);
        await ReadCoreAsync(rowGroup, rows, ct);
        SetWindow(0, rows);
    }

    /// <summary>Empties the buffer before a chunk of CSV rows is appended.</summary>
    public void Clear() => SetWindow(0, 0);

    /// <summary>
    /// Parses one CSV cell and appends it (<paramref name="isNull"/> for an empty unquoted cell). False when the text is
    /// not a value of this column's type; nothing is appended then.
    /// </summary>
    public bool TryAppend(ReadOnlySpan<char> text, bool isNull)
    {
        EnsureCapacity(Count + 1);
        if (!TryStore(Count, text, isNull))
            return false;
        Count++;
        return true;
    }

    /// <summary>Writes the window as this column of an output row group, with the same field (name, type, nullability).</summary>
    public abstract Task WriteAsync(ParquetRowGroupWriter rowGroup, CancellationToken ct);

    /// <summary>
    /// Converts the window's values into a tensor's data: row <c>i</c> goes to <c>target[start + i * stride]</c>.
    /// <paramref name="target"/> is a <c>float[]</c>, <c>double[]</c>, <c>long[]</c>, <c>int[]</c>, <c>bool[]</c> or
    /// <c>byte[][]</c>; a value that does not convert throws a <see cref="Core.Errors.SlipwayException"/> naming its row.
    /// </summary>
    public abstract void CopyTo(Array target, int start, int stride, ConversionTarget conversion);

    protected abstract void EnsureCapacity(int rows);

    protected abstract ValueTask ReadCoreAsync(ParquetRowGroupReader rowGroup, int rows, CancellationToken ct);

    protected abstract bool TryStore(int at, ReadOnlySpan<char> text, bool isNull);

    /// <summary>The length a buffer grows to when it must hold <paramref name="rows"/>.</summary>
    protected static int GrownLength(int current, int rows) => Math.Max(rows, current == 0 ? rows : Math.Min(Array.MaxLength, current * 2));
}
