using Microsoft.ML;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// An ML.NET model: one <see cref="ITransformer"/> shared by every request (<c>Transform</c> is safe to call
/// concurrently; each call makes its own data view and cursor). A call wraps the input tensors in a
/// <see cref="TensorDataView"/>, transforms it lazily, and pulls the requested columns row by row into new arrays.
/// Disposing while requests run lets them finish; a disposable transformer is released when the last one leaves.
/// </summary>
public sealed class MlNetModel : SharedModel
{
    public const string PlatformName = "mlnet";

    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly MlNetInputColumn[] _inputs;
    private readonly MlNetOutputColumn[] _outputs;
    private readonly int[] _allOutputs;

    internal MlNetModel(ITransformer transformer, DataViewSchema inputSchema, MlNetInputColumn[] inputs, MlNetOutputColumn[] outputs, string sourcePath)
        : base(new ModelSignature([.. inputs.Select(i => i.Spec)], [.. outputs.Select(o => o.Spec)]), sourcePath)
    {
        _transformer = transformer;
        _inputSchema = inputSchema;
        _inputs = inputs;
        _outputs = outputs;
        _allOutputs = [.. Enumerable.Range(0, outputs.Length)];
    }

    public override string Platform => PlatformName;

    internal override Tensor[] Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var selected = SelectOutputs(requestedOutputs);
        var view = CreateInputView(inputs, out var rows);
        Enter();
        try
        {
            return Transform(view, rows, selected, ct);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            // Inputs passed the signature checks, so a transform that fails is failing on the values sent.
            throw SlipwayException.InvalidParameter("The model could not run on this input: " + e.Message);
        }
        finally
        {
            Leave();
        }
    }

    private Tensor[] Transform(TensorDataView view, int rows, int[] selected, CancellationToken ct)
    {
        var transformed = _transformer.Transform(view);
        var columns = new DataViewSchema.Column[selected.Length];
        for (var k = 0; k < columns.Length; k++)
            columns[k] = transformed.Schema[_outputs[selected[k]].Spec.Name];

        using var cursor = transformed.GetRowCursor(columns);
        var readers = new MlNetOutputReader[selected.Length];
        for (var k = 0; k < readers.Length; k++)
            readers[k] = _outputs[selected[k]].Open(cursor, columns[k], rows);

        var row = 0;
        while (cursor.MoveNext())
        {
            if (row == rows)
                throw SlipwayException.InvalidParameter($"The model returned more rows than the {rows} it was given.");
            if ((row & 1023) == 0)
                ct.ThrowIfCancellationRequested();
            foreach (var reader in readers)
                reader.Read(row);
            row++;
        }

        if (row != rows)
            throw SlipwayException.InvalidParameter($"The model returned {row} rows for {rows} input rows; only row-to-row ML.NET models can be served.");
        var outputs = new Tensor[readers.Length];
        for (var k = 0; k < outputs.Length; k++)
            outputs[k] = readers[k].ToTensor();
        return outputs;
    }

    private TensorDataView CreateInputView(IReadOnlyList<Tensor> inputs, out int rows)
    {
        var columns = new TensorColumn[_inputs.Length];
        rows = -1;
        foreach (var input in inputs)
        {
            var index = Array.FindIndex(_inputs, i => i.Spec.Name == input.Name);
            if (index < 0)
                throw SlipwayException.InvalidParameter($"unexpected input '{input.Name}'");
            if (columns[index] is not null)
                throw SlipwayException.InvalidParameter($"input '{input.Name}' is given more than once");
            var inputRows = input.Shape.Length == 0 ? 1 : checked((int)input.Shape[0]);
            if (rows >= 0 && inputRows != rows)
                throw SlipwayException.InvalidParameter($"input '{input.Name}' has {inputRows} rows where the other inputs have {rows}");
            var width = ShapeMath.ElementCount(_inputs[index].Spec.Shape.AsSpan(1));
            if (input.ElementCount != inputRows * width)
                throw SlipwayException.InvalidParameter($"input '{input.Name}' must have {width} values per row");
            rows = inputRows;
            columns[index] = _inputs[index].Bind(input);
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i] is null)
                throw SlipwayException.InvalidParameter($"missing input '{_inputs[i].Spec.Name}'");
        }

        rows = Math.Max(rows, 0);
        return new TensorDataView(_inputSchema, columns, rows);
    }

    /// <summary>Indices of the requested outputs in signature order, without duplicates; null or empty means all.</summary>
    private int[] SelectOutputs(IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
            return _allOutputs;
        Span<bool> selected = _outputs.Length <= 256 ? stackalloc bool[_outputs.Length] : new bool[_outputs.Length];
        foreach (var name in requested)
        {
            var index = Array.FindIndex(_outputs, o => o.Spec.Name == name);
            if (index < 0)
                throw SlipwayException.InvalidParameter($"unknown output '{name}'; the model has outputs {string.Join(", ", _outputs.Select(o => o.Spec.Name))}");
            selected[index] = true;
        }

        var indices = new List<int>(requested.Count);
        for (var i = 0; i < selected.Length; i++)
        {
            if (selected[i])
                indices.Add(i);
        }

        return [.. indices];
    }

    protected override void Free() => (_transformer as IDisposable)?.Dispose();
}
