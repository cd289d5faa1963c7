using System.Text;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Logging;

/// <summary>
/// One tensor spread over flat columns so monitoring can query features and predictions without parsing JSON: a 2-D
/// FP32/FP64/INT64 input [N, D ≤ 256] gives double columns <c>in_&lt;input&gt;_0 … in_&lt;input&gt;_{D-1}</c>; a 1-D
/// numeric input [N] (one tensor per column, as models trained by <c>slipway train</c> take them) gives the double
/// column <c>in_&lt;input&gt;</c>, and a BYTES input [N] or [N, 1] the text column <c>in_&lt;input&gt;</c>; a numeric
/// output [N] or [N, 1] gives <c>out_&lt;output&gt;</c>, and [N, K ≤ 16] gives <c>out_&lt;output&gt;_0 … _{K-1}</c>.
/// A tensor gets columns only when every record of the segment has it with that same width, so a segment's
/// schema never has holes; names are reduced to <c>[A-Za-z0-9_]</c> and a name that would clash (DuckDB compares
/// column names case-insensitively) is left out.
/// </summary>
internal sealed class FlatColumns
{
    public const int MaxFeatureWidth = 256;
    public const int MaxPredictionWidth = 16;

    private FlatColumns(string tensorName, bool isInput, string[] columnNames, int rows, bool isText = false)
    {
        TensorName = tensorName;
        IsInput = isInput;
        ColumnNames = columnNames;
        IsText = isText;
        Values = new double[isText ? 0 : columnNames.Length][];
        for (var j = 0; j < Values.Length; j++)
            Values[j] = new double[rows];
        Texts = isText ? new string?[rows] : [];
    }

    /// <summary>A single text column (a BYTES input decoded as UTF-8) held in <see cref="Texts"/> instead of <see cref="Values"/>.</summary>
    public bool IsText { get; }

    /// <summary>The text column's value per log row (null for invalid UTF-8).</summary>
    public string?[] Texts { get; }

    public string TensorName { get; }

    public bool IsInput { get; }

    public string[] ColumnNames { get; }

    /// <summary>Column j's value per log row.</summary>
    public double[][] Values { get; }

    public int Width => ColumnNames.Length;

    /// <param name="reserved">Column names already taken (the fixed columns); names chosen here are added to it.</param>
    public static List<FlatColumns> Plan(IReadOnlyList<InferenceLogRecord> records, int[] rowCounts, bool[] perRow, int totalRows, HashSet<string> reserved)
    {
        var plans = new List<FlatColumns>();
        if (records.Count == 0 || Array.IndexOf(perRow, false) >= 0)
            return plans;
        foreach (var input in records[0].Inputs)
        {
            var width = FeatureWidth(input);
            var stem = "in_" + Sanitize(input.Name);
            if (width > 0 && EveryRecordHas(records, rowCounts, input.Name, isInput: true, width))
                TryAdd(plans, reserved, input.Name, isInput: true, Names(stem + "_", width), totalRows);
            else if (ColumnKind(input) is { } kind && EveryRecordIs(records, input.Name, kind))
                TryAdd(plans, reserved, input.Name, isInput: true, [stem], totalRows, isText: kind == InputColumn.Text);
        }
        foreach (var output in records[0].Outputs)
        {
            var width = PredictionWidth(output, rowCounts[0]);
            if (width == 0 || !EveryRecordHas(records, rowCounts, output.Name, isInput: false, width))
                continue;
            var stem = "out_" + Sanitize(output.Name);
            TryAdd(plans, reserved, output.Name, isInput: false, width == 1 ? [stem] : Names(stem + "_", width), totalRows);
        }
        return plans;
    }

    private static int FeatureWidth(Tensor tensor) =>
        tensor.DataType is TensorDataType.Fp32 or TensorDataType.Fp64 or TensorDataType.Int64
        && tensor.Shape.Length == 2 && tensor.Shape[1] is >= 1 and <= MaxFeatureWidth
            ? (int)tensor.Shape[1]
            : 0;

    private enum InputColumn
    {
        Number,
        Text,
    }

    /// <summary>A per-row input that is one column: numeric [N], or BYTES [N] / [N, 1]; null for anything else.</summary>
    private static InputColumn? ColumnKind(Tensor tensor) => tensor switch
    {
        { DataType: TensorDataType.Bytes, Shape.Length: 1 } => InputColumn.Text,
        { DataType: TensorDataType.Bytes, Shape: [_, 1] } => InputColumn.Text,
        { Shape.Length: 1 } when TensorValues.IsNumeric(tensor.DataType) => InputColumn.Number,
        _ => null,
    };

    private static bool EveryRecordIs(IReadOnlyList<InferenceLogRecord> records, string name, InputColumn kind)
    {
        for (var r = 0; r < records.Count; r++)
        {
            if (LogRows.Find(records[r].Inputs, name) is not { } tensor || ColumnKind(tensor) != kind)
                return false;
        }
        return true;
    }

    private static int PredictionWidth(Tensor tensor, int rows)
    {
        if (!TensorValues.IsNumeric(tensor.DataType) || tensor.Shape.Length is 0 or > 2 || tensor.Shape[0] != rows)
            return 0;
        if (tensor.Shape.Length == 1)
            return 1;
        return tensor.Shape[1] is >= 1 and <= MaxPredictionWidth ? (int)tensor.Shape[1] : 0;
    }

    private static bool EveryRecordHas(IReadOnlyList<InferenceLogRecord> records, int[] rowCounts, string name, bool isInput, int width)
    {
        for (var r = 0; r < records.Count; r++)
        {
            var tensor = LogRows.Find(isInput ? records[r].Inputs : records[r].Outputs, name);
            if (tensor is null || (isInput ? FeatureWidth(tensor) : PredictionWidth(tensor, rowCounts[r])) != width)
                return false;
        }
        return true;
    }

    private static void TryAdd(List<FlatColumns> plans, HashSet<string> reserved, string tensorName, bool isInput, string[] names, int rows, bool isText = false)
    {
        foreach (var name in names)
        {
            if (reserved.Contains(name))
                return;
        }
        foreach (var name in names)
            reserved.Add(name);
        plans.Add(new FlatColumns(tensorName, isInput, names, rows, isText));
    }

    private static string[] Names(string prefix, int width)
    {
        var names = new string[width];
        for (var j = 0; j < width; j++)
            names[j] = prefix + j.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return builder.ToString();
    }
}
