using System.Text;
using Slipway.Core.Errors;

namespace Slipway.Serving.Inference;

/// <summary>
/// Checks a request against a model's signature before it reaches the runtime, so that every mistake a client can
/// make comes back as InvalidParameterValue (OIP 400 / INVALID_ARGUMENT) with a message naming the input and what
/// was expected. It runs on every request: no allocation unless it throws.
/// </summary>
public static class SignatureValidator
{
    /// <param name="maxElements">Most elements the inputs may hold together (guards memory against huge tensors).</param>
    public static void Validate(ModelSignature signature, IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, long maxElements)
    {
        var specs = signature.Inputs;
        long totalElements = 0;
        var batchInput = -1;
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = inputs[i];
            var spec = Find(specs, input.Name)
                ?? throw Invalid($"unexpected input '{input.Name}'; the model expects inputs {Describe(specs)}");
            for (var j = 0; j < i; j++)
            {
                if (inputs[j].Name == input.Name)
                    throw Invalid($"input '{input.Name}' is given more than once");
            }

            if (input.DataType != spec.DataType)
                throw Invalid($"input '{input.Name}' has datatype {input.DataType.WireName()}, but the model expects {spec.DataType.WireName()}");
            CheckShape(input, spec);

            var elements = CountElements(input.Shape);
            totalElements = elements > long.MaxValue - totalElements ? long.MaxValue : totalElements + elements;
            if (totalElements > maxElements)
                throw Invalid($"input '{input.Name}' with shape {FormatShape(input.Shape)} takes the request over the limit of {maxElements} elements (huge tensor)");
            CheckData(input, elements);

            if (spec.Shape.Length > 0 && spec.Shape[0] < 0)
            {
                if (batchInput < 0)
                    batchInput = i;
                else if (inputs[batchInput].Shape[0] != input.Shape[0])
                    throw Invalid($"input '{input.Name}' has batch size {input.Shape[0]}, but input '{inputs[batchInput].Name}' has batch size {inputs[batchInput].Shape[0]}; every input must have the same first dimension");
            }
        }

        if (inputs.Count != specs.Count)
        {
            foreach (var spec in specs)
            {
                if (!Contains(inputs, spec.Name))
                    throw Invalid($"missing input '{spec.Name}'; the model expects inputs {Describe(specs)}");
            }
        }

        if (requestedOutputs is null)
            return;
        foreach (var name in requestedOutputs)
        {
            if (Find(signature.Outputs, name) is null)
                throw Invalid($"unknown output '{name}'; the model has outputs {Describe(signature.Outputs)}");
        }
    }

    /// <summary>A shape as messages print it: <c>[-1, 4]</c>.</summary>
    public static string FormatShape(ReadOnlySpan<long> shape)
    {
        var text = new StringBuilder("[");
        for (var i = 0; i < shape.Length; i++)
            text.Append(i == 0 ? "" : ", ").Append(shape[i]);
        return text.Append(']').ToString();
    }

    private static void CheckShape(Tensor input, TensorSpec spec)
    {
        var shape = input.Shape;
        if (shape.Length != spec.Shape.Length)
        {
            throw Invalid($"input '{input.Name}' has shape {FormatShape(shape)} (rank {shape.Length}), but the model expects rank {spec.Shape.Length} ({FormatShape(spec.Shape)})");
        }

        for (var d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0)
                throw Invalid($"input '{input.Name}' has shape {FormatShape(shape)}: dimension {d} is negative");
            if (spec.Shape[d] >= 0 && shape[d] != spec.Shape[d])
                throw Invalid($"input '{input.Name}' has shape {FormatShape(shape)}: dimension {d} is {shape[d]}, but the model expects {spec.Shape[d]} ({FormatShape(spec.Shape)})");
        }
    }

    private static void CheckData(Tensor input, long elements)
    {
        var expectedType = input.DataType.ArrayType();
        if (input.Data.GetType() != expectedType)
            throw Invalid($"input '{input.Name}' holds {input.Data.GetType().Name} data, but datatype {input.DataType.WireName()} needs {expectedType.Name}");
        if (input.Data.LongLength != elements)
            throw Invalid($"input '{input.Name}' has {input.Data.LongLength} data elements, but its shape {FormatShape(input.Shape)} needs {elements}");
    }

    /// <summary>Product of the dimensions, saturating at <see cref="long.MaxValue"/> instead of overflowing.</summary>
    private static long CountElements(ReadOnlySpan<long> shape)
    {
        long count = 1;
        var saturated = false;
        foreach (var dim in shape)
        {
            if (dim == 0)
                return 0;
            if (saturated || count > long.MaxValue / dim)
                saturated = true;
            else
                count *= dim;
        }

        return saturated ? long.MaxValue : count;
    }

    private static TensorSpec? Find(IReadOnlyList<TensorSpec> specs, string name)
    {
        for (var i = 0; i < specs.Count; i++)
        {
            if (specs[i].Name == name)
                return specs[i];
        }

        return null;
    }

    private static bool Contains(IReadOnlyList<Tensor> inputs, string name)
    {
        for (var i = 0; i < inputs.Count; i++)
        {
            if (inputs[i].Name == name)
                return true;
        }

        return false;
    }

    private static string Describe(IReadOnlyList<TensorSpec> specs) =>
        string.Join(", ", specs.Select(s => $"'{s.Name}' ({s.DataType.WireName()} {FormatShape(s.Shape)})"));

    private static SlipwayException Invalid(string message) => SlipwayException.InvalidParameter(message);
}
