namespace Slipway.Monitoring.Statistics;

/// <summary>
/// What a drift calculation tests and how, with Evidently's precedence for method and threshold:
/// per column &gt; per type &gt; global &gt; the method's own default. Null everywhere gives Evidently's
/// <c>DataDriftPreset</c> defaults.
/// </summary>
public sealed record DriftOptions
{
    /// <summary>Dataset drift when the share of drifted columns is at least this (Evidently: 0.5).</summary>
    public double DriftShare { get; init; } = 0.5;

    /// <summary>The columns to test, in order; null tests every column present in both datasets.</summary>
    public IReadOnlyList<string>? Columns { get; init; }

    /// <summary>Types that replace inference for these columns (a column mapping).</summary>
    public IReadOnlyDictionary<string, ColumnType>? ColumnTypes { get; init; }

    public string? Method { get; init; }

    public double? Threshold { get; init; }

    public string? NumericalMethod { get; init; }

    public string? CategoricalMethod { get; init; }

    public double? NumericalThreshold { get; init; }

    public double? CategoricalThreshold { get; init; }

    public IReadOnlyDictionary<string, string>? ColumnMethods { get; init; }

    public IReadOnlyDictionary<string, double>? ColumnThresholds { get; init; }

    /// <summary>Also run every method registered for each column's type (the conformance view); slower.</summary>
    public bool RunAllMethods { get; init; }
}
