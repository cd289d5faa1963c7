using System.Reflection;
using Google.Protobuf;
using Microsoft.ML;
using Slipway.Training.Onnx.Proto;
using Slipway.Training.Tabular;
using DataType = Slipway.Training.Onnx.Proto.TensorProto.Types.DataType;

namespace Slipway.Training.Onnx;

/// <summary>One input or output of the exported graph, in MLflow's tensor-spec terms (numpy dtype, -1 for the batch).</summary>
public sealed record OnnxTensorInfo(string Name, string Dtype, long[] Shape);

/// <summary>An exported model: the serialized ONNX <c>ModelProto</c> and its inputs and outputs.</summary>
public sealed record OnnxExport(byte[] Model, IReadOnlyList<OnnxTensorInfo> Inputs, IReadOnlyList<OnnxTensorInfo> Outputs)
{
    /// <summary>Slots of the feature vector the graph builds per row (numbers plus one-hot categories).</summary>
    public int FeatureWidth { get; init; }

    /// <summary>
    /// How closely verification requires the graph to match ML.NET: <see cref="OnnxVerifier.TreeTolerance"/> for tree
    /// ensembles, <see cref="OnnxVerifier.LinearTolerance"/> for linear models.
    /// </summary>
    public double Tolerance { get; init; } = OnnxVerifier.LinearTolerance;
}

/// <summary>
/// Writes a trained tabular pipeline as an ONNX graph that computes what ML.NET serving returns for it. Inputs are
/// one tensor per feature column, shape [N] (float32 for numbers with NaN as missing, string for categories).
/// The graph one-hot encodes categories (ai.onnx.ml OneHotEncoder; unknown categories give all zeros, as in
/// ML.NET), concatenates, replaces NaN by 0 and min-max scales for SDCA, scores with a TreeEnsembleRegressor (one
/// target per score column) or a MatMul, and applies the head: the Platt sigmoid for binary, softmax or normalized
/// one-versus-all probabilities for multiclass. Outputs are named as ML.NET's columns: <c>Score</c>,
/// <c>Probability</c> and <c>PredictedLabel</c>.
/// </summary>
public static class OnnxExporter
{
    public const string ScoreOutput = "Score";
    public const string ProbabilityOutput = "Probability";
    public const string PredictedLabelOutput = "PredictedLabel";

    /// <exception cref="OnnxExportException">The pipeline has a part without an exact ONNX form.</exception>
    public static OnnxExport Export(TrainingResult result) => Export(result.Model, result.InputSchema);

    internal static OnnxExport Export(ITransformer model, DataViewSchema inputSchema)
    {
        var pipeline = MlNetPipelineReader.Read(model, inputSchema);
        var graph = new OnnxGraphBuilder();
        var inputs = new List<OnnxTensorInfo>();
        var features = Featurize(graph, pipeline, inputs);
        var raw = pipeline.Scores switch
        {
            TreeScoreModel trees => TreeEnsembleExport.Add(graph, features, pipeline.Layout.Width, trees),
            LinearScoreModel linear => Linear(graph, features, pipeline.Layout.Width, linear),
            _ => throw new OnnxExportException("Unknown score model."),
        };
        var outputs = Head(graph, pipeline, raw);

        var version = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["slipway.task"] = pipeline.Task.ToString().ToLowerInvariant(),
            ["slipway.source"] = "mlnet",
        };
        return new OnnxExport(graph.Build(version.Split('+')[0], metadata).ToByteArray(), inputs, outputs) 
        {
            FeatureWidth = pipeline.Layout.Width,
            Tolerance = pipeline.Scores is TreeScoreModel ? OnnxVerifier.TreeTolerance : OnnxVerifier.LinearTolerance,
        };
    }

    private static string Featurize(OnnxGraphBuilder graph, ExportablePipeline pipeline, List<OnnxTensorInfo> inputs)
    {
        // Inputs are declared before any generated name exists, so a column can never collide with one.
        foreach (var name in pipeline.Layout.Numeric)
        {
            graph.Input(name, DataType.Float);
            inputs.Add(new OnnxTensorInfo(name, "float32", [-1]));
        }
        foreach (var categorical in pipeline.Layout.Categorical)
        {
            graph.Input(categorical.Column, DataType.String);
            inputs.Add(new OnnxTensorInfo(categorical.Column, "object", [-1]));
        }

        var axisOne = graph.Int64Constant("axis_one", 1);
        var parts = new List<string>();
        foreach (var name in pipeline.Layout.Numeric)
            parts.Add(graph.Node("Unsqueeze", [name, axisOne]));
        foreach (var categorical in pipeline.Layout.Categorical)
        {
            // zeros=1: a category not seen in training encodes as all zeros, as ML.NET's one-hot does.
            parts.Add(graph.Node("OneHotEncoder", [categorical.Column], domain: OnnxGraphBuilder.MlDomain,
                attributes: [OnnxAttribute.Strings("cats_strings", categorical.Categories), OnnxAttribute.Int("zeros", 1)]));
        }

        var features = graph.Node("Concat", parts, attributes: OnnxAttribute.Int("axis", 1));
        if (pipeline.ReplacesMissingWithZero)
            features = ZeroMissing(graph, features);
        if (pipeline.Normalization is { } normalization)
        {
            var width = pipeline.Layout.Width;
            if (normalization.Offset is { } offset)
                features = graph.Node("Sub", [features, graph.FloatConstant("norm_offset", offset, 1, width)]);
            features = graph.Node("Mul", [features, graph.FloatConstant("norm_scale", normalization.Scale, 1, width)]);
        }
        return features;
    }

    internal static string ZeroMissing(OnnxGraphBuilder graph, string values)
    {
        var isMissing = graph.Node("IsNaN", [values]);
        return graph.Node("Where", [isMissing, graph.FloatConstant("zero", [0f]), values]);
    }

    private static string Linear(OnnxGraphBuilder graph, string features, int width, LinearScoreModel linear)
    {
        var outputs = linear.Outputs;
        var matrix = new float[width * outputs];
        for (var o = 0; o < outputs; o++)
        {
            for (var f = 0; f < width; f++)
                matrix[(f * outputs) + o] = linear.Weights[o][f];
        }
        var product = graph.Node("MatMul", [features, graph.FloatConstant("weights", matrix, width, outputs)]);
        return graph.Node("Add", [product, graph.FloatConstant("bias", linear.Bias, 1, outputs)]);
    }

    private static List<OnnxTensorInfo> Head(OnnxGraphBuilder graph, ExportablePipeline pipeline, string raw)
    {
        var outputs = new List<OnnxTensorInfo>();
        void Output(string name, DataType type, string dtype, long[] shape)
        {
            graph.Output(name, type, shape);
            outputs.Add(new OnnxTensorInfo(name, dtype, shape));
        }

        switch (pipeline.Head)
        {
            case ScoreHead.Regression:
                Flatten(graph, raw, ScoreOutput);
                Output(ScoreOutput, DataType.Float, "float32", [-1]);
                break;
            case ScoreHead.Binary:
                var score = Flatten(graph, raw, ScoreOutput);
                var (slope, offset) = pipeline.Platt[0];
                // ML.NET's Platt calibrator: p = 1 / (1 + exp(slope * score + offset)) = sigmoid(-slope * score - offset).
                var logit = graph.Node("Add", [
                    graph.Node("Mul", [score, graph.FloatConstant("platt_slope", [(float)-slope])]),
                    graph.FloatConstant("platt_offset", [(float)-offset])]);
                graph.Node("Sigmoid", [logit], ProbabilityOutput);
                graph.Node("Greater", [score, graph.FloatConstant("threshold", [0f])], PredictedLabelOutput);
                Output(PredictedLabelOutput, DataType.Bool, "bool", [-1]);
                Output(ScoreOutput, DataType.Float, "float32", [-1]);
                Output(ProbabilityOutput, DataType.Float, "float32", [-1]);
                break;
            default:
                MulticlassScore(graph, pipeline, raw);
                var best = graph.Node("ArgMax", [ScoreOutput], attributes: [OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 0)]);
                graph.Node("Gather", [graph.StringConstant("classes", pipeline.Classes), best], PredictedLabelOutput, attributes: OnnxAttribute.Int("axis", 0));
                Output(PredictedLabelOutput, DataType.String, "object", [-1]);
                Output(ScoreOutput, DataType.Float, "float32", [-1, pipeline.Classes.Count]);
                break;
        }
        return outputs;
    }

    private static void MulticlassScore(OnnxGraphBuilder graph, ExportablePipeline pipeline, string raw)
    {
        switch (pipeline.Head)
        {
            case ScoreHead.MulticlassSoftmax:
                graph.Node("Softmax", [raw], ScoreOutput, attributes: OnnxAttribute.Int("axis", 1));
                break;
            case ScoreHead.MulticlassRaw:
                graph.Node("Identity", [raw], ScoreOutput);
                break;
            default:
                // Each class's calibrated probability, clamped at 0 and divided by their sum (ML.NET's NormalizeSumToOne).
                var classes = pipeline.Platt.Count;
                var slopes = graph.FloatConstant("platt_slopes", [.. pipeline.Platt.Select(p => (float)-p.Slope)], 1, classes);
                var offsets = graph.FloatConstant("platt_offsets", [.. pipeline.Platt.Select(p => (float)-p.Offset)], 1, classes);
                var probabilities = graph.Node("Relu", [graph.Node("Sigmoid", [graph.Node("Add", [graph.Node("Mul", [raw, slopes]), offsets])])]);
                var sum = graph.Node("ReduceSum", [probabilities, graph.Int64Constant("sum_axis", 1)], attributes: OnnxAttribute.Int("keepdims", 1));
                graph.Node("Div", [probabilities, sum], ScoreOutput);
                break;
        }
    }

    private static string Flatten(OnnxGraphBuilder graph, string values, string output) =>
        graph.Node("Reshape", [values, graph.Int64Constant("flat", -1)], output);
}
