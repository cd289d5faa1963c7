using Slipway.Serving.Inference;

namespace Slipway.Serving.Logging;

/// <summary>
/// How a request becomes log rows. Monitoring works per row, so a request whose inputs share a batch dimension N
/// (every input has rank ≥ 1 and the same first dimension, N &gt; 0) becomes N rows, each holding its slice of
/// every tensor whose first dimension is N. Anything else (scalar inputs, mismatched or empty batches, no inputs)
/// is one row holding the whole tensors.
/// </summary>
internal static class LogRows
{
    public static int Count(InferenceLogRecord record, out bool perRow)
    {
        var inputs = record.Inputs;
        perRow = false;
        if (inputs.Count == 0 || inputs[0].Shape.Length == 0 || inputs[0].Shape[0] is <= 0 or > int.MaxValue)
            return 1;
        var rows = inputs[0].Shape[0];
        for (var i = 1; i < inputs.Count; i++)
        {
            if (inputs[i].Shape.Length == 0 || inputs[i].Shape[0] != rows)
                return 1;
        }
        perRow = true;
        return (int)rows;
    }

    /// <summary>True when the tensor is sliced per row: the request is per-row and the tensor's first dimension is its row count.</summary>
    public static bool IsSliced(Tensor tensor, bool perRow, int rows) => perRow && tensor.Shape.Length > 0 && tensor.Shape[0] == rows;

    public static Tensor? Find(IReadOnlyList<Tensor> tensors, string name)
    {
        for (var i = 0; i < tensors.Count; i++)
        {
            if (tensors[i].Name == name)
                return tensors[i];
        }
        return null;
    }
}
