namespace Slipway.Monitoring.Statistics;

/// <summary>Evidently's column types: they decide which drift test runs by default.</summary>
public enum ColumnType
{
    Numerical,
    Categorical,
    Text,
    /// <summary>Not drift-tested and left out of the dataset share (for example booleans with missing values).</summary>
    Unknown,
}

/// <summary>How a score is compared with its threshold; the operators differ between methods and matter at the boundary.</summary>
public enum DriftRule
{
    /// <summary>p ≤ threshold (ks, cramer_von_mises).</summary>
    PValueAtMost,
    /// <summary>p &lt; threshold (the other p-value tests).</summary>
    PValueBelow,
    /// <summary>score ≥ threshold (psi, kl_div, jensenshannon, wasserstein, hellinger).</summary>
    ScoreAtLeast,
    /// <summary>score &gt; threshold (ed).</summary>
    ScoreAbove,
}

public static class DriftRules
{
    /// <summary>Whether a score is drift under a rule; NaN is never drift.</summary>
    public static bool IsDrift(this DriftRule rule, double score, double threshold) => rule switch
    {
        DriftRule.PValueAtMost => score <= threshold,
        DriftRule.PValueBelow => score < threshold,
        DriftRule.ScoreAtLeast => score >= threshold,
        DriftRule.ScoreAbove => score > threshold,
        _ => false,
    };

    /// <summary>The rule as Evidently's conformance files spell it, e.g. <c>p_value &lt;= threshold</c>.</summary>
    public static string Text(this DriftRule rule) => rule switch
    {
        DriftRule.PValueAtMost => "p_value <= threshold",
        DriftRule.PValueBelow => "p_value < threshold",
        DriftRule.ScoreAtLeast => "score >= threshold",
        DriftRule.ScoreAbove => "score > threshold",
        _ => rule.ToString(),
    };

    public static string WireName(this ColumnType type) => type switch
    {
        ColumnType.Numerical => "num",
        ColumnType.Categorical => "cat",
        ColumnType.Text => "text",
        _ => "unknown",
    };
}
