using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Tensor = Slipway.Serving.Inference.Tensor;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>Moving tensors across the managed/native boundary.</summary>
public sealed partial class OnnxModel
{
    /// <summary>
    /// Numeric data is pinned in place (the OrtValue unpins it when disposed); BYTES elements are copied into a
    /// native string tensor as the UTF-8 they already are; FP16/BF16 are copied into ORT's own 16-bit structs.
    /// </summary>
    private static OrtValue ToOrtValue(Tensor tensor)
    {
        if (tensor.Data.LongLength != tensor.ElementCount)
            throw SlipwayException.InvalidParameter($"input '{tensor.Name}' has {tensor.Data.LongLength} data elements, but its shape {SignatureValidator.FormatShape(tensor.Shape)} needs {tensor.ElementCount}");
        return tensor.DataType switch
        {
            TensorDataType.Fp32 => Pinned<float>(tensor),
            TensorDataType.Fp64 => Pinned<double>(tensor),
            TensorDataType.Int8 => Pinned<sbyte>(tensor),
            TensorDataType.Int16 => Pinned<short>(tensor),
            TensorDataType.Int32 => Pinned<int>(tensor),
            TensorDataType.Int64 => Pinned<long>(tensor),
            TensorDataType.UInt8 => Pinned<byte>(tensor),
            TensorDataType.UInt16 => Pinned<ushort>(tensor),
            TensorDataType.UInt32 => Pinned<uint>(tensor),
            TensorDataType.UInt64 => Pinned<ulong>(tensor),
            TensorDataType.Bool => Pinned<bool>(tensor),
            TensorDataType.Fp16 => Copied<Half, Float16>(tensor),
            TensorDataType.Bf16 => Copied<ushort, BFloat16>(tensor),
            TensorDataType.Bytes => Strings(tensor),
            _ => throw SlipwayException.InvalidParameter($"datatype {tensor.DataType.WireName()} is not supported by this model runtime"),
        };
    }

    private static OrtValue Pinned<T>(Tensor tensor)
        where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(Data<T>(tensor), tensor.Shape);

    private static OrtValue Copied<TSource, TOrt>(Tensor tensor)
        where TSource : unmanaged
        where TOrt : unmanaged
    {
        var copy = new TOrt[tensor.Data.Length];
        MemoryMarshal.Cast<TSource, TOrt>(Data<TSource>(tensor)).CopyTo(copy);
        return OrtValue.CreateTensorValueFromMemory(copy, tensor.Shape);
    }

    private static OrtValue Strings(Tensor tensor)
    {
        var elements = Data<byte[]>(tensor);
        var value = OrtValue.CreateTensorWithEmptyStrings(OrtAllocator.DefaultInstance, tensor.Shape);
        try
        {
            for (var i = 0; i < elements.Length; i++)
                value.StringTensorSetElementAt(elements[i].AsSpan(), i);
            return value;
        }
        catch
        {
            value.Dispose();
            throw;
        }
    }

    private static T[] Data<T>(Tensor tensor) =>
        tensor.Data as T[]
        ?? throw SlipwayException.InvalidParameter($"input '{tensor.Name}' holds {tensor.Data.GetType().Name} data, but datatype {tensor.DataType.WireName()} needs {typeof(T).Name}[]");

    private static Tensor ToTensor(string name, OrtValue value)
    {
        if (value.OnnxType != OnnxValueType.ONNX_TYPE_TENSOR)
            throw new InvalidOperationException($"Output '{name}' is {value.OnnxType}, not a tensor.");
        var info = value.GetTensorTypeAndShape();
        var shape = info.Shape;
        return info.ElementDataType switch
        {
            TensorElementType.Float => new Tensor(name, TensorDataType.Fp32, shape, value.GetTensorDataAsSpan<float>().ToArray()),
            TensorElementType.Double => new Tensor(name, TensorDataType.Fp64, shape, value.GetTensorDataAsSpan<double>().ToArray()),
            TensorElementType.Int8 => new Tensor(name, TensorDataType.Int8, shape, value.GetTensorDataAsSpan<sbyte>().ToArray()),
            TensorElementType.Int16 => new Tensor(name, TensorDataType.Int16, shape, value.GetTensorDataAsSpan<short>().ToArray()),
            TensorElementType.Int32 => new Tensor(name, TensorDataType.Int32, shape, value.GetTensorDataAsSpan<int>().ToArray()),
            TensorElementType.Int64 => new Tensor(name, TensorDataType.Int64, shape, value.GetTensorDataAsSpan<long>().ToArray()),
            TensorElementType.UInt8 => new Tensor(name, TensorDataType.UInt8, shape, value.GetTensorDataAsSpan<byte>().ToArray()),
            TensorElementType.UInt16 => new Tensor(name, TensorDataType.UInt16, shape, value.GetTensorDataAsSpan<ushort>().ToArray()),
            TensorElementType.UInt32 => new Tensor(name, TensorDataType.UInt32, shape, value.GetTensorDataAsSpan<uint>().ToArray()),
            TensorElementType.UInt64 => new Tensor(name, TensorDataType.UInt64, shape, value.GetTensorDataAsSpan<ulong>().ToArray()),
            TensorElementType.Bool => new Tensor(name, TensorDataType.Bool, shape, value.GetTensorDataAsSpan<bool>().ToArray()),
            TensorElementType.Float16 => new Tensor(name, TensorDataType.Fp16, shape, MemoryMarshal.Cast<Float16, Half>(value.GetTensorDataAsSpan<Float16>()).ToArray()),
            TensorElementType.BFloat16 => new Tensor(name, TensorDataType.Bf16, shape, MemoryMarshal.Cast<BFloat16, ushort>(value.GetTensorDataAsSpan<BFloat16>()).ToArray()),
            TensorElementType.String => new Tensor(name, TensorDataType.Bytes, shape, ReadStrings(value, checked((int)info.ElementCount))),
            _ => throw SlipwayException.InvalidParameter($"datatype {OnnxTensorTypes.OnnxName(info.ElementDataType)} is not supported by this model runtime (output '{name}')"),
        };
    }

    private static byte[][] ReadStrings(OrtValue value, int count)
    {
        var elements = new byte[count][];
        for (var i = 0; i < count; i++)
            elements[i] = value.GetStringElementAsSpan(i).ToArray();
        return elements;
    }
}
