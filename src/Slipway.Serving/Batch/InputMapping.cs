using System.Globalization;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// Which columns feed a model input: <paramref name="Columns"/> (file column indexes) fill each row of the tensor in
/// order, giving shape [rows, columns] when <paramref name="Matrix"/>, else [rows].
/// </summary>
internal sealed record InputBinding(TensorSpec Input, int[] Columns, bool Matrix);

/// <summary>
/// Maps a file's columns onto a model's inputs with the rules of MLflow's onnx flavor (and our <c>/invocations</c>):
/// a model with a single input, none of whose columns bears its name, takes all columns in file order as its rows;
/// otherwise each input takes the column of its name, as [rows] or [rows, 1] per the signature. An input of shape
/// [N, K] with K &gt; 1 has no single column to take, so it takes the columns <c>&lt;input&gt;_0</c> … <c>&lt;input&gt;_{K-1}</c>,
/// the names batch prediction gives a [N, K] output.
/// </summary>
internal static class InputMapping
{
    private static readonly TensorDataType[] Supported =
        [TensorDataType.Fp32, TensorDataType.Fp64, TensorDataType.Int64, TensorDataType.Int32, TensorDataType.Bool, TensorDataType.Bytes];

    public static IReadOnlyList<InputBinding> Create(ModelSignature signature, IReadOnlyList<string> columns)
    {
        foreach (var input in signature.Inputs)
        {
            if (Array.IndexOf(Supported, input.DataType) < 0)
                throw SlipwayException.InvalidParameter(
                    $"Model input '{input.Name}' is {input.DataType.WireName()}; batch prediction feeds {string.Join(", ", Supported.Select(t => t.WireName()))} inputs.");
            if (input.Shape.Length is not (1 or 2))
                throw SlipwayException.InvalidParameter(
                    $"Model input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; batch prediction feeds tabular inputs of shape [N] or [N, K].");
        }

        if (signature.Inputs.Count == 1 && !Contains(columns, signature.Inputs[0].Name))
            return [AllColumns(signature.Inputs[0], columns)];
        return signature.Inputs.Select(input => Named(input, signature, columns)).ToList();
    }

    /// <summary>Column index → the input it feeds, for a reader that parses columns straight into the input's type.</summary>
    public static Dictionary<int, TensorSpec> ColumnInputs(IReadOnlyList<InputBinding> bindings)
    {
        var result = new Dictionary<int, TensorSpec>();
        foreach (var binding in bindings)
        {
            foreach (var column in binding.Columns)
                result.TryAdd(column, binding.Input);
        }
        return result;
    }

    private static InputBinding AllColumns(TensorSpec input, IReadOnlyList<string> columns)
    {
        var width = input.Shape.Length == 2 ? input.Shape[1] : 1;
        if (width >= 0 && width != columns.Count)
        {
            throw SlipwayException.InvalidParameter(
                $"Model input '{input.Name}' takes {width} value(s) per row and no column is named '{input.Name}', so every column feeds it, "
                + $"but the file has {columns.Count} column(s): {BatchErrors.List(columns)}.");
        }
        return new InputBinding(input, Enumerable.Range(0, columns.Count).ToArray(), input.Shape.Length == 2);
    }

    private static InputBinding Named(TensorSpec input, ModelSignature signature, IReadOnlyList<string> columns)
    {
        var width = input.Shape.Length == 2 ? input.Shape[1] : 1;
        var index = IndexOf(columns, input.Name);
        if (index >= 0 && width is 1 or -1)
            return new InputBinding(input, [index], input.Shape.Length == 2);

        if (width != 1)
        {
            var spread = SpreadColumns(input.Name, width, columns);
            if (spread is not null)
                return new InputBinding(input, spread, Matrix: true);
        }

        var expected = width is 1 or -1 ? $"a column '{input.Name}'" : $"columns {input.Name}_0 … {input.Name}_{width - 1}";
        throw SlipwayException.InvalidParameter(
            $"Model input '{input.Name}' needs {expected}. The model's inputs are {string.Join(", ", signature.Inputs.Select(Describe))}; "
            + $"the file's columns are {BatchErrors.List(columns)}.");
    }

    /// <summary>The columns <c>name_0</c>, <c>name_1</c>, … of a [N, K] input (as many as exist when K is variable).</summary>
    private static int[]? SpreadColumns(string name, long width, IReadOnlyList<string> columns)
    {
        var found = new List<int>();
        for (var k = 0; width < 0 || k < width; k++)
        {
            var index = IndexOf(columns, name + "_" + k.ToString(CultureInfo.InvariantCulture));
            if (index < 0)
                break;
            found.Add(index);
        }
        return found.Count > 0 && (width < 0 || found.Count == width) ? found.ToArray() : null;
    }

    private static string Describe(TensorSpec input) =>
        $"{input.Name} ({input.DataType.WireName()} [{string.Join(", ", input.Shape.Select(d => d < 0 ? "N" : d.ToString(CultureInfo.InvariantCulture)))}])";

    private static bool Contains(IReadOnlyList<string> columns, string name) => IndexOf(columns, name) >= 0;

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
                return i;
        }
        return -1;
    }
}
