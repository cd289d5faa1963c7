using System.Globalization;
using Microsoft.ML;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Data;

namespace Slipway.Training.Tabular;

/// <summary>
/// Trains a tabular ML.NET model from a <see cref="DataFrame"/>: a train/validation split, or k-fold cross-validation
/// followed by a fit on all rows. <see cref="TrainerKind.Auto"/> first compares the trainers on a sample of the
/// training rows. Training is CPU-bound and synchronous; callers that must stay responsive run it on a pool thread.
/// ML.NET keeps its own cancellation internal, so the token is honoured between phases and folds.
/// </summary>
public static class TabularTrainer
{
    public static TrainingResult Train(DataFrame frame, TrainingOptions options, IProgress<TrainingProgress>? progress = null, CancellationToken ct = default)
    {
        Validate(frame, options);
        return Run(new MLContext(options.Seed), frame, options, progress, ct);
    }

    private static TrainingResult Run(MLContext context, DataFrame frame, TrainingOptions options, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        progress?.Report(new TrainingProgress("prepare", 0));
        var converted = FrameConverter.Convert(frame, options);
        var data = converted.View;
        if (options.Task == TrainingTask.Multiclass)
        {
            // The label map is fitted outside the saved model: a served model gets no label and must not demand one.
            data = context.Transforms.Conversion.MapValueToKey(FrameConverter.LabelColumn).Fit(data).Transform(data);
        }

        var cv = options.CrossValidationFolds >= 2;
        var split = cv ? (DataOperationsCatalog.TrainTestData?)null : context.Data.TrainTestSplit(data, options.ValidationFraction, seed: options.Seed);
        AutoSelection? selection = null;
        if (options.Trainer == TrainerKind.Auto)
        {
            progress?.Report(new TrainingProgress("compare trainers", 0.02));
            var rowEstimate = cv ? frame.RowCount : (long)(frame.RowCount * (1 - options.ValidationFraction));
            selection = AutoTrainerSelector.Select(context, split?.TrainSet ?? data, rowEstimate, converted, options, ct);
        }

        var hyper = ResolvedHyperParameters.From(options, selection?.Trainer ?? options.Trainer);
        var estimator = PipelineFactory.Create(context, converted, options.Task, hyper);
        var parameters = Parameters(frame, options, converted, hyper, selection);
        ct.ThrowIfCancellationRequested();
        if (split is not { } trainTest)
            return CrossValidate(context, data, estimator, converted, options, parameters, progress, ct);

        progress?.Report(new TrainingProgress("train", 0.1));
        var model = estimator.Fit(trainTest.TrainSet);
        progress?.Report(new TrainingProgress("evaluate", 0.9));
        var metrics = MetricsCalculator.Evaluate(context, options.Task, model.Transform(trainTest.TestSet));
        progress?.Report(new TrainingProgress("done", 1));
        return new TrainingResult(context, model, converted.InputSchema, metrics, null, parameters, trainTest.TestSet);
    }

    private static TrainingResult CrossValidate(
        MLContext context, IDataView data, IEstimator<ITransformer> estimator, ConvertedFrame converted,
        TrainingOptions options, Dictionary<string, string> parameters, IProgress<TrainingProgress>? progress, CancellationToken ct)
    {
        var k = options.CrossValidationFolds;
        var folds = context.Data.CrossValidationSplit(data, k, seed: options.Seed);
        var foldMetrics = new List<Dictionary<string, double>>(k);
        for (var i = 0; i < folds.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new TrainingProgress($"fold {i + 1}/{k}", (double)i / (k + 1)));
            var foldModel = estimator.Fit(folds[i].TrainSet);
            foldMetrics.Add(MetricsCalculator.Evaluate(context, options.Task, foldModel.Transform(folds[i].TestSet)));
        }

        var summary = MetricsCalculator.Summarize(foldMetrics);
        progress?.Report(new TrainingProgress("train on all rows", (double)k / (k + 1)));
        var model = estimator.Fit(data);
        progress?.Report(new TrainingProgress("done", 1));
        var means = summary.ToDictionary(p => p.Key, p => p.Value.Mean, StringComparer.Ordinal);
        return new TrainingResult(context, model, converted.InputSchema, means, summary, parameters, data);
    }

    private static Dictionary<string, string> Parameters(DataFrame frame, TrainingOptions options, ConvertedFrame converted, ResolvedHyperParameters hyper, AutoSelection? selection)
    {
        var inv = CultureInfo.InvariantCulture;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = hyper.Trainer.ToString().ToLowerInvariant(),
            ["trainer_requested"] = options.Trainer.ToString().ToLowerInvariant(),
            ["task"] = options.Task.ToString().ToLowerInvariant(),
            ["label"] = options.Label,
            ["rows"] = frame.RowCount.ToString(inv),
            ["columns"] = (converted.NumericFeatures.Count + converted.CategoricalFeatures.Count).ToString(inv),
            ["numeric_columns"] = converted.NumericFeatures.Count.ToString(inv),
            ["categorical_columns"] = converted.CategoricalFeatures.Count.ToString(inv),
            ["seed"] = options.Seed.ToString(inv),
            ["iterations"] = hyper.Iterations?.ToString(inv) ?? "auto",
        };
        if (hyper.Trainer != TrainerKind.Sdca)
        {
            parameters["num_leaves"] = hyper.Leaves.ToString(inv);
            parameters["learning_rate"] = hyper.LearningRate.ToString("R", inv);
            parameters["min_data_in_leaf"] = hyper.MinimumExampleCountPerLeaf.ToString(inv);
        }
        if (selection is not null)
        {
            parameters["auto_metric"] = selection.Metric;
            parameters["auto_scores"] = selection.Describe();
        }
        if (options.CrossValidationFolds >= 2)
            parameters["cv_folds"] = options.CrossValidationFolds.ToString(inv);
        else
            parameters["validation_fraction"] = options.ValidationFraction.ToString("R", inv);
        if (options.PositiveClass is not null)
            parameters["positive_class"] = options.PositiveClass;
        return parameters;
    }

    private static void Validate(DataFrame frame, TrainingOptions options)
    {
        if (options.CrossValidationFolds is 1 or < 0)
            throw SlipwayException.InvalidParameter($"Cross-validation needs at least 2 folds, not {options.CrossValidationFolds}.");
        if (options.CrossValidationFolds == 0 && options.ValidationFraction is <= 0 or >= 1)
            throw SlipwayException.InvalidParameter($"The validation fraction must be between 0 and 1, not {options.ValidationFraction}.");
        if (options.NumberOfIterations is < 1 || options.NumberOfLeaves is < 2 || options.LearningRate is <= 0 || options.MinimumExampleCountPerLeaf is < 1)
            throw SlipwayException.InvalidParameter("Hyper-parameters must be positive: iterations ≥ 1, leaves ≥ 2, learning rate > 0, minimum rows per leaf ≥ 1.");
        var unknown = options.ExcludedColumns.Where(c => frame.Find(c) is null).ToList();
        if (unknown.Count > 0)
            throw SlipwayException.InvalidParameter($"Excluded column(s) {string.Join(", ", unknown)} are not in the data.");
        if (frame.RowCount < 10)
            throw SlipwayException.InvalidParameter($"The data has {frame.RowCount} rows; training needs at least 10.");
    }
}
