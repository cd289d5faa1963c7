using System.Buffers;
using System.Numerics;
using Parquet;
using Parquet.Schema;

namespace Slipway.Monitoring.Data;

/// <summary>How a Parquet physical/logical type lands in a <see cref="DataColumn"/>.</summary>
internal enum ParquetColumnKind
{
    Skipped,
    Integer,
    Real,
    Boolean,
    Text,
}

/// <summary>
/// Reads one column chunk of one row group straight into its slice of the frame's column array: numbers are converted
/// from their CLR type without boxing, nulls become NaN (or null for strings), and strings are read as slices of
/// Parquet.Net's decoded buffer and turned into one string instance per distinct value.
/// </summary>
internal static class ParquetColumnReader
{
    public static ParquetColumnKind KindOf(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
            return ParquetColumnKind.Skipped;
        var type = field.ClrType;
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
            return ParquetColumnKind.Real;
        if (type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
            || type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte))
            return ParquetColumnKind.Integer;
        if (type == typeof(bool))
            return ParquetColumnKind.Boolean;
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
            return ParquetColumnKind.Text;
        return ParquetColumnKind.Skipped;
    }

    /// <summary>Reads the chunk into <paramref name="target"/>; returns whether it held a null.</summary>
    public static ValueTask<bool> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, Memory<double> target, CancellationToken ct)
    {
        var type = field.ClrType;
        if (type == typeof(double))
            return ReadAsync<double>(group, field, target, ct);
        if (type == typeof(float))
            return ReadAsync<float>(group, field, target, ct);
        if (type == typeof(decimal))
            return ReadAsync<decimal>(group, field, target, ct);
        if (type == typeof(long))
            return ReadAsync<long>(group, field, target, ct);
        if (type == typeof(int))
            return ReadAsync<int>(group, field, target, ct);
        if (type == typeof(short))
            return ReadAsync<short>(group, field, target, ct);
        if (type == typeof(sbyte))
            return ReadAsync<sbyte>(group, field, target, ct);
        if (type == typeof(ulong))
            return ReadAsync<ulong>(group, field, target, ct);
        if (type == typeof(uint))
            return ReadAsync<uint>(group, field, target, ct);
        if (type == typeof(ushort))
            return ReadAsync<ushort>(group, field, target, ct);
        if (type == typeof(byte))
            return ReadAsync<byte>(group, field, target, ct);
        if (type == typeof(bool))
            return ReadBooleansAsync(group, field, target, ct);
        throw new NotSupportedException($"Column '{field.Name}' of type {type.Name} is not numeric.");
    }

    private static async ValueTask<bool> ReadAsync<T>(ParquetRowGroupReader group, DataField field, Memory<double> target, CancellationToken ct)
        where T : struct, INumberBase<T>
    {
        if (typeof(T) == typeof(double) && field.MaxDefinitionLevel == 0)
        {
            // The common case needs no conversion: decode straight into the frame's array.
            await group.ReadAsync(field, target, null, ct);
            return false;
        }
        var values = ArrayPool<T>.Shared.Rent(target.Length);
        var levels = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(target.Length) : null;
        try
        {
            await group.ReadRawAsync(field, values.AsMemory(0, target.Length), levels?.AsMemory(0, target.Length), null, ct);
            return Expand(values, levels, field.MaxDefinitionLevel, target.Span, static v => double.CreateTruncating(v));
        }
        finally
        {
            ArrayPool<T>.Shared.Return(values);
            if (levels is not null)
                ArrayPool<int>.Shared.Return(levels);
        }
    }

    private static async ValueTask<bool> ReadBooleansAsync(ParquetRowGroupReader group, DataField field, Memory<double> target, CancellationToken ct)
    {
        var values = ArrayPool<bool>.Shared.Rent(target.Length);
        var levels = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(target.Length) : null;
        try
        {
            await group.ReadRawAsync(field, values.AsMemory(0, target.Length), levels?.AsMemory(0, target.Length), null, ct);
            return Expand(values, levels, field.MaxDefinitionLevel, target.Span, static v => v ? 1.0 : 0.0);
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(values);
            if (levels is not null)
                ArrayPool<int>.Shared.Return(levels);
        }
    }

    /// <summary>Spreads the packed non-null values over the rows their definition levels mark as present.</summary>
    private static bool Expand<T>(T[] values, int[]? levels, int maxLevel, Span<double> target, Func<T, double> convert)
    {
        if (levels is null)
        {
            for (var i = 0; i < target.Length; i++)
                target[i] = convert(values[i]);
            return false;
        }
        var next = 0;
        var sawNull = false;
        for (var i = 0; i < target.Length; i++)
        {
            if (levels[i] == maxLevel)
            {
                target[i] = convert(values[next++]);
            }
            else
            {
                target[i] = double.NaN;
                sawNull = true;
            }
        }
        return sawNull;
    }

    public static async ValueTask<bool> ReadStringsAsync(ParquetRowGroupReader group, DataField field, Memory<string?> target, CancellationToken ct)
    {
        var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(target.Length);
        var levels = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(target.Length) : null;
        try
        {
            await group.ReadRawAsync(field, values.AsMemory(0, target.Length), levels?.AsMemory(0, target.Length), null, ct);
            var pool = new StringPool();
            var rows = target.Span;
            var next = 0;
            var sawNull = false;
            for (var i = 0; i < rows.Length; i++)
            {
                if (levels is null || levels[i] == field.MaxDefinitionLevel)
                {
                    rows[i] = pool.Get(values[next++].Span);
                }
                else
                {
                    rows[i] = null;
                    sawNull = true;
                }
            }
            return sawNull;
        }
        finally
        {
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(values, clearArray: true);
            if (levels is not null)
                ArrayPool<int>.Shared.Return(levels);
        }
    }
}
