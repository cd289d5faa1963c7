using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Tests.Protocols;

public sealed class FakeTargets(params FakeTarget[] targets) : IInferenceTargets
{
    public IReadOnlyList<IInferenceTarget> All { get; } = targets;

    public IInferenceTarget? Find(string name) => Array.Find(targets, target => target.Name == name);
}

/// <summary>
/// A target that echoes its inputs as outputs of the same name (FP32 values doubled), honours requested outputs,
/// and remembers the last request and context it saw; or, with <see cref="Failure"/>, throws.
/// </summary>
public sealed class FakeTarget(string name) : IInferenceTarget
{
    public static readonly ModelSignature EchoSignature = new(
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 2]), new TensorSpec("ids", TensorDataType.Int64, [-1])],
        [new TensorSpec("x", TensorDataType.Fp32, [-1, 2]), new TensorSpec("ids", TensorDataType.Int64, [-1])]);

    public string Name { get; } = name;

    public bool IsReady { get; init; } = true;

    public ModelSignature? Signature { get; init; } = EchoSignature;

    public string Platform { get; init; } = "onnx_onnxv1";

    public IReadOnlyList<string> Versions { get; init; } = ["3"];

    public Func<Exception>? Failure { get; init; }

    /// <summary>Replaces the echo: a real model, or an answer in a type the request did not use.</summary>
    public Func<InferenceRequest, CancellationToken, ValueTask<IReadOnlyList<Tensor>>>? Run { get; init; }

    public InferenceRequest? LastRequest { get; private set; }

    public InferenceContext? LastContext { get; private set; }

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct)
    {
        LastRequest = request;
        LastContext = context;
        if (Failure is not null)
            throw Failure();
        var outputs = Run is null ? Echo(request) : await Run(request, ct);
        return new InferenceResult($"{Name}/3", "primary", outputs);
    }

    public static FakeTarget Warming(string name) => new(name)
    {
        IsReady = false,
        Signature = null,
        Versions = [],
        Failure = () => new SlipwayException(ErrorCode.TemporarilyUnavailable, $"Endpoint '{name}' is loading its model."),
    };

    private static List<Tensor> Echo(InferenceRequest request)
    {
        var outputs = new List<Tensor>();
        foreach (var input in request.Inputs)
        {
            if (request.RequestedOutputs is { Count: > 0 } requested && !requested.Contains(input.Name))
                continue;
            var data = input.Data is float[] values ? Array.ConvertAll(values, v => v * 2) : input.Data;
            outputs.Add(new Tensor(input.Name, input.DataType, input.Shape, data));
        }
        return outputs;
    }
}
