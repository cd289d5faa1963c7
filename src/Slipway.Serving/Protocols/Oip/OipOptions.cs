using Slipway.Serving.Inference;

namespace Slipway.Serving.Protocols.Oip;

/// <summary>Limits of the Open Inference Protocol REST adapter; checked before anything is read or allocated.</summary>
public sealed class OipOptions
{
    /// <summary>Largest infer request body, JSON and binary data together (64 MiB).</summary>
    public int MaxInferBodyBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Largest element count one input tensor may declare (16,777,216).</summary>
    public long MaxTensorElements { get; set; } = ShapeMath.MaxElements;
}
