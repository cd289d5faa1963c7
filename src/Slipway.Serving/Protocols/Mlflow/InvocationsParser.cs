using System.Text.Json;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Mlflow;

/// <summary>
/// Reads an MLflow scoring request (<c>POST /invocations</c>) into the model's input tensors. Tensor formats
/// (<c>inputs</c>, <c>instances</c>) map input names to nested lists, or give the rows of a single input;
/// DataFrame formats (<c>dataframe_split</c>, <c>dataframe_records</c>, CSV) map columns to inputs as MLflow's onnx
/// flavor does: all columns in order form a single input, otherwise each input is the column of its name.
/// </summary>
internal static class InvocationsParser
{
    private static readonly string[] Formats = ["dataframe_split", "dataframe_records", "instances", "inputs"];

    /// <summary>The input tensors, and whether the request was a DataFrame (which shapes the predictions as records).</summary>
    public static (IReadOnlyList<Tensor> Inputs, bool DataFrame) ParseJson(JsonElement root, ModelSignature signature)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw SlipwayException.InvalidParameter("The request body must be a JSON object with one of: " + string.Join(", ", Formats) + ".");
        var present = Formats.Where(f => root.TryGetProperty(f, out _)).ToList();
        if (present.Count != 1)
            throw SlipwayException.InvalidParameter(present.Count == 0
                ? "The request body must have exactly one of the keys " + string.Join(", ", Formats) + "."
                : "The request body has more than one input format: " + string.Join(", ", present) + ".");
        var body = root.GetProperty(present[0]);
        return present[0] switch
        {
            "dataframe_split" => (FromSplit(body, signature), true),
            "dataframe_records" => (FromRecords(body, signature), true),
            _ => (FromTensorInput(body, signature), false),
        };
    }

    /// <summary>Rows of a CSV body (header row first), as a DataFrame.</summary>
    public static IReadOnlyList<Tensor> ParseCsv(string csv, ModelSignature signature)
    {
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2)
            throw SlipwayException.InvalidParameter("A CSV request needs a header row and at least one data row.");
        var columns = SplitCsvLine(lines[0]);
        var rows = new List<IReadOnlyList<JsonElement>>(lines.Count - 1);
        foreach (var line in lines.Skip(1))
        {
            var cells = SplitCsvLine(line);
            if (cells.Count != columns.Count)
                throw SlipwayException.InvalidParameter($"CSV row {rows.Count + 1} has {cells.Count} values but the header names {columns.Count} columns.");
            rows.Add(cells.Select(CsvCell).ToList());
        }
        return FromColumns(columns, rows, signature);
    }

    private static IReadOnlyList<Tensor> FromSplit(JsonElement split, ModelSignature signature)
    {
        if (split.ValueKind != JsonValueKind.Object || !split.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw SlipwayException.InvalidParameter("'dataframe_split' must be an object with 'columns' and 'data' (a list of rows).");
        var rows = new List<IReadOnlyList<JsonElement>>(data.GetArrayLength());
        foreach (var row in data.EnumerateArray())
        {
            if (row.ValueKind != JsonValueKind.Array)
                throw SlipwayException.InvalidParameter("Every row of 'dataframe_split.data' must be a list of values.");
            rows.Add(row.EnumerateArray().ToList());
        }
        IReadOnlyList<string> columns;
        if (split.TryGetProperty("columns", out var names) && names.ValueKind == JsonValueKind.Array)
            columns = names.EnumerateArray().Select(n => n.ValueKind == JsonValueKind.String ? n.GetString()! : n.GetRawText()).ToList();
        else
            columns = Enumerable.Range(0, rows.Count == 0 ? 0 : rows[0].Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        return FromColumns(columns, rows, signature);
    }

    private static IReadOnlyList<Tensor> FromRecords(JsonElement records, ModelSignature signature)
    {
        if (records.ValueKind != JsonValueKind.Array || records.GetArrayLength() == 0)
            throw SlipwayException.InvalidParameter("'dataframe_records' must be a non-empty list of objects.");
        var columns = new List<string>();
        foreach (var property in records[0].ValueKind == JsonValueKind.Object ? records[0].EnumerateObject() : throw RecordError())
            columns.Add(property.Name);
        var rows = new List<IReadOnlyList<JsonElement>>();
        foreach (var record in records.EnumerateArray())
        {
            if (record.ValueKind != JsonValueKind.Object)
                throw RecordError();
            var row = new JsonElement[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                if (!record.TryGetProperty(columns[i], out row[i]))
                    throw SlipwayException.InvalidParameter($"Record {rows.Count} has no value for column '{columns[i]}'.");
            }
            rows.Add(row);
        }
        return FromColumns(columns, rows, signature);

        static SlipwayException RecordError() => SlipwayException.InvalidParameter("Every element of 'dataframe_records' must be an object of column → value.");
    }

    /// <summary>One input: all columns in order form its rows. Several inputs: each takes the column of its name.</summary>
    private static IReadOnlyList<Tensor> FromColumns(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<JsonElement>> rows, ModelSignature signature)
    {
        if (rows.Count == 0)
            throw SlipwayException.InvalidParameter("The request has no rows.");
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Count != columns.Count)
                throw SlipwayException.InvalidParameter($"Row {r} has {rows[r].Count} values but there are {columns.Count} columns.");
        }
        if (signature.Inputs.Count == 1 && !columns.Contains(signature.Inputs[0].Name))
            return [TensorBuilder.FromRows(signature.Inputs[0], rows, columns.Count)];
        var tensors = new List<Tensor>(signature.Inputs.Count);
        foreach (var input in signature.Inputs)
        {
            var index = IndexOf(columns, input.Name);
            if (index < 0)
                throw SlipwayException.InvalidParameter($"Missing column '{input.Name}'; the model's inputs are {string.Join(", ", signature.Inputs.Select(i => i.Name))}.");
            var column = rows.Select(r => r[index]).ToList();
            tensors.Add(column.Count > 0 && column[0].ValueKind == JsonValueKind.Array
                ? TensorBuilder.FromJson(input, JsonSerializer.SerializeToElement(column))
                : TensorBuilder.FromColumn(input, column));
        }
        return tensors;
    }

    private static IReadOnlyList<Tensor> FromTensorInput(JsonElement body, ModelSignature signature)
    {
        if (body.ValueKind == JsonValueKind.Object)
        {
            var tensors = new List<Tensor>(signature.Inputs.Count);
            foreach (var input in signature.Inputs)
            {
                if (!body.TryGetProperty(input.Name, out var value))
                    throw SlipwayException.InvalidParameter($"Missing input '{input.Name}'; the model's inputs are {string.Join(", ", signature.Inputs.Select(i => i.Name))}.");
                tensors.Add(TensorBuilder.FromJson(input, value));
            }
            return tensors;
        }
        if (body.ValueKind != JsonValueKind.Array)
            throw SlipwayException.InvalidParameter("'inputs' and 'instances' take a list (rows of a single input) or an object of input name → list.");
        if (signature.Inputs.Count == 1)
            return [TensorBuilder.FromJson(signature.Inputs[0], body)];
        // Several inputs as a list of per-row objects: transpose into columns.
        var rows = body.EnumerateArray().ToList();
        if (rows.Count == 0 || rows.Any(r => r.ValueKind != JsonValueKind.Object))
            throw SlipwayException.InvalidParameter("For a model with several inputs, 'instances' must be a list of objects of input name → value.");
        var columns = signature.Inputs.Select(i => i.Name).ToList();
        var table = rows.Select(r => (IReadOnlyList<JsonElement>)columns.Select(c => r.TryGetProperty(c, out var v) ? v
            : throw SlipwayException.InvalidParameter($"An instance has no value for input '{c}'.")).ToList()).ToList();
        return FromColumns(columns, table, signature);
    }

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
                return i;
        }
        return -1;
    }

    private static List<string> SplitCsvLine(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
            {
                cell.Append(c);
            }
        }
        if (quoted)
            throw SlipwayException.InvalidParameter("A CSV line has an unterminated quoted value.");
        cells.Add(cell.ToString());
        return cells;
    }

    /// <summary>A CSV cell as JSON: a number when it parses as one, else a string.</summary>
    private static JsonElement CsvCell(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? JsonSerializer.SerializeToElement(number)
            : JsonSerializer.SerializeToElement(text);
}
