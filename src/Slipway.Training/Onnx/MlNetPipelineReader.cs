using System.Collections.Immutable;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Transforms;
using Slipway.Training.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Onnx;

/// <summary>
/// Reads a pipeline built by <see cref="PipelineFactory"/> out of its fitted transformers. Only the transformers that
/// factory uses are understood; anything else raises <see cref="OnnxExportException"/> rather than exporting a
/// model that would compute something different.
/// </summary>
internal static class MlNetPipelineReader
{
    public static ExportablePipeline Read(ITransformer model, DataViewSchema inputSchema)
    {
        if (model is not IEnumerable<ITransformer> chain)
            throw new OnnxExportException($"Expected a transformer chain, not {model.GetType().Name}.");

        var outputSchema = model.GetOutputSchema(inputSchema);
        var layout = Layout(inputSchema, outputSchema);
        var replacesMissing = false;
        AffineNormalization? normalization = null;
        ExportablePipeline? pipeline = null;
        foreach (var transformer in Flatten(chain))
        {
            switch (transformer)
            {
                case OneHotEncodingTransformer or ColumnConcatenatingTransformer or KeyToValueMappingTransformer:
                    break;
                case MissingValueReplacingTransformer:
                    replacesMissing = true;
                    break;
                case NormalizingTransformer normalizer:
                    normalization = Normalization(normalizer, layout.Width);
                    break;
                case IPredictionTransformer<object> predictor when pipeline is null:
                    pipeline = Predictor(predictor, layout, outputSchema);
                    break;
                default:
                    throw new OnnxExportException($"The pipeline step {transformer.GetType().Name} has no ONNX export.");
            }
        }

        return (pipeline ?? throw new OnnxExportException("The pipeline has no trained predictor."))
            with { ReplacesMissingWithZero = replacesMissing, Normalization = normalization };
    }

    /// <summary>A cache checkpoint (SDCA) nests the steps before it in a chain of their own.</summary>
    private static IEnumerable<ITransformer> Flatten(IEnumerable<ITransformer> chain) =>
        chain.SelectMany(t => t is IEnumerable<ITransformer> inner ? Flatten(inner) : [t]);

    private static FeatureLayout Layout(DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        var numeric = new List<string>();
        var categorical = new List<CategoricalFeature>();
        foreach (var column in inputSchema)
        {
            if (column.Type == NumberDataViewType.Single)
            {
                numeric.Add(column.Name);
                continue;
            }
            if (column.Type is not TextDataViewType)
                throw new OnnxExportException($"Input column '{column.Name}' has type {column.Type}, which the ONNX export does not handle.");

            var encoded = outputSchema.GetColumnOrNull(column.Name + PipelineFactory.OneHotSuffix)
                ?? throw new OnnxExportException($"Text column '{column.Name}' has no one-hot encoding in the pipeline.");
            if (encoded.Type is not VectorDataViewType { IsKnownSize: true } || !HasSlotNames(encoded))
                throw new OnnxExportException($"The one-hot encoding of '{column.Name}' does not name its categories.");
            var names = default(VBuffer<ReadOnlyMemory<char>>);
            encoded.GetSlotNames(ref names);
            categorical.Add(new CategoricalFeature(column.Name, [.. names.DenseValues().Select(n => n.ToString())]));
        }

        var layout = new FeatureLayout(numeric, categorical);
        var features = outputSchema.GetColumnOrNull(FrameConverter.FeaturesColumn);
        if (features?.Type is not VectorDataViewType { IsKnownSize: true } featureVector || featureVector.Size != layout.Width)
            throw new OnnxExportException($"The feature vector does not have the {layout.Width} slots the input columns make up.");
        return layout;
    }

    private static AffineNormalization Normalization(NormalizingTransformer normalizer, int width)
    {
        if (normalizer.GetNormalizerModelParameters(0) is not NormalizingTransformer.AffineNormalizerModelParameters<ImmutableArray<float>> affine)
            throw new OnnxExportException("Only affine (min-max) normalization has an ONNX export.");
        var scale = affine.Scale.ToArray();
        var offset = affine.Offset.IsDefaultOrEmpty ? null : affine.Offset.ToArray();
        if (scale.Length != width || (offset is not null && offset.Length != width))
            throw new OnnxExportException("The normalizer's parameters do not cover every feature slot.");
        return new AffineNormalization(scale, offset);
    }

    private static ExportablePipeline Predictor(IPredictionTransformer<object> predictor, FeatureLayout layout, DataViewSchema outputSchema)
    {
        var type = predictor.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : null;
        if (definition == typeof(RegressionPredictionTransformer<>))
            return new ExportablePipeline(TrainingTask.Regression, layout, false, null, Scorer(predictor.Model, layout), ScoreHead.Regression, [], []);
        if (definition == typeof(BinaryPredictionTransformer<>))
        {
            var (sub, platt) = Calibrated(predictor.Model);
            return new ExportablePipeline(TrainingTask.Binary, layout, false, null, Scorer(sub, layout), ScoreHead.Binary, [platt], []);
        }
        if (definition == typeof(MulticlassPredictionTransformer<>))
            return Multiclass(predictor.Model, layout, outputSchema);
        throw new OnnxExportException($"The predictor {predictor.GetType().Name} has no ONNX export.");
    }

    private static ExportablePipeline Multiclass(object model, FeatureLayout layout, DataViewSchema outputSchema)
    {
        var classes = ClassNames(outputSchema);
        switch (model)
        {
            case MaximumEntropyModelParameters maxEnt:
                var weights = default(VBuffer<float>[]);
                maxEnt.GetWeights(ref weights, out var count);
                if (weights is null)
                    throw new OnnxExportException("The maximum-entropy model did not return its weights.");
                var linear = new LinearScoreModel([.. weights.Take(count).Select(w => Dense(w, layout.Width))], [.. maxEnt.GetBiases()]);
                return Checked(new ExportablePipeline(TrainingTask.Multiclass, layout, false, null, linear, ScoreHead.MulticlassSoftmax, [], classes));
            case OneVersusAllModelParameters ova:
                var formula = OneVersusAllFormula(ova);
                if (formula == ScoreHead.MulticlassNormalizedProbabilities)
                {
                    var parts = SubModels(ova).Select(Calibrated).ToList();
                    var ensembles = TreeScorer(parts.Select(p => p.Model), layout);
                    return Checked(new ExportablePipeline(TrainingTask.Multiclass, layout, false, null, ensembles, formula, [.. parts.Select(p => p.Platt)], classes));
                }
                return Checked(new ExportablePipeline(TrainingTask.Multiclass, layout, false, null, TreeScorer(SubModels(ova), layout), formula, [], classes));
            default:
                throw new OnnxExportException($"The multiclass model {model.GetType().Name} has no ONNX export.");
        }
    }

    private static ExportablePipeline Checked(ExportablePipeline pipeline) =>
        pipeline.Scores.Outputs == pipeline.Classes.Count
            ? pipeline
            : throw new OnnxExportException($"The model scores {pipeline.Scores.Outputs} classes but the label has {pipeline.Classes.Count}.");

    /// <summary>The classes in score order: the slot names ML.NET gives the multiclass <c>Score</c> column.</summary>
    private static IReadOnlyList<string> ClassNames(DataViewSchema outputSchema)
    {
        var score = outputSchema.GetColumnOrNull("Score");
        if (score?.Type is not VectorDataViewType { IsKnownSize: true } || !HasSlotNames(score.Value))
            throw new OnnxExportException("The multiclass Score column does not name its classes.");
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        score.Value.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    /// <summary>
    /// One-versus-all keeps its output formula in a private implementation class; its name is the only way to tell
    /// softmax, normalized probabilities and raw scores apart. Verification catches a misreading.
    /// </summary>
    private static ScoreHead OneVersusAllFormula(OneVersusAllModelParameters ova)
    {
        var impl = typeof(OneVersusAllModelParameters).GetField("_impl", BindingFlags.Instance | BindingFlags.NonPublic)?.GetValue(ova);
        return impl?.GetType().Name switch
        {
            "ImplSoftmax" => ScoreHead.MulticlassSoftmax,
            "ImplDist" => ScoreHead.MulticlassNormalizedProbabilities,
            "ImplRaw" => ScoreHead.MulticlassRaw,
            _ => throw new OnnxExportException("Cannot tell how this one-versus-all model combines its classes."),
        };
    }

    /// <summary>The per-class models; ML.NET keeps their accessor internal.</summary>
    private static IEnumerable<object> SubModels(OneVersusAllModelParameters ova) =>
        typeof(OneVersusAllModelParameters).GetProperty("SubModelParameters", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(ova) is IEnumerable<object> models
            ? models
            : throw new OnnxExportException("Cannot read the one-versus-all model's per-class models from this ML.NET version.");

    private static bool HasSlotNames(DataViewSchema.Column column) =>
        column.Annotations.Schema.GetColumnOrNull("SlotNames") is { Type: VectorDataViewType { ItemType: TextDataViewType } };

    private static ScoreModel Scorer(object model, FeatureLayout layout) => model switch
    {
        TreeEnsembleModelParametersBasedOnRegressionTree trees => new TreeScoreModel([trees.TrainedTreeEnsemble]),
        LinearModelParameters linear => new LinearScoreModel([Dense(linear.Weights, layout.Width)], [linear.Bias]),
        _ => throw new OnnxExportException($"The model {model.GetType().Name} has no ONNX export."),
    };

    private static TreeScoreModel TreeScorer(IEnumerable<object> models, FeatureLayout layout) =>
        new([.. models.Select(m => Scorer(m, layout) is TreeScoreModel { Ensembles: [var ensemble] }
            ? ensemble
            : throw new OnnxExportException($"The one-versus-all member {m.GetType().Name} is not a tree ensemble."))]);

    /// <summary>Splits a calibrated model (<c>CalibratedModelParametersBase&lt;TModel, PlattCalibrator&gt;</c>) into its parts.</summary>
    private static (object Model, (double Slope, double Offset) Platt) Calibrated(object model)
    {
        var type = model.GetType();
        while (type is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(CalibratedModelParametersBase<,>)))
            type = type.BaseType;
        if (type is null)
            throw new OnnxExportException($"Expected a calibrated model, not {model.GetType().Name}.");
        const BindingFlags declared = BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly;
        // Read by reflection: an ML.NET version that renames these makes the export unsupported, not a failed training.
        var sub = type.GetProperty("SubModel", declared)?.GetValue(model)
            ?? throw new OnnxExportException($"Cannot read the calibrated model's SubModel from {model.GetType().Name} in this ML.NET version.");
        var calibratorProperty = type.GetProperty("Calibrator", declared)
            ?? throw new OnnxExportException($"Cannot read the calibrated model's Calibrator from {model.GetType().Name} in this ML.NET version.");
        return calibratorProperty.GetValue(model) is PlattCalibrator platt
            ? (sub, (platt.Slope, platt.Offset))
            : throw new OnnxExportException("Only the Platt (sigmoid) calibrator has an ONNX export.");
    }

    private static float[] Dense(IReadOnlyList<float> weights, int width)
    {
        if (weights.Count != width)
            throw new OnnxExportException($"The linear model has {weights.Count} weights for {width} feature slots.");
        return [.. weights];
    }

    private static float[] Dense(VBuffer<float> weights, int width)
    {
        if (weights.Length != width)
            throw new OnnxExportException($"The linear model has {weights.Length} weights for {width} feature slots.");
        var dense = new float[width];
        weights.CopyTo(dense);
        return dense;
    }
}

/// <summary>The trained pipeline has a part the ONNX exporter cannot express exactly.</summary>
public sealed class OnnxExportException(string message) : Exception(message);
