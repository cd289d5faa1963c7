namespace Slipway.Monitoring.Statistics;

/// <summary>Running methods: a refusal becomes an error result, and the all-methods view for conformance and reports.</summary>
public static partial class DriftCalculator
{
    private static MethodResult Run(IDriftMethod method, DriftSample sample, double threshold)
    {
        var registered = method.IsRegisteredFor(sample.Type);
        try
        {
            var score = method.Score(sample);
            return new MethodResult(method.Name, method.DisplayName, score.Value, threshold, method.Rule.IsDrift(score.Value, threshold),
                method.Rule, null, score.Statistic, method.IsDeterministic, registered);
        }
        catch (DriftMethodException e)
        {
            // Evidently raises for these inputs; one column's refusal should not sink the whole report.
            return new MethodResult(method.Name, method.DisplayName, double.NaN, threshold, false, method.Rule, e.Message,
                null, method.IsDeterministic, registered);
        }
    }

    /// <summary>
    /// Every method registered for the column's type, plus the chosen one when it is not registered (the default path
    /// calls z and chisquare on numerical columns). Each runs at its own default threshold; the chosen method's result
    /// is reused as it is.
    /// </summary>
    private static Dictionary<string, MethodResult> RunAll(DriftSample sample, IDriftMethod chosen, MethodResult chosenResult)
    {
        var results = new Dictionary<string, MethodResult>(StringComparer.Ordinal) { [chosen.Name] = chosenResult };
        foreach (var method in DriftMethods.All)
        {
            if (method != chosen && method.IsRegisteredFor(sample.Type))
                results[method.Name] = Run(method, sample, method.DefaultThreshold);
        }
        return results;
    }
}
