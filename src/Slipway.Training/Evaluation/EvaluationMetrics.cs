using Slipway.Training.Tabular;

namespace Slipway.Training.Evaluation;

/// <summary>
/// The metric names <c>slipway train</c> logs for each task, the default one a step compares on, and which
/// direction is better. Names follow the training run's metrics so an evaluation is comparable with them.
/// </summary>
public static class EvaluationMetrics
{
    private static readonly string[] Binary = ["auc", "accuracy", "f1", "log_loss", "precision", "recall"];
    private static readonly string[] Multiclass = ["accuracy", "macro_accuracy", "log_loss"];
    private static readonly string[] Regression = ["rmse", "mae", "r2"];

    // Errors and losses: smaller is better. Everything else we compute (auc, accuracy, f1, r2, …) is a score.
    private static readonly HashSet<string> LowerIsBetterNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "rmse", "mae", "log_loss",
    };

    /// <summary>The metric names an evaluation of <paramref name="task"/> produces.</summary>
    public static IReadOnlyList<string> For(TrainingTask task) => task switch
    {
        TrainingTask.Binary => Binary,
        TrainingTask.Multiclass => Multiclass,
        _ => Regression,
    };

    /// <summary><c>auc</c> for binary, <c>accuracy</c> (micro) for multiclass, <c>rmse</c> for regression.</summary>
    public static string Default(TrainingTask task) => task switch
    {
        TrainingTask.Binary => "auc",
        TrainingTask.Multiclass => "accuracy",
        _ => "rmse",
    };

    /// <summary>
    /// The canonical name of <paramref name="metric"/> for the task (<c>micro_accuracy</c> is accepted as an alias
    /// of multiclass <c>accuracy</c>), or null when the task does not produce it.
    /// </summary>
    public static string? Canonical(TrainingTask task, string metric)
    {
        var name = metric.Trim().ToLowerInvariant();
        if (task == TrainingTask.Multiclass && name == "micro_accuracy")
            name = "accuracy";
        return For(task).Contains(name) ? name : null;
    }

    /// <summary>Whether a smaller value of the metric is better (rmse, mae, log_loss).</summary>
    public static bool LowerIsBetter(string metric) => LowerIsBetterNames.Contains(metric.Trim());

    /// <summary>Parses <c>binary|multiclass|regression</c> (case-insensitive).</summary>
    public static bool TryParseTask(string? text, out TrainingTask task)
    {
        task = default;
        return text is not null
            && !int.TryParse(text, out _)
            && Enum.TryParse(text.Trim(), ignoreCase: true, out task)
            && Enum.IsDefined(task);
    }
}
