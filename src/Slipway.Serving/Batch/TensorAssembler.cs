using Slipway.Serving.Inference;

namespace Slipway.Serving.Batch;

/// <summary>
/// Builds a chunk's input tensors from its columns. Each input's data array is kept and refilled while chunks have
/// the same number of rows (all but the last), so a run allocates a handful of arrays rather than one per chunk.
/// </summary>
internal sealed class TensorAssembler(IReadOnlyList<InputBinding> bindings)
{
    private readonly Array?[] _buffers = new Array?[bindings.Count];

    /// <summary>The tensors for <paramref name="chunk"/>; valid until the next call, which may reuse their arrays.</summary>
    public IReadOnlyList<Tensor> Build(BatchChunk chunk)
    {
        var tensors = new Tensor[bindings.Count];
        for (var b = 0; b < bindings.Count; b++)
        {
            var binding = bindings[b];
            var width = binding.Columns.Length;
            var length = checked(chunk.Rows * width);
            var data = _buffers[b] is { } kept && kept.Length == length
                ? kept
                : Array.CreateInstance(binding.Input.DataType.ArrayType().GetElementType()!, length);
            _buffers[b] = data;

            var conversion = new ConversionTarget(binding.Input, chunk.FirstRow);
            for (var c = 0; c < width; c++)
                chunk.Columns[binding.Columns[c]].CopyTo(data, c, width, conversion);

            long[] shape = binding.Matrix ? [chunk.Rows, width] : [chunk.Rows];
            tensors[b] = new Tensor(binding.Input.Name, binding.Input.DataType, shape, data);
        }
        return tensors;
    }
}
