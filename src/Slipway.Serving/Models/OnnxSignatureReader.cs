using Microsoft.ML.OnnxRuntime;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>
/// Builds a model's signature from the session's input/output metadata (<c>-1</c> for symbolic dimensions), and
/// lays the MLflow signature over it when the MLmodel has one: names and order come from MLflow, fixed dimensions
/// from either. The two must agree on names and datatypes, because requests are fed to the graph as declared.
/// </summary>
internal static class OnnxSignatureReader
{
    public static ModelSignature Read(InferenceSession session, MlflowSignature? mlflow)
    {
        var inputs = FromMetadata(session.InputNames, session.InputMetadata, "input");
        var outputs = FromMetadata(session.OutputNames, session.OutputMetadata, "output");
        if (mlflow?.Inputs is { } mlflowInputs)
            inputs = Merge(inputs, mlflowInputs, "input");
        if (mlflow?.Outputs is { } mlflowOutputs)
            outputs = Merge(outputs, mlflowOutputs, "output");
        return new ModelSignature(inputs, outputs);
    }

    private static TensorSpec[] FromMetadata(IReadOnlyList<string> names, IReadOnlyDictionary<string, NodeMetadata> metadata, string kind)
    {
        var specs = new TensorSpec[names.Count];
        for (var i = 0; i < specs.Length; i++)
        {
            var name = names[i];
            var node = metadata[name];
            if (!node.IsTensor)
            {
                throw SlipwayException.InvalidParameter(
                    $"The model's {kind} '{name}' is {Describe(node.OnnxValueType)}, not a tensor, so it cannot be served over the Open Inference Protocol"
                    + " (a scikit-learn classifier exported by skl2onnx should be converted with options={'zipmap': False}).");
            }

            if (!OnnxTensorTypes.TryGetDataType(node.ElementDataType, out var dataType))
            {
                throw SlipwayException.InvalidParameter(
                    $"datatype {OnnxTensorTypes.OnnxName(node.ElementDataType)} is not supported by this model runtime (the model's {kind} '{name}').");
            }

            var dims = node.Dimensions;
            var shape = new long[dims.Length];
            for (var d = 0; d < dims.Length; d++)
                shape[d] = dims[d] < 0 ? -1 : dims[d];
            specs[i] = new TensorSpec(name, dataType, shape);
        }

        return specs;
    }

    private static TensorSpec[] Merge(TensorSpec[] graph, IReadOnlyList<MlflowTensorSpec> mlflow, string kind)
    {
        var merged = new TensorSpec[mlflow.Count];
        for (var i = 0; i < mlflow.Count; i++)
        {
            var declared = mlflow[i];
            var name = declared.Name ?? (graph.Length == 1 && mlflow.Count == 1 ? graph[0].Name : null)
                ?? throw SlipwayException.InvalidParameter($"The MLmodel signature has an unnamed {kind}, but the ONNX graph has {graph.Length} {kind}s ({Names(graph)}).");
            var actual = Array.Find(graph, s => s.Name == name)
                ?? throw SlipwayException.InvalidParameter($"The MLmodel signature {kind} '{name}' is not an {kind} of the ONNX graph ({kind}s: {Names(graph)}).");
            if (declared.DataType != actual.DataType)
            {
                throw SlipwayException.InvalidParameter(
                    $"The MLmodel signature declares {kind} '{name}' as {declared.Dtype} ({declared.DataType.WireName()}), but the ONNX graph's is {actual.DataType.WireName()}.");
            }

            merged[i] = new TensorSpec(name, actual.DataType, MergeShape(name, declared.Shape, actual.Shape, kind));
        }

        foreach (var spec in graph)
        {
            if (Array.Find(merged, s => s.Name == spec.Name) is null)
                throw SlipwayException.InvalidParameter($"The ONNX graph's {kind} '{spec.Name}' is missing from the MLmodel signature.");
        }

        return merged;
    }

    private static long[] MergeShape(string name, long[]? declared, long[] graph, string kind)
    {
        if (declared is null)
            return graph;
        if (declared.Length != graph.Length)
        {
            throw SlipwayException.InvalidParameter(
                $"The MLmodel signature gives {kind} '{name}' shape {SignatureValidator.FormatShape(declared)}, but the ONNX graph's has rank {graph.Length} ({SignatureValidator.FormatShape(graph)}).");
        }

        var shape = new long[graph.Length];
        for (var d = 0; d < shape.Length; d++)
        {
            if (declared[d] >= 0 && graph[d] >= 0 && declared[d] != graph[d])
            {
                throw SlipwayException.InvalidParameter(
                    $"The MLmodel signature gives {kind} '{name}' shape {SignatureValidator.FormatShape(declared)}, but the ONNX graph's is {SignatureValidator.FormatShape(graph)}.");
            }

            shape[d] = declared[d] >= 0 ? declared[d] : graph[d];
        }

        return shape;
    }

    private static string Names(TensorSpec[] specs) => string.Join(", ", specs.Select(s => s.Name));

    private static string Describe(OnnxValueType type) => type switch
    {
        OnnxValueType.ONNX_TYPE_SEQUENCE => "a sequence",
        OnnxValueType.ONNX_TYPE_MAP => "a map",
        OnnxValueType.ONNX_TYPE_OPTIONAL => "an optional value",
        OnnxValueType.ONNX_TYPE_SPARSETENSOR => "a sparse tensor",
        _ => $"of ONNX value type {type}",
    };
}
