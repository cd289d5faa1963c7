using Microsoft.ML;
using Slipway.Core.Errors;
using Slipway.Monitoring.Data;
using Slipway.Training.Tabular;

namespace Slipway.Training.Data;

/// <summary>The frame as ML.NET sees it: the training view (features + <c>Label</c>) and the feature-only input schema.</summary>
internal sealed record ConvertedFrame(
    IDataView View,
    DataViewSchema InputSchema,
    IReadOnlyList<string> NumericFeatures,
    IReadOnlyList<string> CategoricalFeatures);

/// <summary>
/// Turns a <see cref="DataFrame"/> into an ML.NET view. Features keep their data names so that the saved model's
/// inputs are the data's columns: numbers and bools become Single (missing as NaN), strings stay text for one-hot
/// encoding. The label is renamed <see cref="LabelColumn"/> and typed for the task.
/// </summary>
internal static class FrameConverter
{
    public const string LabelColumn = "Label";
    public const string FeaturesColumn = "Features";

    // Columns the pipeline itself creates; a feature with one of these names would be shadowed.
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        LabelColumn, FeaturesColumn, "Score", "PredictedLabel", "Probability",
    };

    public static ConvertedFrame Convert(DataFrame frame, TrainingOptions options)
    {
        var label = frame.Find(options.Label)
            ?? throw SlipwayException.InvalidParameter($"The data has no label column '{options.Label}' (columns: {string.Join(", ", frame.Columns.Select(c => c.Name))}).");
        var excluded = new HashSet<string>(options.ExcludedColumns, StringComparer.Ordinal) { options.Label };
        var columns = new List<ArrayColumn>();
        var numeric = new List<string>();
        var categorical = new List<string>();
        foreach (var column in frame.Columns)
        {
            if (excluded.Contains(column.Name))
                continue;
            if (Reserved.Contains(column.Name))
                throw SlipwayException.InvalidParameter($"Feature column '{column.Name}' has a name the trained model uses for its own columns; rename or exclude it.");
            if (column.IsNumeric)
            {
                columns.Add(ArrayColumn.Single(column.Name, ToSingle(column.Numbers!)));
                numeric.Add(column.Name);
            }
            else
            {
                columns.Add(ArrayColumn.Text(column.Name, ToText(column.Strings!)));
                categorical.Add(column.Name);
            }
        }

        if (columns.Count == 0)
            throw SlipwayException.InvalidParameter("The data has no feature columns besides the label.");
        var inputSchema = new ArrayDataView(columns, frame.RowCount).Schema;
        columns.Add(LabelConverter.Convert(label, options));
        return new ConvertedFrame(new ArrayDataView(columns, frame.RowCount), inputSchema, numeric, categorical);
    }

    private static float[] ToSingle(double[] values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = (float)values[i];
        return result;
    }

    internal static ReadOnlyMemory<char>[] ToText(string?[] values)
    {
        var result = new ReadOnlyMemory<char>[values.Length];
        for (var i = 0; i < values.Length; i++)
            result[i] = values[i] is { } text ? text.AsMemory() : ReadOnlyMemory<char>.Empty;
        return result;
    }
}
