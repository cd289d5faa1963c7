using System.Globalization;
using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Performance;

/// <summary>
/// Scores a window's predictions against the feedback labels joined to it, with scikit-learn's definitions
/// (accuracy_score, precision/recall/f1_score, roc_auc_score, log_loss; mean_absolute_error, root mean squared
/// error, r2_score). Only rows with a label and a prediction count. Where scikit-learn would raise or warn and
/// return 0 for a binary metric (one class only, nothing predicted positive), the metric is absent instead.
/// </summary>
public static class PerformanceCalculator
{
    public const string Accuracy = "accuracy";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";
    public const string RocAuc = "roc_auc";
    public const string LogLoss = "log_loss";
    public const string Mae = "mae";
    public const string Rmse = "rmse";
    public const string R2 = "r2";

    /// <summary>Scores the labelled rows; see the overload with <c>skippedLabels</c> for the parameters.</summary>
    public static PerformanceResult Compute(PerformanceSpec spec, DataColumn predictions, DataColumn? probabilities, string?[] labels) =>
        Compute(spec, predictions, probabilities, labels, out _);

    /// <param name="predictions">The predicted value per row (numeric or string); missing predictions are left out.</param>
    /// <param name="probabilities">The positive class's probability per row (classification); rows where it is missing are left out of roc_auc and log_loss only.</param>
    /// <param name="labels">The feedback label per row, null when none arrived.</param>
    /// <param name="skippedLabels">Labelled rows left out because the label is not a finite number (regression), for the run's warnings.</param>
    public static PerformanceResult Compute(PerformanceSpec spec, DataColumn predictions, DataColumn? probabilities, string?[] labels, out long skippedLabels)
    {
        if (predictions.Length != labels.Length || (probabilities is not null && probabilities.Length != labels.Length))
            throw new ArgumentException($"Predictions ({predictions.Length} rows), probabilities ({probabilities?.Length}) and labels ({labels.Length}) must have one value per row.");
        skippedLabels = 0;
        return spec.Task == PerformanceTask.Regression
            ? Regression(predictions, labels, out skippedLabels)
            : ClassificationMetrics.Compute(predictions, probabilities?.Numbers, labels, Canonical(spec.PositiveLabel ?? "1"));
    }

    /// <summary>
    /// A class as compared: numbers in their shortest round-trip form (so 1.0, "1.0" and "1" are one class, and
    /// -0 is 0), booleans as True/False, anything else as written.
    /// </summary>
    internal static string Canonical(string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number))
            return Canonical(number);
        return bool.TryParse(value, out var flag) ? (flag ? "True" : "False") : value;
    }

    internal static string Canonical(double value) => (value == 0 ? 0d : value).ToString("R", CultureInfo.InvariantCulture);

    private static PerformanceResult Regression(DataColumn predictions, string?[] labels, out long skippedLabels)
    {
        skippedLabels = 0;
        var truth = new double[labels.Length];
        var predicted = new double[labels.Length];
        var n = 0;
        for (var row = 0; row < labels.Length; row++)
        {
            if (labels[row] is not { } label || !TryNumber(predictions, row, out var prediction))
                continue;
            if (!double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var actual) || !double.IsFinite(actual))
            {
                skippedLabels++;
                continue;
            }
            truth[n] = actual;
            predicted[n++] = prediction;
        }
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (n == 0)
            return new PerformanceResult(PerformanceTask.Regression, 0, metrics);

        double absolute = 0, squared = 0, sum = 0;
        for (var i = 0; i < n; i++)
        {
            var error = truth[i] - predicted[i];
            absolute += Math.Abs(error);
            squared += error * error;
            sum += truth[i];
        }
        var mean = sum / n;
        double total = 0;
        for (var i = 0; i < n; i++)
            total += (truth[i] - mean) * (truth[i] - mean);
        metrics[Mae] = absolute / n;
        metrics[Rmse] = Math.Sqrt(squared / n);
        // Constant labels leave R² undefined (scikit-learn's force_finite would report 0 or 1).
        if (total > 0)
            metrics[R2] = 1 - squared / total;
        return new PerformanceResult(PerformanceTask.Regression, n, metrics);
    }

    private static bool TryNumber(DataColumn column, int row, out double value)
    {
        if (column.Numbers is { } numbers)
            value = numbers[row];
        else if (column.Strings![row] is not { } text || !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            value = double.NaN;
        return double.IsFinite(value);
    }
}
