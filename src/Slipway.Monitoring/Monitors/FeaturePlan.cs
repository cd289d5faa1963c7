using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Monitoring.Statistics;

namespace Slipway.Monitoring.Monitors;

/// <summary>
/// Which log column is compared with which reference column under which name, resolved for one run. Without an
/// explicit feature list a monitor takes every flat input column of the log that the reference has by the same
/// name (a traffic-window reference, or a dataset saved from logged traffic), or by its input's name (log column
/// <c>in_age</c> of a one-tensor-per-column model against reference column <c>age</c>); failing that, when the reference has
/// exactly as many columns as the log has inputs, they are paired in order (a training CSV in the model's input
/// order). Anything else needs an explicit list.
/// </summary>
public static class FeaturePlan
{
    public static IReadOnlyList<FeatureSpec> Resolve(MonitorSpec spec, IReadOnlyList<string> logColumns, DataFrame? reference)
    {
        if (spec.Features.Count > 0)
            return spec.Features;
        var inputs = logColumns.Where(c => c.StartsWith("in_", StringComparison.Ordinal)).ToList();
        if (inputs.Count == 0)
            return [];
        if (reference is null)
            return inputs.ConvertAll(c => new FeatureSpec { Name = c, Column = c });
        var byName = inputs.Where(c => reference.Find(c) is not null).ToList();
        if (byName.Count > 0)
            return byName.ConvertAll(c => new FeatureSpec { Name = c, Column = c });
        // One tensor per column (a model trained by `slipway train`): log column in_<input> is reference column <input>.
        var byInputName = inputs.Where(c => reference.Find(c["in_".Length..]) is not null).ToList();
        if (byInputName.Count > 0)
            return byInputName.ConvertAll(c => new FeatureSpec { Name = c["in_".Length..], Column = c, ReferenceColumn = c["in_".Length..] });
        if (reference.Columns.Count == inputs.Count)
        {
            var paired = new List<FeatureSpec>(inputs.Count);
            for (var i = 0; i < inputs.Count; i++)
                paired.Add(new FeatureSpec { Name = reference.Columns[i].Name, Column = inputs[i], ReferenceColumn = reference.Columns[i].Name });
            return paired;
        }
        throw SlipwayException.InvalidParameter(
            $"Monitor '{spec.Name}' lists no features, and its reference columns ({Preview(reference.Columns.Select(c => c.Name))}) neither match the log's " +
            $"input columns ({Preview(inputs)}) by name nor by count; give 'features' with each column's reference_column.");
    }

    public static DriftOptions Options(MonitorSpec spec, IReadOnlyList<FeatureSpec> features) => new()
    {
        DriftShare = spec.DriftShare,
        Columns = features.Select(f => f.Name).ToList(),
        Method = spec.Method,
        Threshold = spec.Threshold,
        ColumnTypes = features.Where(f => f.Type is not null).ToDictionary(f => f.Name, f => f.Type == "num" ? ColumnType.Numerical : ColumnType.Categorical),
        ColumnMethods = features.Where(f => f.Method is not null).ToDictionary(f => f.Name, f => f.Method!),
        ColumnThresholds = features.Where(f => f.Threshold is not null).ToDictionary(f => f.Name, f => f.Threshold!.Value),
    };

    /// <summary>The reference side renamed to feature names; a missing reference column is an error naming it.</summary>
    public static DataFrame ReferenceFrame(DataFrame reference, IReadOnlyList<FeatureSpec> features, string what)
    {
        var columns = new List<DataColumn>(features.Count);
        var missing = new List<string>();
        foreach (var feature in features)
        {
            var name = feature.ReferenceColumn ?? feature.Name;
            if (reference.Find(name) is { } column)
                columns.Add(Renamed(column, feature.Name));
            else
                missing.Add(name);
        }
        if (missing.Count > 0)
            throw SlipwayException.InvalidParameter($"The reference data has no column {string.Join(", ", missing.Select(m => $"'{m}'"))} for the monitor's {what} (it has {Preview(reference.Columns.Select(c => c.Name))}).");
        return new DataFrame(columns);
    }

    /// <summary>The current side renamed to feature names; log columns the window lacks are left out (and reported by the caller).</summary>
    public static DataFrame CurrentFrame(DataFrame window, IReadOnlyList<FeatureSpec> features, List<string> missing)
    {
        var columns = new List<DataColumn>(features.Count);
        foreach (var feature in features)
        {
            if (window.Find(feature.Column) is { } column)
                columns.Add(Renamed(column, feature.Name));
            else
                missing.Add(feature.Column);
        }
        return new DataFrame(columns);
    }

    public static DataColumn Renamed(DataColumn column, string name) =>
        column.Name == name ? column
        : column.Numbers is { } numbers ? DataColumn.Numeric(name, column.Dtype, numbers)
        : DataColumn.Text(name, column.Strings!);

    private static string Preview(IEnumerable<string> names)
    {
        var list = names.Take(11).ToList();
        return list.Count > 10 ? string.Join(", ", list.Take(10)) + ", …" : string.Join(", ", list);
    }
}
