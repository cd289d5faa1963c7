using Parquet.Schema;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>Makes the <see cref="BatchColumn"/> for a Parquet field, or for a CSV column of a chosen type.</summary>
internal static class BatchColumns
{
    /// <summary>A column for a field of an input Parquet file, keeping the field as it is so the output repeats it exactly.</summary>
    public static BatchColumn ForParquet(DataField field)
    {
        if (field.IsArray || field.MaxRepetitionLevel > 0)
            throw SlipwayException.InvalidParameter(
                $"Column '{field.Path}' is a list; batch prediction reads flat columns of numbers, strings and booleans.");
        var type = field.ClrType;
        if (type == typeof(ReadOnlyMemory<char>) || type == typeof(string))
            return new StringColumn(field);
        if (type == typeof(bool))
            return new BoolColumn(field);
        if (Number(field, type) is { } number)
            return number;
        if (type == typeof(byte[]) || type == typeof(ReadOnlyMemory<byte>))
            throw SlipwayException.InvalidParameter(
                $"Column '{field.Name}' holds binary values; batch prediction reads flat columns of numbers, strings and booleans.");
        if (!type.IsValueType)
            throw SlipwayException.InvalidParameter($"Column '{field.Name}' has type {type.Name}, which batch prediction cannot read.");
        return (BatchColumn)Activator.CreateInstance(typeof(OpaqueColumn<>).MakeGenericType(type), field)!;
    }

    /// <summary>
    /// A nullable column for CSV text (an empty unquoted cell is null): of the type a model input takes when the column
    /// feeds one, else the type inferred from the first chunk.
    /// </summary>
    public static BatchColumn ForCsv(string name, TensorDataType type) => type switch
    {
        TensorDataType.Fp32 or TensorDataType.Fp16 or TensorDataType.Bf16 => new NumberColumn<float>(new DataField(name, typeof(float), isNullable: true), "float"),
        TensorDataType.Fp64 => new NumberColumn<double>(new DataField(name, typeof(double), isNullable: true), "double"),
        TensorDataType.Int32 => new NumberColumn<int>(new DataField(name, typeof(int), isNullable: true), "int32"),
        TensorDataType.Bool => new BoolColumn(new DataField(name, typeof(bool), isNullable: true)),
        TensorDataType.Bytes => new StringColumn(new DataField(name, typeof(string), isNullable: true)),
        _ => new NumberColumn<long>(new DataField(name, typeof(long), isNullable: true), "int64"),
    };

    private static BatchColumn? Number(DataField field, Type type)
    {
        if (type == typeof(float))
            return new NumberColumn<float>(field, "float");
        if (type == typeof(double))
            return new NumberColumn<double>(field, "double");
        if (type == typeof(long))
            return new NumberColumn<long>(field, "int64");
        if (type == typeof(int))
            return new NumberColumn<int>(field, "int32");
        if (type == typeof(short))
            return new NumberColumn<short>(field, "int16");
        if (type == typeof(sbyte))
            return new NumberColumn<sbyte>(field, "int8");
        if (type == typeof(ulong))
            return new NumberColumn<ulong>(field, "uint64");
        if (type == typeof(uint))
            return new NumberColumn<uint>(field, "uint32");
        if (type == typeof(ushort))
            return new NumberColumn<ushort>(field, "uint16");
        if (type == typeof(byte))
            return new NumberColumn<byte>(field, "uint8");
        if (type == typeof(decimal))
            return new NumberColumn<decimal>(field, "decimal");
        return null;
    }
}
