namespace Slipway.Monitoring.Data;

/// <summary>
/// Collects one CSV column and settles its pandas dtype once every field has been seen (see <see cref="ColumnDtype"/>):
/// integers only → Int64; numbers with a fraction, a missing value or ±Infinity → Float64; True/False only → Bool,
/// with missing values → NullableBool; anything else → String. Numbers are kept while the column may still be numeric
/// and strings while it has been text from its first value, so a column needs a second read only in the rare case
/// where it turns into text after numbers or booleans (see <see cref="NeedsText"/>).
/// </summary>
internal sealed class CsvColumnBuilder(string name, StringPool pool)
{
    private double[]? _numbers = new double[64];
    private string?[]? _strings = new string?[64];
    private int _count;
    private bool _sawInteger;
    private bool _sawReal;
    private bool _sawMissing;
    private bool _sawBoolean;
    private bool _sawText;

    public string Name => name;

    /// <summary>The column is text but its earlier values were kept only as numbers: read it again with <see cref="ReadText"/>.</summary>
    public bool NeedsText => Dtype == ColumnDtype.String && _strings is null;

    public ColumnDtype Dtype
    {
        get
        {
            if (_sawText || (_sawBoolean && (_sawInteger || _sawReal)) || _count == 0)
                return ColumnDtype.String;
            if (_sawBoolean)
                return _sawMissing ? ColumnDtype.NullableBool : ColumnDtype.Bool;
            return _sawReal || _sawMissing ? ColumnDtype.Float64 : ColumnDtype.Int64;
        }
    }

    public void Add(ReadOnlySpan<byte> field)
    {
        if (_sawText)
        {
            // Once text, the column stays text: only strings matter now.
            if (_strings is not null)
                Append(ref _strings, CsvValues.IsMissing(field) ? null : pool.Get(field));
            _count++;
            return;
        }
        var kind = CsvValues.Classify(field, out var value);
        switch (kind)
        {
            case CsvFieldKind.Missing:
                _sawMissing = true;
                if (_strings is not null)
                    Append(ref _strings, null);
                break;
            case CsvFieldKind.Text:
                _sawText = true;
                _numbers = null;
                if (_strings is not null)
                    Append(ref _strings, pool.Get(field));
                break;
            default:
                _sawInteger |= kind == CsvFieldKind.Integer;
                _sawReal |= kind == CsvFieldKind.Real;
                _sawBoolean |= kind == CsvFieldKind.Boolean;
                _strings = null;
                break;
        }
        if (_numbers is not null)
            Append(ref _numbers, value);
        _count++;
    }

    /// <summary>Starts the second read of a column whose text was not kept.</summary>
    public void BeginText() => _strings = new string?[Math.Max(_count, 1)];

    public void ReadText(int row, ReadOnlySpan<byte> field) =>
        _strings![row] = CsvValues.IsMissing(field) ? null : pool.Get(field);

    public DataColumn Build()
    {
        var dtype = Dtype;
        if (dtype == ColumnDtype.String)
            return DataColumn.Text(name, Trim(_strings!));
        return DataColumn.Numeric(name, dtype, Trim(_numbers!));
    }

    private T[] Trim<T>(T[] values)
    {
        if (values.Length != _count)
            Array.Resize(ref values, _count);
        return values;
    }

    private void Append<T>(ref T[] values, T value)
    {
        if (_count == values.Length)
            Array.Resize(ref values, values.Length * 2);
        values[_count] = value;
    }
}
