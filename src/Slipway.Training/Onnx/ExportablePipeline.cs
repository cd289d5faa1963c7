using Microsoft.ML.Trainers.FastTree;
using Slipway.Training.Tabular;

namespace Slipway.Training.Onnx;

/// <summary>A text feature one-hot encoded over <see cref="Categories"/> (slot i is 1 for the i-th category, all 0 otherwise).</summary>
internal sealed record CategoricalFeature(string Column, IReadOnlyList<string> Categories);

/// <summary>How the model's input columns make up its feature vector: numbers first, then one block per category column.</summary>
internal sealed record FeatureLayout(IReadOnlyList<string> Numeric, IReadOnlyList<CategoricalFeature> Categorical)
{
    public int Width => Numeric.Count + Categorical.Sum(c => c.Categories.Count);
}

/// <summary>ML.NET's affine normalizer per slot: <c>(x - offset) * scale</c>; no offset means zero.</summary>
internal sealed record AffineNormalization(float[] Scale, float[]? Offset);

/// <summary>What turns the feature vector into one raw score per output column.</summary>
internal abstract record ScoreModel(int Outputs);

/// <summary>One tree ensemble per output column; a column's raw score is the sum of its trees' leaf values.</summary>
internal sealed record TreeScoreModel(IReadOnlyList<TreeEnsemble<RegressionTree>> Ensembles) : ScoreModel(Ensembles.Count);

/// <summary>A linear score per output column: <c>bias + weights · x</c>.</summary>
internal sealed record LinearScoreModel(IReadOnlyList<float[]> Weights, float[] Bias) : ScoreModel(Bias.Length);

/// <summary>How raw scores become the outputs ML.NET's scorers produce.</summary>
internal enum ScoreHead
{
    /// <summary><c>Score</c> is the raw score.</summary>
    Regression,

    /// <summary><c>Score</c> raw, <c>Probability</c> by the Platt calibrator, <c>PredictedLabel</c> = Score &gt; 0.</summary>
    Binary,

    /// <summary><c>Score</c> = softmax of the raw scores.</summary>
    MulticlassSoftmax,

    /// <summary><c>Score</c> = each class's Platt probability, divided by their sum (one-versus-all).</summary>
    MulticlassNormalizedProbabilities,

    /// <summary><c>Score</c> = the raw scores (one-versus-all without probabilities).</summary>
    MulticlassRaw,
}

/// <summary>
/// Everything the ONNX exporter needs from a trained ML.NET pipeline, read out of the fitted transformers:
/// featurization, optional missing-value replacement and normalization, the scoring model and the head.
/// </summary>
internal sealed record ExportablePipeline(
    TrainingTask Task,
    FeatureLayout Layout,
    bool ReplacesMissingWithZero,
    AffineNormalization? Normalization,
    ScoreModel Scores,
    ScoreHead Head,
    IReadOnlyList<(double Slope, double Offset)> Platt,
    IReadOnlyList<string> Classes);
