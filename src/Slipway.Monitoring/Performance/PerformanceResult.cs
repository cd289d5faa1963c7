namespace Slipway.Monitoring.Performance;

public enum PerformanceTask
{
    Classification,
    Regression,
}

/// <summary>
/// How to score predictions against feedback labels. Classification compares the predicted label (its display
/// form, e.g. <c>1</c> or <c>cat</c>) with the label; with <see cref="ProbabilityColumn"/> (the positive class's
/// probability, binary only) it also reports ROC AUC and log loss. Regression parses labels as numbers.
/// </summary>
public sealed record PerformanceSpec
{
    public PerformanceTask Task { get; init; } = PerformanceTask.Classification;

    /// <summary>The inference-log column holding the prediction, e.g. <c>out_label</c> or <c>out_variable</c>.</summary>
    public required string PredictionColumn { get; init; }

    /// <summary>The positive class's probability column, e.g. <c>out_probabilities_1</c>.</summary>
    public string? ProbabilityColumn { get; init; }

    /// <summary>The positive class for precision, recall, F1 and ROC AUC; default <c>1</c>. Multiclass reports macro averages.</summary>
    public string? PositiveLabel { get; init; }
}

/// <summary>
/// Model quality over the labelled rows of a window. Metric names: accuracy, precision, recall, f1, roc_auc,
/// log_loss (classification); mae, rmse, r2 (regression). A metric that cannot be computed (one class only, no
/// probabilities) is absent rather than NaN.
/// </summary>
public sealed record PerformanceResult(PerformanceTask Task, long LabelledRows, IReadOnlyDictionary<string, double> Metrics);
