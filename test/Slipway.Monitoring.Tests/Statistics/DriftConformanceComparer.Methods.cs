using System.Globalization;
using System.Text.Json;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Tests.Statistics;

/// <summary>The per-method part: scores within the README's tolerance classes, errors where Evidently raised.</summary>
internal sealed partial class DriftConformanceComparer
{
    // Evidently methods Slipway does not implement; their expected values are skipped, not compared.
    private static readonly HashSet<string> NotImplemented = new(StringComparer.Ordinal) { "es", "empirical_mmd" };

    private static readonly HashSet<string> ClosedForm =
        new(StringComparer.Ordinal) { "psi", "kl_div", "jensenshannon", "wasserstein", "hellinger", "ed" };

    // Worst |actual − expected| / (rtol·|expected| + atol) per method: ≤ 1 passes.
    private readonly Dictionary<string, (int Compared, double Worst)> _stats = new(StringComparer.Ordinal);

    public IEnumerable<string> Summary() => _stats.OrderBy(s => s.Key, StringComparer.Ordinal)
        .Select(s => $"{caseName} {s.Key}: {s.Value.Compared} compared, worst error/tolerance {s.Value.Worst:G3}");

    private void CompareTests(string column, JsonElement tests, ColumnDriftResult actual)
    {
        foreach (var test in tests.EnumerateObject())
        {
            if (NotImplemented.Contains(test.Name) || test.Value.TryGetProperty("skipped", out _))
                continue;
            var label = $"tests.{test.Name}";
            if (actual.AllMethods is null || !actual.AllMethods.TryGetValue(test.Name, out var method))
            {
                Fail(column, $"{label}: not run");
                continue;
            }
            if (test.Value.TryGetProperty("registered_for_column_type", out var registered))
                Same(column, $"{label}.registered_for_column_type", method.RegisteredForColumnType, registered.GetBoolean());
            if (test.Value.TryGetProperty("error", out var error))
            {
                if (method.Error is null)
                    Fail(column, $"{label}: score {Show(method.Score)}, expected an error ({error.GetString()})");
                continue;
            }
            var deterministic = !test.Value.TryGetProperty("deterministic", out var flag) || flag.GetBoolean();
            CompareScored(column, label, test.Value, method, deterministic);
        }
    }

    /// <summary>Score, threshold and verdict; a non-deterministic method compares only its statistic.</summary>
    private void CompareScored(string column, string label, JsonElement expected, MethodResult actual, bool deterministic)
    {
        if (expected.TryGetProperty("display_name", out var displayName))
            Same(column, $"{label}.display_name", actual.DisplayName, displayName.GetString());
        if (expected.TryGetProperty("rule", out var rule))
            Same(column, $"{label}.rule", actual.Rule.Text(), rule.GetString());
        if (actual.Error is not null)
        {
            Fail(column, $"{label}: error \"{actual.Error}\", expected score {Show(Number(expected.GetProperty("score")))}");
            return;
        }
        if (!deterministic)
        {
            if (expected.TryGetProperty("statistic", out var statistic))
                Within(column, $"{label}.statistic", actual.Method, actual.Statistic ?? double.NaN, Number(statistic), closedForm: true);
            return;
        }
        Within(column, $"{label}.score", actual.Method, actual.Score, Number(expected.GetProperty("score")), ClosedForm.Contains(actual.Method));
        Same(column, $"{label}.threshold", actual.Threshold, Number(expected.GetProperty("threshold")));
        Same(column, $"{label}.drift_detected", actual.DriftDetected, expected.GetProperty("drift_detected").GetBoolean());
    }

    private void Within(string column, string label, string method, double actual, double expected, bool closedForm)
    {
        var (rtol, atol) = closedForm ? (1e-9, 1e-12) : (1e-6, 1e-12);
        double ratio;
        if (double.IsNaN(expected) || double.IsInfinity(expected))
            ratio = actual.Equals(expected) ? 0 : double.PositiveInfinity;
        else
            ratio = Math.Abs(actual - expected) / (rtol * Math.Abs(expected) + atol);
        if (double.IsNaN(ratio))
            ratio = double.PositiveInfinity;
        _stats.TryGetValue(method, out var stat);
        _stats[method] = (stat.Compared + 1, Math.Max(stat.Worst, ratio));
        if (ratio > 1)
            Fail(column, $"{label} = {Show(actual)}, expected {Show(expected)} (error/tolerance {ratio:G3})");
    }

    /// <summary>A JSON number, or one of the strings "NaN", "Infinity", "-Infinity".</summary>
    private static double Number(JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
        : element.GetDouble();
}
