using System.Text;
using Google.Protobuf;
using Slipway.Training.Onnx.Proto;

namespace Slipway.Training.Onnx;

/// <summary>
/// Assembles an ONNX graph node by node. Intermediate values get unique generated names; graph inputs and outputs
/// keep the names given. Every tensor's first dimension is the symbolic batch size <see cref="BatchDimension"/>.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    public const string BatchDimension = "N";
    public const string MlDomain = "ai.onnx.ml";

    /// <summary>The default domain's opset: Unsqueeze/ReduceSum take axes as inputs (13+), all used operators exist in 17.</summary>
    public const long OnnxOpset = 17;

    /// <summary>ai.onnx.ml 3: TreeEnsembleRegressor with double-precision thresholds and leaf weights.</summary>
    public const long MlOpset = 3;

    private readonly GraphProto _graph = new() { Name = "slipway" };
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Declares a graph input of shape [N] (one value per row).</summary>
    public string Input(string name, TensorProto.Types.DataType type)
    {
        Reserve(name);
        _graph.Input.Add(ValueInfo(name, type, [-1]));
        return name;
    }

    /// <summary>Declares a graph output; -1 in <paramref name="shape"/> stands for the batch dimension.</summary>
    public void Output(string name, TensorProto.Types.DataType type, long[] shape) => _graph.Output.Add(ValueInfo(name, type, shape));

    /// <summary>Adds a node and returns the name of its (single) output: <paramref name="output"/> or a fresh name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, string? output = null, string domain = "", params AttributeProto[] attributes)
    {
        if (output is null)
            output = Fresh(opType);
        else
            Reserve(output);
        var node = new NodeProto { OpType = opType, Name = Fresh(opType + "_node"), Domain = domain };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    public string FloatConstant(string hint, float[] values, params long[] dims)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(dims);
        tensor.FloatData.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Int64Constant(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string StringConstant(string hint, IReadOnlyList<string> values)
    {
        var tensor = new TensorProto { Name = Fresh(hint), DataType = (int)TensorProto.Types.DataType.String };
        tensor.Dims.Add(values.Count);
        tensor.StringData.AddRange(values.Select(Utf8));
        _graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public ModelProto Build(string producerVersion, IReadOnlyDictionary<string, string> metadata)
    {
        var model = new ModelProto
        {
            // IR 8 is the IR version of the ONNX release that introduced opset 17.
            IrVersion = 8,
            ProducerName = "slipway",
            ProducerVersion = producerVersion,
            Domain = "dev.slipway",
            ModelVersion = 1,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxOpset });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = MlDomain, Version = MlOpset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    private string Fresh(string hint)
    {
        string name;
        do
            name = $"{hint}_{_counter++}";
        while (_names.Contains(name));
        _names.Add(name);
        return name;
    }

    private void Reserve(string name)
    {
        if (!_names.Add(name))
            throw new OnnxExportException($"The ONNX graph already has a value named '{name}'.");
    }

    private static ValueInfoProto ValueInfo(string name, TensorProto.Types.DataType type, long[] shape)
    {
        var tensorShape = new TensorShapeProto();
        foreach (var dim in shape)
        {
            tensorShape.Dim.Add(dim < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = BatchDimension }
                : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = tensorShape } },
        };
    }

    internal static ByteString Utf8(string text) => ByteString.CopyFrom(Encoding.UTF8.GetBytes(text));
}

/// <summary>Factory methods for node attributes, each with its ONNX attribute type set.</summary>
internal static class OnnxAttribute
{
    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = OnnxGraphBuilder.Utf8(value) };

    public static AttributeProto Ints(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Strings(string name, IEnumerable<string> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Strings };
        attribute.Strings.AddRange(values.Select(OnnxGraphBuilder.Utf8));
        return attribute;
    }

    /// <summary>A 1-D double tensor attribute (the <c>*_as_tensor</c> attributes of the tree-ensemble operators).</summary>
    public static AttributeProto Doubles(string name, IReadOnlyCollection<double> values)
    {
        var tensor = new TensorProto { DataType = (int)TensorProto.Types.DataType.Double };
        tensor.Dims.Add(values.Count);
        tensor.DoubleData.AddRange(values);
        return new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = tensor };
    }
}
