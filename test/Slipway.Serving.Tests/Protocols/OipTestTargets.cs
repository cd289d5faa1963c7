using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Protocols;

/// <summary>
/// An endpoint stand-in for the OIP REST tests: each input comes back as output <c>{name}_out</c>, FP32 doubled and
/// every other datatype unchanged, so a round trip shows that data was read as numbers and written back exactly.
/// </summary>
internal sealed class OipEchoTarget(string name) : IInferenceTarget
{
    public static readonly ModelSignature TwoInputSignature = new(
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 3]), new TensorSpec("label", TensorDataType.Bytes, [-1])],
        [new TensorSpec("x_out", TensorDataType.Fp32, [-1, 3]), new TensorSpec("label_out", TensorDataType.Bytes, [-1])]);

    public string Name { get; } = name;

    public bool IsReady { get; set; } = true;

    public ModelSignature? Signature { get; set; } = TwoInputSignature;

    public string Platform { get; set; } = "echo_double";

    public IReadOnlyList<string> Versions { get; set; } = ["1"];

    /// <summary>Thrown by <see cref="InferAsync"/> instead of answering, to test the error mapping.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Replaces the echo: returns these outputs whatever the request.</summary>
    public IReadOnlyList<Tensor>? FixedOutputs { get; set; }

    public InferenceRequest? LastRequest { get; private set; }

    public InferenceContext? LastContext { get; private set; }

    /// <summary>The <c>X-Session</c> header as the endpoint saw it during the call (the request's headers are recycled after it).</summary>
    public string? LastSessionHeader { get; private set; }

    public ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct)
    {
        LastRequest = request;
        LastContext = context;
        LastSessionHeader = context.Header("X-Session");
        if (Failure is not null)
            throw Failure;
        var outputs = new List<Tensor>();
        foreach (var output in FixedOutputs ?? Echo(request.Inputs))
        {
            if (request.RequestedOutputs is null || request.RequestedOutputs.Contains(output.Name))
                outputs.Add(output);
        }
        if (request.RequestedOutputs is not null && request.RequestedOutputs.Count != outputs.Count)
            throw SlipwayException.InvalidParameter("unknown output requested");
        return ValueTask.FromResult(new InferenceResult(Name + "/" + Versions[0], "primary", outputs));
    }

    private static IEnumerable<Tensor> Echo(IReadOnlyList<Tensor> inputs)
    {
        foreach (var input in inputs)
        {
            var data = input.Data;
            if (data is float[] floats)
                data = Array.ConvertAll(floats, value => value * 2);
            yield return new Tensor(input.Name + "_out", input.DataType, input.Shape, data);
        }
    }
}

internal sealed class OipTestTargets(params IInferenceTarget[] targets) : IInferenceTargets
{
    public IReadOnlyList<IInferenceTarget> All { get; } = targets;

    public IInferenceTarget? Find(string name) => All.FirstOrDefault(target => target.Name == name);
}

/// <summary>A real model behind the target contract: the signature is checked, then the ONNX session runs.</summary>
internal sealed class OipModelTarget(string name, ILoadedModel model) : IInferenceTarget
{
    public string Name { get; } = name;

    public bool IsReady => true;

    public ModelSignature? Signature => model.Signature;

    public string Platform => model.Platform;

    public IReadOnlyList<string> Versions { get; } = ["1"];

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct)
    {
        SignatureValidator.Validate(model.Signature, request.Inputs, request.RequestedOutputs, 16_777_216);
        var outputs = await model.RunAsync(request.Inputs, request.RequestedOutputs, ct);
        return new InferenceResult(Name + "/1", "primary", outputs);
    }
}
