namespace Slipway.Serving.Inference;

/// <summary>
/// One loaded model version, shared by every request (ONNX Runtime sessions are thread-safe). Disposing it frees
/// the native session. Inputs are validated against <see cref="Signature"/> by the caller
/// (<see cref="SignatureValidator"/>) before <see cref="RunAsync"/>.
/// </summary>
public interface ILoadedModel : IDisposable
{
    /// <summary>OIP platform string, e.g. <c>onnx_onnxv1</c> or <c>mlnet</c>.</summary>
    string Platform { get; }

    ModelSignature Signature { get; }

    /// <summary>How long loading and warm-up took.</summary>
    TimeSpan LoadTime { get; }

    /// <summary>Managed plus native memory attributed to this model when it was loaded (an estimate).</summary>
    long MemoryBytes { get; }

    /// <summary>
    /// Runs the model. <paramref name="requestedOutputs"/> null or empty means every output. Outputs come back in the
    /// order of the signature (filtered to those requested). The first dimension may be any batch size.
    /// </summary>
    ValueTask<IReadOnlyList<Tensor>> RunAsync(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct);
}

/// <summary>Loads a model from a local path: a <c>.onnx</c> file, or a model directory with an <c>MLmodel</c> file.</summary>
public interface IModelLoader
{
    /// <summary>Loads and warms up the model; throws <see cref="Core.Errors.SlipwayException"/> with a clear message when the files are not a loadable model.</summary>
    Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct);
}
