using Slipway.Core.Errors;

namespace Slipway.Monitoring.Statistics;

/// <summary>Method and threshold choice with Evidently's precedence: per column &gt; per type &gt; global &gt; default.</summary>
public static partial class DriftCalculator
{
    // Evidently methods Slipway leaves out on purpose, so a request for them gets a reason rather than "unknown".
    private static readonly Dictionary<string, string> Unsupported = new(StringComparer.Ordinal)
    {
        ["es"] = "Epps-Singleton is not implemented in Slipway",
        ["empirical_mmd"] = "empirical MMD is not implemented in Slipway (its p-value depends on an unseeded generator in Evidently)",
        ["perc_text_content_drift"] = "text drift is not supported",
        ["abs_text_content_drift"] = "text drift is not supported",
    };

    private static void ValidateOptions(DriftOptions options, IReadOnlyList<string> names)
    {
        var problems = new List<string>();
        if (!double.IsFinite(options.DriftShare) || options.DriftShare is < 0 or > 1)
            problems.Add($"drift share {options.DriftShare} must be between 0 and 1");
        foreach (var (what, method) in ConfiguredNames(options))
        {
            if (DriftMethods.Find(method) is null)
            {
                var reason = Unsupported.TryGetValue(method, out var why) ? why : $"the methods are {DriftMethods.Names}";
                problems.Add($"{what} '{method}' is not a drift method ({reason})");
            }
        }
        foreach (var (what, threshold) in ConfiguredThresholds(options))
        {
            if (!double.IsFinite(threshold))
                problems.Add($"{what} {threshold} is not a finite number");
        }
        var known = new HashSet<string>(names, StringComparer.Ordinal);
        foreach (var (what, keys) in new (string, IEnumerable<string>?)[]
                 {
                     ("column method", options.ColumnMethods?.Keys), ("column threshold", options.ColumnThresholds?.Keys),
                     ("column type", options.ColumnTypes?.Keys),
                 })
        {
            foreach (var key in keys ?? [])
            {
                if (!known.Contains(key))
                    problems.Add($"a {what} is given for '{key}', which is not among the columns tested");
            }
        }
        if (problems.Count > 0)
            throw SlipwayException.InvalidParameter($"Invalid drift options: {string.Join("; ", problems)}.");
    }

    private static IEnumerable<(string What, string Method)> ConfiguredNames(DriftOptions options)
    {
        if (options.Method is not null)
            yield return ("method", options.Method);
        if (options.NumericalMethod is not null)
            yield return ("numerical method", options.NumericalMethod);
        if (options.CategoricalMethod is not null)
            yield return ("categorical method", options.CategoricalMethod);
        foreach (var (column, method) in options.ColumnMethods ?? new Dictionary<string, string>())
            yield return ($"method for column '{column}'", method);
    }

    private static IEnumerable<(string What, double Threshold)> ConfiguredThresholds(DriftOptions options)
    {
        if (options.Threshold is { } global)
            yield return ("threshold", global);
        if (options.NumericalThreshold is { } numerical)
            yield return ("numerical threshold", numerical);
        if (options.CategoricalThreshold is { } categorical)
            yield return ("categorical threshold", categorical);
        foreach (var (column, threshold) in options.ColumnThresholds ?? new Dictionary<string, double>())
            yield return ($"threshold for column '{column}'", threshold);
    }

    /// <summary>The method the options ask for on this column, or null for the default choice.</summary>
    /// <exception cref="SlipwayException">The method is not registered for the column's type (Evidently refuses this too).</exception>
    private static IDriftMethod? ConfiguredMethod(DriftOptions options, string column, ColumnType type)
    {
        if (type is not (ColumnType.Numerical or ColumnType.Categorical))
            return null;
        string? name = null;
        if (options.ColumnMethods is not null && options.ColumnMethods.TryGetValue(column, out var perColumn))
            name = perColumn;
        name ??= type == ColumnType.Numerical ? options.NumericalMethod : options.CategoricalMethod;
        name ??= options.Method;
        if (name is null)
            return null;
        var method = DriftMethods.Find(name)!;
        if (!method.IsRegisteredFor(type))
        {
            var applies = string.Join(" and ", new[] { ColumnType.Numerical, ColumnType.Categorical }
                .Where(method.IsRegisteredFor).Select(t => t == ColumnType.Numerical ? "numerical" : "categorical"));
            throw SlipwayException.InvalidParameter(
                $"Drift method '{name}' does not apply to the {(type == ColumnType.Numerical ? "numerical" : "categorical")} column '{column}'; it applies to {applies} columns.");
        }
        return method;
    }

    private static double? ConfiguredThreshold(DriftOptions options, string column, ColumnType type)
    {
        if (options.ColumnThresholds is not null && options.ColumnThresholds.TryGetValue(column, out var perColumn))
            return perColumn;
        var perType = type == ColumnType.Numerical ? options.NumericalThreshold : options.CategoricalThreshold;
        return perType ?? options.Threshold;
    }
}
