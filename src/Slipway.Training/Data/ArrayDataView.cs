using Microsoft.ML;
using Microsoft.ML.Data;

namespace Slipway.Training.Data;

/// <summary>One column of an <see cref="ArrayDataView"/>: a name, its ML.NET type and one array value per row.</summary>
internal sealed record ArrayColumn(string Name, DataViewType Type, Array Values, DataViewSchema.Annotations? Annotations = null)
{
    public static ArrayColumn Single(string name, float[] values) => new(name, NumberDataViewType.Single, values);

    public static ArrayColumn Text(string name, ReadOnlyMemory<char>[] values) => new(name, TextDataViewType.Instance, values);

    public static ArrayColumn Boolean(string name, bool[] values) => new(name, BooleanDataViewType.Instance, values);
}

/// <summary>
/// An in-memory <see cref="IDataView"/> over column arrays. Going column-wise avoids a typed row class (the columns
/// are only known at run time) and the per-row boxing that <c>LoadFromEnumerable</c> with a dynamic schema would need.
/// </summary>
internal sealed class ArrayDataView : IDataView
{
    private readonly ArrayColumn[] _columns;
    private readonly int _rows;

    public ArrayDataView(IReadOnlyList<ArrayColumn> columns, int rows)
    {
        _columns = [.. columns];
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (var column in _columns)
        {
            if (column.Values.Length != rows)
                throw new ArgumentException($"Column '{column.Name}' has {column.Values.Length} values, not {rows}.", nameof(columns));
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        }
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index));

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ArrayDataView _view;
        private readonly bool[] _active;
        private long _position = -1;

        public Cursor(ArrayDataView view, IEnumerable<int> active)
        {
            _view = view;
            _active = new bool[view._columns.Length];
            foreach (var index in active)
                _active[index] = true;
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override bool MoveNext()
        {
            if (_position + 1 >= _view._rows)
            {
                _position = _view._rows;
                return false;
            }
            _position++;
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!_active[column.Index])
                throw new InvalidOperationException($"Column '{column.Name}' was not requested from this cursor.");
            if (_view._columns[column.Index].Values is not TValue[] values)
                throw new InvalidOperationException($"Column '{column.Name}' does not hold {typeof(TValue).Name} values.");
            return (ref TValue value) => value = values[_position];
        }
    }
}
