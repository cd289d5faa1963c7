namespace Slipway.Monitoring.Performance;

/// <summary>
/// ROC AUC and log loss of a binary classifier from its positive-class probability, over the scored rows whose
/// probability is present. Both need the labels to be binary: the positive class and at most one other. Log loss
/// is also reported when the labels hold one class only (scikit-learn then asks for its <c>labels</c> argument,
/// with which it gives the same value); ROC AUC is not, as it is undefined.
/// </summary>
internal static class ProbabilityMetrics
{
    /// <param name="rows">The frame row of each scored row, to find its probability.</param>
    /// <param name="truth">The label's class id of each scored row.</param>
    /// <param name="positiveId">The positive class's id, or -1 when the window never saw it.</param>
    public static void Add(Dictionary<string, double> metrics, double[] probabilities, ReadOnlySpan<int> rows, ReadOnlySpan<int> truth, int positiveId, double epsilon)
    {
        var scores = new double[rows.Length];
        var positives = new bool[rows.Length];
        var n = 0;
        var negativeId = -1;
        for (var i = 0; i < rows.Length; i++)
        {
            var score = probabilities[rows[i]];
            if (double.IsNaN(score))
                continue;
            if (truth[i] != positiveId)
            {
                // A third class makes the labels multiclass, where one probability column says nothing.
                if (negativeId >= 0 && truth[i] != negativeId)
                    return;
                negativeId = truth[i];
            }
            scores[n] = score;
            positives[n++] = truth[i] == positiveId;
        }
        if (n == 0)
            return;

        double loss = 0;
        var positiveCount = 0;
        for (var i = 0; i < n; i++)
        {
            var p = Math.Clamp(scores[i], epsilon, 1 - epsilon);
            loss -= positives[i] ? Math.Log(p) : Math.Log(1 - p);
            positiveCount += positives[i] ? 1 : 0;
        }
        metrics[PerformanceCalculator.LogLoss] = loss / n;
        // ROC AUC is undefined when the labels hold one class only (scikit-learn raises).
        if (positiveCount > 0 && positiveCount < n)
            metrics[PerformanceCalculator.RocAuc] = Auc(scores.AsSpan(0, n), positives.AsSpan(0, n), positiveCount);
    }

    /// <summary>
    /// The Mann-Whitney form of the area under the ROC curve: the positives' rank sum with tied scores given their
    /// average rank, which equals scikit-learn's trapezoidal area where ties make diagonal steps.
    /// </summary>
    private static double Auc(Span<double> scores, Span<bool> positives, int positiveCount)
    {
        scores.Sort(positives);
        double positiveRankSum = 0;
        var start = 0;
        while (start < scores.Length)
        {
            var end = start;
            var tiedPositives = 0;
            while (end < scores.Length && scores[end] == scores[start])
                tiedPositives += positives[end++] ? 1 : 0;
            // Ranks are 1-based: the tie group [start, end) shares the mean of start+1 .. end.
            positiveRankSum += tiedPositives * (start + 1 + end) / 2.0;
            start = end;
        }
        double negativeCount = scores.Length - positiveCount;
        return (positiveRankSum - positiveCount * (positiveCount + 1) / 2.0) / (positiveCount * negativeCount);
    }
}
