using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>
/// An infer request as read from the wire, before its binary tensors (if any) are attached. Inputs whose data
/// follows the JSON header carry <see cref="OipInput.BinaryDataSize"/> and no data until
/// <see cref="OipBinaryReader"/> fills them.
/// </summary>
internal sealed class OipInferRequest
{
    public string? Id { get; set; }

    public Dictionary<string, object?>? Parameters { get; set; }

    public List<OipInput> Inputs { get; } = [];

    /// <summary>The <c>outputs</c> the caller asked for; null when it asked for none (meaning all).</summary>
    public List<OipRequestedOutput>? Outputs { get; set; }

    /// <summary>The request-level <c>binary_data_output</c> parameter.</summary>
    public bool BinaryDataOutput { get; set; }

    public InferenceRequest ToInferenceRequest()
    {
        var tensors = new Tensor[Inputs.Count];
        for (var i = 0; i < tensors.Length; i++)
            tensors[i] = Inputs[i].ToTensor();
        string[]? requested = null;
        if (Outputs is { Count: > 0 })
        {
            requested = new string[Outputs.Count];
            for (var i = 0; i < requested.Length; i++)
                requested[i] = Outputs[i].Name;
        }
        return new InferenceRequest(Id, tensors, requested, Parameters);
    }

    /// <summary>Whether the output named <paramref name="name"/> goes back as binary data: its own flag wins over the request's.</summary>
    public bool IsBinaryOutput(string name)
    {
        if (Outputs is not null)
        {
            foreach (var output in Outputs)
            {
                if (output.Name == name && output.BinaryData is { } binary)
                    return binary;
            }
        }
        return BinaryDataOutput;
    }

    /// <summary>True when at least one output is written as binary data, so the response needs the binary layout.</summary>
    public bool AnyBinaryOutput(IReadOnlyList<Tensor> outputs)
    {
        if (!BinaryDataOutput && Outputs is null)
            return false;
        foreach (var output in outputs)
        {
            if (IsBinaryOutput(output.Name))
                return true;
        }
        return false;
    }
}

internal sealed class OipInput(string name, TensorDataType dataType, long[] shape, long elementCount)
{
    public string Name { get; } = name;

    public TensorDataType DataType { get; } = dataType;

    public long[] Shape { get; } = shape;

    /// <summary>Product of <see cref="Shape"/>, already checked against the element limit.</summary>
    public long ElementCount { get; } = elementCount;

    /// <summary>The <c>binary_data_size</c> parameter: the data follows the JSON header.</summary>
    public long? BinaryDataSize { get; set; }

    public Array? Data { get; set; }

    public Tensor ToTensor() =>
        new(Name, DataType, Shape, Data ?? throw new InvalidOperationException($"Input '{Name}' has no data."));
}

/// <param name="BinaryData">The output's <c>binary_data</c> parameter, null when not given.</param>
internal sealed record OipRequestedOutput(string Name, bool? BinaryData);
