using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>
/// Loads ONNX models (a <c>.onnx</c> file, an MLflow model directory with an onnx flavor, or a directory with one
/// <c>model.onnx</c>) into sessions on the process-wide ONNX Runtime environment, and warms each one up with a
/// one-row batch of zeros before handing it out, so that a model that is returned is known to run.
/// </summary>
public sealed class OnnxModelLoader(OnnxRuntimeOptions? options = null) : IModelLoader
{
    private readonly OnnxRuntimeOptions _options = options ?? new OnnxRuntimeOptions();

    /// <summary>
    /// Runs on a pool thread: creating a session can take seconds for large models (big tree ensembles in
    /// particular), which must not hold up a request thread or the host's start-up.
    /// </summary>
    public Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct) =>
        Task.Run<ILoadedModel>(() =>
        {
            // The native runtime and its thread pool start with the first model, not with the server: a server
            // that serves nothing does not pay for them.
            OnnxRuntimeEnvironment.EnsureCreated(_options);
            return Load(localPath, ct);
        }, ct);

    internal static OnnxModel Load(string localPath, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var before = MemorySnapshot.Take();
        var files = OnnxModelFiles.Locate(localPath);
        ct.ThrowIfCancellationRequested();

        var session = CreateSession(files.OnnxPath);
        OnnxModel? model = null;
        try
        {
            model = new OnnxModel(session, OnnxSignatureReader.Read(session, files.Signature), files.OnnxPath);
            WarmUp(model, ct);
            var after = MemorySnapshot.Take();
            model.RecordLoad(clock.Elapsed, after.BytesSince(before, floor: new FileInfo(files.OnnxPath).Length));
            return model;
        }
        catch
        {
            if (model is null)
                session.Dispose();
            else
                model.Dispose();
            throw;
        }
    }

    private static InferenceSession CreateSession(string onnxPath)
    {
        using var options = OnnxRuntimeEnvironment.CreateSessionOptions();
        try
        {
            // From the path, not from bytes: ORT resolves external-data files relative to the model file.
            return new InferenceSession(onnxPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw SlipwayException.InvalidParameter($"'{Path.GetFileName(onnxPath)}' is not a loadable ONNX model: {e.Message}");
        }
    }

    /// <summary>One row of zeros (empty strings for BYTES), symbolic dimensions set to 1, every output computed.</summary>
    private static void WarmUp(OnnxModel model, CancellationToken ct)
    {
        var specs = model.Signature.Inputs;
        var inputs = new Tensor[specs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = specs[i];
            var shape = new long[spec.Shape.Length];
            for (var d = 0; d < shape.Length; d++)
                shape[d] = spec.Shape[d] < 0 ? 1 : spec.Shape[d];
            inputs[i] = new Tensor(spec.Name, spec.DataType, shape, Zeros(spec.DataType, checked((int)ShapeMath.ElementCount(shape))));
        }

        try
        {
            model.Run(inputs, null, ct);
        }
        catch (Exception e) when (e is OnnxRuntimeException or SlipwayException)
        {
            throw SlipwayException.InvalidParameter($"The model loaded but failed its warm-up run on one row of zeros: {e.Message}");
        }
    }

    private static Array Zeros(TensorDataType dataType, int count)
    {
        if (dataType != TensorDataType.Bytes)
            return Array.CreateInstance(dataType.ArrayType().GetElementType()!, count);
        var strings = new byte[count][];
        Array.Fill(strings, []);
        return strings;
    }
}
