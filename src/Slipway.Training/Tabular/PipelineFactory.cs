using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Slipway.Training.Data;

namespace Slipway.Training.Tabular;

/// <summary>The hyper-parameters after defaults were applied; null where the trainer chooses for itself (SDCA's passes).</summary>
internal sealed record ResolvedHyperParameters(TrainerKind Trainer, int? Iterations, int Leaves, double LearningRate, int MinimumExampleCountPerLeaf)
{
    /// <param name="trainer">The concrete trainer: the requested one, or what <see cref="TrainerKind.Auto"/> resolved to.</param>
    public static ResolvedHyperParameters From(TrainingOptions options, TrainerKind trainer)
    {
        var treeIterations = options.NumberOfIterations ?? 100;
        return new ResolvedHyperParameters(
            trainer,
            trainer == TrainerKind.Sdca ? options.NumberOfIterations : treeIterations,
            options.NumberOfLeaves ?? 31,
            options.LearningRate ?? 0.1,
            options.MinimumExampleCountPerLeaf ?? 20);
    }
}

/// <summary>
/// Builds featurization + trainer. Categories are one-hot encoded into new columns so that the data's own text
/// columns stay the model's inputs; SDCA additionally gets missing-value replacement and min-max scaling, which the
/// tree learners do not need (they route NaN natively and are scale-invariant). The steps are kept to ones the ONNX
/// export (<see cref="Onnx.OnnxExporter"/>) expresses exactly: one-hot, concatenation, replacement of NaN by zero
/// (the default value), min-max scaling and the trainers below; a new step needs an export first.
/// </summary>
internal static class PipelineFactory
{
    /// <summary>Appended to a text column's name for its one-hot encoding; the ONNX export finds the categories there.</summary>
    internal const string OneHotSuffix = ".onehot";

    public static IEstimator<ITransformer> Create(MLContext context, ConvertedFrame frame, TrainingTask task, ResolvedHyperParameters hyper)
    {
        var featureColumns = new List<string>(frame.NumericFeatures);
        IEstimator<ITransformer>? chain = null;
        if (frame.CategoricalFeatures.Count > 0)
        {
            var pairs = frame.CategoricalFeatures.Select(c => new InputOutputColumnPair(c + OneHotSuffix, c)).ToArray();
            chain = context.Transforms.Categorical.OneHotEncoding(pairs);
            featureColumns.AddRange(pairs.Select(p => p.OutputColumnName));
        }

        chain = Append(chain, context.Transforms.Concatenate(FrameConverter.FeaturesColumn, [.. featureColumns]));
        if (hyper.Trainer == TrainerKind.Sdca)
        {
            chain = chain
                .Append(context.Transforms.ReplaceMissingValues(FrameConverter.FeaturesColumn, replacementMode: MissingValueReplacingEstimator.ReplacementMode.DefaultValue))
                .Append(context.Transforms.NormalizeMinMax(FrameConverter.FeaturesColumn))
                // SDCA passes over the data many times; caching spares re-running the split filter and one-hot each pass.
                .AppendCacheCheckpoint(context);
        }

        chain = task switch
        {
            TrainingTask.Binary => chain.Append(BinaryTrainer(context, hyper)),
            TrainingTask.Multiclass => chain.Append(MulticlassTrainer(context, hyper))
                .Append(context.Transforms.Conversion.MapKeyToValue("PredictedLabel")),
            _ => chain.Append(RegressionTrainer(context, hyper)),
        };
        return chain;
    }

    private static IEstimator<ITransformer> Append(IEstimator<ITransformer>? chain, IEstimator<ITransformer> next) =>
        chain is null ? next : chain.Append(next);

    private static IEstimator<ITransformer> BinaryTrainer(MLContext context, ResolvedHyperParameters h)
    {
        var trainers = context.BinaryClassification.Trainers;
        const string label = FrameConverter.LabelColumn, features = FrameConverter.FeaturesColumn;
        return h.Trainer switch
        {
            TrainerKind.FastTree => trainers.FastTree(label, features, null, h.Leaves, h.Iterations!.Value, h.MinimumExampleCountPerLeaf, h.LearningRate),
            TrainerKind.Sdca => trainers.SdcaLogisticRegression(label, features, maximumNumberOfIterations: h.Iterations),
            _ => trainers.LightGbm(label, features, null, h.Leaves, h.MinimumExampleCountPerLeaf, h.LearningRate, h.Iterations!.Value),
        };
    }

    private static IEstimator<ITransformer> MulticlassTrainer(MLContext context, ResolvedHyperParameters h)
    {
        var trainers = context.MulticlassClassification.Trainers;
        const string label = FrameConverter.LabelColumn, features = FrameConverter.FeaturesColumn;
        return h.Trainer switch
        {
            // ML.NET has no multiclass FastTree; one-versus-all over binary FastTree is its documented substitute.
            TrainerKind.FastTree => trainers.OneVersusAll(
                context.BinaryClassification.Trainers.FastTree(label, features, null, h.Leaves, h.Iterations!.Value, h.MinimumExampleCountPerLeaf, h.LearningRate),
                label),
            TrainerKind.Sdca => trainers.SdcaMaximumEntropy(label, features, maximumNumberOfIterations: h.Iterations),
            _ => trainers.LightGbm(label, features, null, h.Leaves, h.MinimumExampleCountPerLeaf, h.LearningRate, h.Iterations!.Value),
        };
    }

    private static IEstimator<ITransformer> RegressionTrainer(MLContext context, ResolvedHyperParameters h)
    {
        var trainers = context.Regression.Trainers;
        const string label = FrameConverter.LabelColumn, features = FrameConverter.FeaturesColumn;
        return h.Trainer switch
        {
            TrainerKind.FastTree => trainers.FastTree(label, features, null, h.Leaves, h.Iterations!.Value, h.MinimumExampleCountPerLeaf, h.LearningRate),
            TrainerKind.Sdca => trainers.Sdca(label, features, maximumNumberOfIterations: h.Iterations),
            _ => trainers.LightGbm(label, features, null, h.Leaves, h.MinimumExampleCountPerLeaf, h.LearningRate, h.Iterations!.Value),
        };
    }
}
