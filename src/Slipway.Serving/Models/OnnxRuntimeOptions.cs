namespace Slipway.Serving.Models;

/// <summary>ONNX Runtime settings of the serving process.</summary>
public sealed class OnnxRuntimeOptions
{
    /// <summary>
    /// Threads in the process-wide intra-op pool that every session shares (1 or 2 suit tabular models: throughput
    /// comes from running many requests at once, not from splitting one small <c>Run</c> across cores). The first
    /// loader to create the ONNX Runtime environment fixes this for the life of the process.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;
}
