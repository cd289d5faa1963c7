using Microsoft.ML.OnnxRuntime.Tensors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>ONNX tensor element types and the Open Inference Protocol datatypes they travel as.</summary>
internal static class OnnxTensorTypes
{
    public static bool TryGetDataType(TensorElementType elementType, out TensorDataType dataType)
    {
        TensorDataType? mapped = elementType switch
        {
            TensorElementType.Float => TensorDataType.Fp32,
            TensorElementType.Double => TensorDataType.Fp64,
            TensorElementType.Float16 => TensorDataType.Fp16,
            TensorElementType.BFloat16 => TensorDataType.Bf16,
            TensorElementType.Int8 => TensorDataType.Int8,
            TensorElementType.Int16 => TensorDataType.Int16,
            TensorElementType.Int32 => TensorDataType.Int32,
            TensorElementType.Int64 => TensorDataType.Int64,
            TensorElementType.UInt8 => TensorDataType.UInt8,
            TensorElementType.UInt16 => TensorDataType.UInt16,
            TensorElementType.UInt32 => TensorDataType.UInt32,
            TensorElementType.UInt64 => TensorDataType.UInt64,
            TensorElementType.Bool => TensorDataType.Bool,
            TensorElementType.String => TensorDataType.Bytes,
            _ => null,
        };
        dataType = mapped.GetValueOrDefault();
        return mapped.HasValue;
    }

    /// <summary>The ONNX spelling, e.g. <c>tensor(float)</c>, for error messages.</summary>
    public static string OnnxName(TensorElementType elementType) => elementType switch
    {
        TensorElementType.Float => "tensor(float)",
        TensorElementType.Double => "tensor(double)",
        TensorElementType.Float16 => "tensor(float16)",
        TensorElementType.BFloat16 => "tensor(bfloat16)",
        TensorElementType.String => "tensor(string)",
        _ => $"tensor({elementType.ToString().ToLowerInvariant()})",
    };

    /// <summary>Numpy dtype names as MLflow writes them in tensor-based signatures.</summary>
    public static bool TryParseNumpy(string? dtype, out TensorDataType dataType)
    {
        TensorDataType? mapped = dtype switch
        {
            "float32" => TensorDataType.Fp32,
            "float64" or "float" or "double" => TensorDataType.Fp64,
            "float16" or "half" => TensorDataType.Fp16,
            "int8" => TensorDataType.Int8,
            "int16" => TensorDataType.Int16,
            "int32" => TensorDataType.Int32,
            "int64" or "int" => TensorDataType.Int64,
            "uint8" => TensorDataType.UInt8,
            "uint16" => TensorDataType.UInt16,
            "uint32" => TensorDataType.UInt32,
            "uint64" => TensorDataType.UInt64,
            "bool" => TensorDataType.Bool,
            "str" or "object" or "bytes" or "string" => TensorDataType.Bytes,
            _ => null,
        };
        dataType = mapped.GetValueOrDefault();
        return mapped.HasValue;
    }
}
