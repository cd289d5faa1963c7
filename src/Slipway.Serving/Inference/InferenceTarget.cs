namespace Slipway.Serving.Inference;

public sealed record InferenceRequest(
    string? Id,
    IReadOnlyList<Tensor> Inputs,
    IReadOnlyList<string>? RequestedOutputs,
    IReadOnlyDictionary<string, object?>? Parameters);

/// <param name="ModelVersion">The version that answered, e.g. <c>fraud/3</c>, reported as OIP's <c>model_version</c>.</param>
public sealed record InferenceResult(string ModelVersion, string Route, IReadOnlyList<Tensor> Outputs);

/// <summary>What a protocol adapter knows about the caller, for routing (sticky header) and logging.</summary>
public sealed record InferenceContext(string RequestId, Func<string, string?> Header, string Protocol);

/// <summary>
/// Something a protocol adapter can send inference requests to: an endpoint (routes, shadow, batching, logging).
/// Protocol adapters (OIP REST, OIP gRPC, MLflow <c>/invocations</c>) only translate to and from this.
/// Errors are <see cref="Core.Errors.SlipwayException"/>: InvalidParameterValue (bad input, 400 / INVALID_ARGUMENT),
/// ResourceDoesNotExist (404 / NOT_FOUND), RequestLimitExceeded (queue full: 429 / RESOURCE_EXHAUSTED),
/// TemporarilyUnavailable (not ready: 503 / UNAVAILABLE).
/// </summary>
public interface IInferenceTarget
{
    string Name { get; }

    /// <summary>True once the primary route's model is loaded and warmed up.</summary>
    bool IsReady { get; }

    /// <summary>The signature of the model the default route serves (null while nothing is loaded).</summary>
    ModelSignature? Signature { get; }

    string Platform { get; }

    /// <summary>The versions currently served, e.g. <c>["3"]</c> or, during a canary, <c>["3", "4"]</c>.</summary>
    IReadOnlyList<string> Versions { get; }

    ValueTask<InferenceResult> InferAsync(InferenceRequest request, InferenceContext context, CancellationToken ct);
}

/// <summary>The endpoints this process serves, by name.</summary>
public interface IInferenceTargets
{
    IInferenceTarget? Find(string name);

    IReadOnlyList<IInferenceTarget> All { get; }
}

public static class ModelVersions
{
    /// <summary>The version part of <c>model/3</c> (<c>3</c>); a value without a slash is returned as is.</summary>
    public static string Bare(string modelVersion)
    {
        var slash = modelVersion.LastIndexOf('/');
        return slash < 0 ? modelVersion : modelVersion[(slash + 1)..];
    }
}
