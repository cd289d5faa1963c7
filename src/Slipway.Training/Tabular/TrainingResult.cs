using Microsoft.ML;

namespace Slipway.Training.Tabular;

/// <summary>A metric's mean and sample standard deviation over cross-validation folds.</summary>
public readonly record struct FoldSummary(double Mean, double StandardDeviation);

/// <summary>
/// A trained model with everything needed to log it: <see cref="InputSchema"/> holds only the feature columns
/// (named as in the data, numbers as Single, categories as text), so a server can feed requests without a label.
/// </summary>
public sealed class TrainingResult
{
    internal TrainingResult(
        MLContext context,
        ITransformer model,
        DataViewSchema inputSchema,
        IReadOnlyDictionary<string, double> metrics,
        IReadOnlyDictionary<string, FoldSummary>? crossValidation,
        IReadOnlyDictionary<string, string> parameters,
        IDataView validationData)
    {
        Context = context;
        Model = model;
        InputSchema = inputSchema;
        Metrics = metrics;
        CrossValidation = crossValidation;
        Parameters = parameters;
        ValidationData = validationData;
    }

    public MLContext Context { get; }

    public ITransformer Model { get; }

    public DataViewSchema InputSchema { get; }

    /// <summary>Validation metrics (snake_case names, e.g. <c>auc</c>, <c>rmse</c>); the fold means under cross-validation.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; }

    /// <summary>Per-metric mean ± sd over the folds; null without cross-validation.</summary>
    public IReadOnlyDictionary<string, FoldSummary>? CrossValidation { get; }

    /// <summary>The parameters actually used (the resolved trainer, task, label, row and column counts, hyper-parameters).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The held-out rows (all rows under cross-validation), in the training view's schema.</summary>
    public IDataView ValidationData { get; }

    /// <summary>Writes the model as an ML.NET zip with its feature-only input schema.</summary>
    public void Save(string path) => Context.Model.Save(Model, InputSchema, path);
}
