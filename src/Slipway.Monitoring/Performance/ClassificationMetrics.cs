using Slipway.Monitoring.Data;

namespace Slipway.Monitoring.Performance;

/// <summary>
/// Classification metrics over class ids: accuracy; with at most two classes precision, recall and F1 of the
/// positive class (scikit-learn's <c>average="binary"</c>), with more the unweighted mean over every class seen
/// in labels or predictions (<c>average="macro"</c>, an undefined per-class ratio counting 0 as scikit-learn does);
/// and, from the positive class's probability, ROC AUC and log loss.
/// </summary>
internal static class ClassificationMetrics
{
    // scikit-learn's historical log_loss eps: probabilities are clipped to [eps, 1 - eps] so a confident miss is finite.
    private const double LogLossEpsilon = 1e-15;

    public static PerformanceResult Compute(DataColumn predictions, double[]? probabilities, string?[] labels, string positive)
    {
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        // Numeric predictions map straight to a class id, so a million rows do not format a million strings.
        var numberClasses = new Dictionary<double, int>();
        var rows = new int[labels.Length];
        var truth = new int[labels.Length];
        var predicted = new int[labels.Length];
        var n = 0;
        for (var row = 0; row < labels.Length; row++)
        {
            if (labels[row] is not { } label || PredictedClass(predictions, row, classes, numberClasses) is not { } prediction)
                continue;
            rows[n] = row;
            predicted[n] = prediction;
            truth[n++] = ClassId(classes, PerformanceCalculator.Canonical(label));
        }

        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (n == 0)
            return new PerformanceResult(PerformanceTask.Classification, 0, metrics);
        var confusion = new long[classes.Count, 3];
        long correct = 0;
        for (var i = 0; i < n; i++)
        {
            if (truth[i] == predicted[i])
            {
                correct++;
                confusion[truth[i], 0]++;
            }
            else
            {
                confusion[predicted[i], 1]++;
                confusion[truth[i], 2]++;
            }
        }
        metrics[PerformanceCalculator.Accuracy] = (double)correct / n;

        var positiveId = classes.GetValueOrDefault(positive, -1);
        if (classes.Count > 2)
            AddMacro(metrics, confusion);
        else if (positiveId >= 0)
            AddBinary(metrics, confusion[positiveId, 0], confusion[positiveId, 1], confusion[positiveId, 2]);
        // The positive class may be absent from a window (no positive labels or predictions yet); log loss still applies.
        if (probabilities is not null)
            ProbabilityMetrics.Add(metrics, probabilities, rows.AsSpan(0, n), truth.AsSpan(0, n), positiveId, LogLossEpsilon);
        return new PerformanceResult(PerformanceTask.Classification, n, metrics);
    }

    private static int? PredictedClass(DataColumn predictions, int row, Dictionary<string, int> classes, Dictionary<double, int> numberClasses)
    {
        if (predictions.Strings is { } strings)
            return strings[row] is { } text ? ClassId(classes, PerformanceCalculator.Canonical(text)) : null;
        var value = predictions.Numbers![row];
        if (double.IsNaN(value))
            return null;
        if (!numberClasses.TryGetValue(value, out var id))
        {
            var isBool = predictions.Dtype is ColumnDtype.Bool or ColumnDtype.NullableBool;
            var shown = isBool ? (value != 0 ? "True" : "False") : PerformanceCalculator.Canonical(value);
            numberClasses[value] = id = ClassId(classes, shown);
        }
        return id;
    }

    private static int ClassId(Dictionary<string, int> classes, string label)
    {
        if (!classes.TryGetValue(label, out var id))
            classes[label] = id = classes.Count;
        return id;
    }

    /// <summary>Ratios whose denominator is zero (nothing predicted or labelled positive) are left out.</summary>
    private static void AddBinary(Dictionary<string, double> metrics, long truePositives, long falsePositives, long falseNegatives)
    {
        if (truePositives + falsePositives > 0)
            metrics[PerformanceCalculator.Precision] = (double)truePositives / (truePositives + falsePositives);
        if (truePositives + falseNegatives > 0)
            metrics[PerformanceCalculator.Recall] = (double)truePositives / (truePositives + falseNegatives);
        if (2 * truePositives + falsePositives + falseNegatives > 0)
            metrics[PerformanceCalculator.F1] = 2.0 * truePositives / (2 * truePositives + falsePositives + falseNegatives);
    }

    /// <param name="confusion">Per class: true positives, false positives, false negatives.</param>
    private static void AddMacro(Dictionary<string, double> metrics, long[,] confusion)
    {
        var classes = confusion.GetLength(0);
        double precision = 0, recall = 0, f1 = 0;
        for (var c = 0; c < classes; c++)
        {
            long tp = confusion[c, 0], fp = confusion[c, 1], fn = confusion[c, 2];
            precision += tp + fp == 0 ? 0 : (double)tp / (tp + fp);
            recall += tp + fn == 0 ? 0 : (double)tp / (tp + fn);
            // Every class was seen in labels or predictions, so this denominator is never zero.
            f1 += 2.0 * tp / (2 * tp + fp + fn);
        }
        metrics[PerformanceCalculator.Precision] = precision / classes;
        metrics[PerformanceCalculator.Recall] = recall / classes;
        metrics[PerformanceCalculator.F1] = f1 / classes;
    }
}
