using System.Data.Common;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.InferenceLog;

/// <summary>
/// Copies a window query's result into <see cref="DataColumn"/>s: numeric flat columns straight into <c>double[]</c>
/// with the typed getter (no boxing per value), text ones (BYTES inputs) as strings, then the optional <c>label</c>.
/// </summary>
internal static class WindowFrameReader
{
    // 2^63: a whole double at or beyond it has no int64 to become, so pandas would keep it float64.
    private const double Int64Limit = 9_223_372_036_854_775_808d;
    private const int CancellationCheckRows = 65_536;

    /// <param name="capacity">
    /// Rows to expect and the most kept. A sample is cut on a 64-bit hash, so only rows whose keys collide
    /// exactly could push it past its size; those extra rows are dropped.
    /// </param>
    public static DataFrame Read(DbDataReader reader, IReadOnlyList<string> columns, IReadOnlyList<bool> isText, bool withLabel, int capacity, CancellationToken ct)
    {
        var values = new double[columns.Count][];
        var texts = new string?[columns.Count][];
        var whole = new bool[columns.Count];
        for (var c = 0; c < values.Length; c++)
        {
            if (isText[c])
                texts[c] = new string?[capacity];
            else
                values[c] = new double[capacity];
            whole[c] = true;
        }
        var labels = withLabel ? new string?[capacity] : null;
        var labelOrdinal = columns.Count;

        var rows = 0;
        while (rows < capacity && reader.Read())
        {
            for (var c = 0; c < values.Length; c++)
            {
                if (texts[c] is { } text)
                {
                    text[rows] = reader.IsDBNull(c) ? null : reader.GetString(c);
                    continue;
                }
                if (reader.IsDBNull(c))
                {
                    values[c][rows] = double.NaN;
                    whole[c] = false;
                    continue;
                }
                var value = reader.GetDouble(c);
                values[c][rows] = value;
                if (whole[c] && !IsWhole(value))
                    whole[c] = false;
            }
            if (labels is not null && !reader.IsDBNull(labelOrdinal))
                labels[rows] = reader.GetString(labelOrdinal);
            if (++rows % CancellationCheckRows == 0)
                ct.ThrowIfCancellationRequested();
        }

        var frame = new List<DataColumn>(columns.Count + 1);
        for (var c = 0; c < values.Length; c++)
        {
            if (texts[c] is { } text)
            {
                frame.Add(DataColumn.Text(columns[c], rows == capacity ? text : text[..rows]));
                continue;
            }
            var data = rows == capacity ? values[c] : values[c][..rows];
            // pandas reads whole numbers with nothing missing as int64, and Evidently types int columns by cardinality.
            frame.Add(DataColumn.Numeric(columns[c], rows > 0 && whole[c] ? ColumnDtype.Int64 : ColumnDtype.Float64, data));
        }
        if (labels is not null)
            frame.Add(DataColumn.Text(DuckDbInferenceWindowSource.LabelColumn, rows == capacity ? labels : labels[..rows]));
        return new DataFrame(frame);
    }

    /// <summary>An empty frame with the same columns and types a read would give.</summary>
    public static DataFrame Empty(IReadOnlyList<string> columns, IReadOnlyList<bool> isText, bool withLabel)
    {
        var frame = new List<DataColumn>(columns.Count + 1);
        for (var c = 0; c < columns.Count; c++)
            frame.Add(isText[c] ? DataColumn.Text(columns[c], []) : DataColumn.Numeric(columns[c], ColumnDtype.Float64, []));
        if (withLabel)
            frame.Add(DataColumn.Text(DuckDbInferenceWindowSource.LabelColumn, []));
        return new DataFrame(frame);
    }

    private static bool IsWhole(double value) => Math.Floor(value) == value && Math.Abs(value) < Int64Limit;
}
