using Microsoft.ML.Data;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// How an ML.NET column type maps to a tensor: the item type (Single → FP32, Double → FP64, Int32, Int64,
/// Boolean → BOOL, text → BYTES) and the shape, <c>[-1]</c> for a scalar column and <c>[-1, K…]</c> for a vector of
/// known size. Variable-length vectors have no fixed tensor shape and are not mapped.
/// </summary>
internal static class MlNetColumnTypes
{
    public static bool TryMapItem(DataViewType itemType, out TensorDataType dataType)
    {
        dataType = itemType switch
        {
            _ when itemType == NumberDataViewType.Single => TensorDataType.Fp32,
            _ when itemType == NumberDataViewType.Double => TensorDataType.Fp64,
            _ when itemType == NumberDataViewType.Int32 => TensorDataType.Int32,
            _ when itemType == NumberDataViewType.Int64 => TensorDataType.Int64,
            BooleanDataViewType => TensorDataType.Bool,
            TextDataViewType => TensorDataType.Bytes,
            _ => (TensorDataType)(-1),
        };
        return (int)dataType >= 0;
    }

    /// <summary>The shape for a column: <c>[-1]</c>, or <c>[-1, dims…]</c> for a known-size vector; null otherwise.</summary>
    public static long[]? Shape(DataViewType type)
    {
        if (type is not VectorDataViewType vector)
            return [-1];
        if (!vector.IsKnownSize)
            return null;
        var shape = new long[vector.Dimensions.Length + 1];
        shape[0] = -1;
        for (var i = 0; i < vector.Dimensions.Length; i++)
            shape[i + 1] = vector.Dimensions[i];
        return shape;
    }

    public static DataViewType ItemType(DataViewType type) => type is VectorDataViewType vector ? vector.ItemType : type;

    /// <summary>Elements per row: 1 for a scalar column, the vector size otherwise.</summary>
    public static int Width(DataViewType type) => type is VectorDataViewType vector ? vector.Size : 1;

    public static string Describe(DataViewType type) => type is VectorDataViewType { IsKnownSize: false } vector
        ? $"variable-length vector of {vector.ItemType}"
        : type.ToString() ?? type.RawType.Name;
}
