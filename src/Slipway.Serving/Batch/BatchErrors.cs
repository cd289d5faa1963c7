using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>Where converted values go: the model input, and the file row number of the chunk's first row (1-based).</summary>
internal readonly record struct ConversionTarget(TensorSpec Input, long FirstRow);

/// <summary>The messages of batch prediction's data errors, so every reader and converter words them alike.</summary>
internal static class BatchErrors
{
    private const int MaxShownValueLength = 40;
    private const int MaxListedColumns = 40;

    public static SlipwayException NotConvertible(BatchColumn column, int index, string value, ConversionTarget target, string expected) =>
        SlipwayException.InvalidParameter(
            $"Row {target.FirstRow + index}, column '{column.Name}': {Show(value)} is not {expected}; the column feeds model input '{target.Input.Name}' ({target.Input.DataType.WireName()}).");

    public static SlipwayException Missing(BatchColumn column, int index, ConversionTarget target) =>
        SlipwayException.InvalidParameter(
            $"Row {target.FirstRow + index}, column '{column.Name}' has no value, but model input '{target.Input.Name}' ({target.Input.DataType.WireName()}) needs one.");

    public static SlipwayException Unsupported(BatchColumn column, ConversionTarget target) =>
        SlipwayException.InvalidParameter(
            $"Column '{column.Name}' holds {column.TypeName} values, which cannot feed model input '{target.Input.Name}' ({target.Input.DataType.WireName()}).");

    /// <summary>A column list for messages, shortened for very wide files.</summary>
    public static string List(IReadOnlyList<string> names) =>
        names.Count <= MaxListedColumns
            ? string.Join(", ", names)
            : string.Join(", ", names.Take(MaxListedColumns)) + $", … ({names.Count} in all)";

    public static string Show(string value) =>
        "'" + (value.Length > MaxShownValueLength ? value[..MaxShownValueLength] + "…" : value) + "'";
}
