using System.Text;
using Microsoft.ML;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models.MlNet;

/// <summary>A model input: its tensor spec, and how a request's tensor becomes a <see cref="TensorColumn"/>.</summary>
internal sealed class MlNetInputColumn
{
    private readonly int _width;
    private readonly bool _isVector;

    private MlNetInputColumn(TensorSpec spec, int width, bool isVector)
    {
        Spec = spec;
        _width = width;
        _isVector = isVector;
    }

    public TensorSpec Spec { get; }

    public static MlNetInputColumn Create(DataViewSchema.Column column)
    {
        var shape = MlNetColumnTypes.Shape(column.Type);
        if (shape is null || !MlNetColumnTypes.TryMapItem(MlNetColumnTypes.ItemType(column.Type), out var dataType))
        {
            throw SlipwayException.InvalidParameter(
                $"The ML.NET model's input column '{column.Name}' has type {MlNetColumnTypes.Describe(column.Type)}, which a tensor cannot be fed into.");
        }

        return new MlNetInputColumn(new TensorSpec(column.Name, dataType, shape), MlNetColumnTypes.Width(column.Type), shape.Length > 1);
    }

    /// <summary>The tensor as a column of <paramref name="rows"/> rows; its datatype was checked against the signature.</summary>
    public TensorColumn Bind(Tensor tensor)
    {
        return tensor.Data switch
        {
            float[] data => new TensorColumn<float>(data, _width, _isVector),
            double[] data => new TensorColumn<double>(data, _width, _isVector),
            int[] data => new TensorColumn<int>(data, _width, _isVector),
            long[] data => new TensorColumn<long>(data, _width, _isVector),
            bool[] data => new TensorColumn<bool>(data, _width, _isVector),
            byte[][] data => new TensorColumn<ReadOnlyMemory<char>>(Decode(data), _width, _isVector),
            _ => throw SlipwayException.InvalidParameter($"input '{Spec.Name}' must be {Spec.DataType.WireName()}, not {tensor.DataType.WireName()}"),
        };
    }

    private static ReadOnlyMemory<char>[] Decode(byte[][] strings)
    {
        var text = new ReadOnlyMemory<char>[strings.Length];
        for (var i = 0; i < strings.Length; i++)
            text[i] = Encoding.UTF8.GetString(strings[i]).AsMemory();
        return text;
    }
}
