using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Reports;

/// <summary>
/// Evidently's <c>ColumnMapping</c> fields plus Slipway's per-column overrides. <see cref="Id"/> and
/// <see cref="Datetime"/> are never drift-tested; listed features get their type forced; when any feature list is
/// given only those, the target and the prediction columns are tested, otherwise every shared column is.
/// </summary>
public sealed record ColumnMapping
{
    public string? Target { get; init; }

    /// <summary>One column, or one per class for probabilities.</summary>
    public IReadOnlyList<string> Prediction { get; init; } = [];

    public IReadOnlyList<string>? NumericalFeatures { get; init; }

    public IReadOnlyList<string>? CategoricalFeatures { get; init; }

    public string? Id { get; init; }

    public string? Datetime { get; init; }

    public IReadOnlyDictionary<string, string> PerColumnMethod { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, double> PerColumnThreshold { get; init; } = new Dictionary<string, double>();

    /// <summary>The target and prediction columns, for the report's prediction-drift section.</summary>
    public IReadOnlyList<string> TargetAndPrediction => Target is null ? Prediction : [Target, .. Prediction];

    /// <summary>
    /// The drift options this mapping gives for two datasets: which columns to test (in the reference's column order),
    /// their forced types and per-column overrides on top of <paramref name="options"/>. Every problem is listed:
    /// a column the mapping names that either dataset lacks, a column listed twice, or (with no feature lists)
    /// columns that only one dataset has.
    /// </summary>
    public (DriftOptions? Options, IReadOnlyList<string> Problems) Apply(DataFrame reference, DataFrame current, DriftOptions options)
    {
        var problems = new List<string>();
        var named = new List<(string Column, string Field)>();
        void Name(IEnumerable<string>? columns, string field) => named.AddRange((columns ?? []).Select(c => (c, field)));
        Name(Target is null ? null : [Target], "target");
        Name(Prediction, "prediction");
        Name(NumericalFeatures, "numerical_features");
        Name(CategoricalFeatures, "categorical_features");
        Name(Id is null ? null : [Id], "id");
        Name(Datetime is null ? null : [Datetime], "datetime");
        Name(PerColumnMethod.Keys, "per_column_method");
        Name(PerColumnThreshold.Keys, "per_column_threshold");
        foreach (var (column, field) in named)
        {
            if (reference.Find(column) is null)
                problems.Add($"'{column}' ({field}) is not a column of the reference data.");
            if (current.Find(column) is null)
                problems.Add($"'{column}' ({field}) is not a column of the current data.");
        }

        // A column may play one role only; the per-column overrides are settings, not roles.
        var roles = named.Where(n => !n.Field.StartsWith("per_column", StringComparison.Ordinal)).GroupBy(n => n.Column, StringComparer.Ordinal);
        foreach (var role in roles.Where(g => g.Count() > 1))
            problems.Add($"'{role.Key}' is listed more than once ({string.Join(", ", role.Select(r => r.Field))}).");

        var excluded = new HashSet<string>(StringComparer.Ordinal);
        if (Id is not null)
            excluded.Add(Id);
        if (Datetime is not null)
            excluded.Add(Datetime);
        var tested = NumericalFeatures is not null || CategoricalFeatures is not null
            ? Listed(reference)
            : Shared(reference, current, excluded, problems);
        foreach (var column in PerColumnMethod.Keys.Concat(PerColumnThreshold.Keys).Distinct().Where(c => !tested.Contains(c) && reference.Find(c) is not null))
            problems.Add($"'{column}' has a per-column setting but is not tested ({(excluded.Contains(column) ? "it is the id or datetime column" : "it is in no feature list")}).");
        if (tested.Count == 0 && problems.Count == 0)
            problems.Add("there is no column to test.");
        if (problems.Count > 0)
            return (null, problems);

        var types = new Dictionary<string, ColumnType>(StringComparer.Ordinal);
        foreach (var column in NumericalFeatures ?? [])
            types[column] = ColumnType.Numerical;
        foreach (var column in CategoricalFeatures ?? [])
            types[column] = ColumnType.Categorical;
        return (options with
        {
            Columns = tested,
            ColumnTypes = types.Count > 0 ? types : options.ColumnTypes,
            ColumnMethods = PerColumnMethod.Count > 0 ? PerColumnMethod : options.ColumnMethods,
            ColumnThresholds = PerColumnThreshold.Count > 0 ? PerColumnThreshold : options.ColumnThresholds,
        }, problems);
    }

    private List<string> Listed(DataFrame reference)
    {
        var wanted = new HashSet<string>([.. NumericalFeatures ?? [], .. CategoricalFeatures ?? [], .. TargetAndPrediction], StringComparer.Ordinal);
        return reference.Columns.Select(c => c.Name).Where(wanted.Contains).ToList();
    }

    private static List<string> Shared(DataFrame reference, DataFrame current, HashSet<string> excluded, List<string> problems)
    {
        var onlyReference = reference.Columns.Select(c => c.Name).Where(n => current.Find(n) is null && !excluded.Contains(n)).ToList();
        var onlyCurrent = current.Columns.Select(c => c.Name).Where(n => reference.Find(n) is null && !excluded.Contains(n)).ToList();
        if (onlyReference.Count > 0)
            problems.Add($"columns only in the reference data: {string.Join(", ", onlyReference)} (list the features to compare in a column mapping to test a subset).");
        if (onlyCurrent.Count > 0)
            problems.Add($"columns only in the current data: {string.Join(", ", onlyCurrent)} (list the features to compare in a column mapping to test a subset).");
        return reference.Columns.Select(c => c.Name).Where(n => !excluded.Contains(n) && current.Find(n) is not null).ToList();
    }
}
