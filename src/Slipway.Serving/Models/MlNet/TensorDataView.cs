using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// The request's input tensors as an <see cref="IDataView"/>: one row per batch row, one column per model input,
/// read straight from the tensor arrays (scalar columns) or copied row by row into a <see cref="VBuffer{T}"/>
/// (vector columns). No types are emitted at run time, unlike <c>LoadFromEnumerable</c>.
/// </summary>
internal sealed class TensorDataView(DataViewSchema schema, TensorColumn[] columns, int rows) : IDataView
{
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; } = schema;

    public long? GetRowCount() => rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columns, rows);

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(TensorDataView view, TensorColumn[] columns, int rows) : DataViewRowCursor, ITensorRow
    {
        private long _position = -1;

        public override DataViewSchema Schema => view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public int Row => (int)_position;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) =>
            columns[column.Index].GetGetter<TValue>(this);

        public override bool MoveNext()
        {
            if (_position + 1 >= rows)
            {
                _position = rows;
                return false;
            }

            _position++;
            return true;
        }
    }
}

/// <summary>The row a cursor is on, for column getters.</summary>
internal interface ITensorRow
{
    int Row { get; }
}

/// <summary>One input column over a tensor's row-major data.</summary>
internal abstract class TensorColumn
{
    public abstract ValueGetter<TValue> GetGetter<TValue>(ITensorRow cursor);
}

/// <summary>A column of <typeparamref name="T"/>: scalar when <c>isVector</c> is false, else <c>width</c> items per row.</summary>
internal sealed class TensorColumn<T>(T[] data, int width, bool isVector) : TensorColumn
{
    public override ValueGetter<TValue> GetGetter<TValue>(ITensorRow cursor)
    {
        Delegate getter = isVector
            ? (ValueGetter<VBuffer<T>>)((ref VBuffer<T> value) =>
            {
                var editor = VBufferEditor.Create(ref value, width);
                data.AsSpan(cursor.Row * width, width).CopyTo(editor.Values);
                value = editor.Commit();
            })
            : (ValueGetter<T>)((ref T value) => value = data[cursor.Row]);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column of {typeof(T).Name} asked for a getter of {typeof(TValue).Name}.");
    }
}
