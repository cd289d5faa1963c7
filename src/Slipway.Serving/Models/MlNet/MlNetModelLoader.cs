using System.Diagnostics;
using Microsoft.ML;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models.MlNet;

/// <summary>
/// Loads ML.NET models (a <c>.zip</c> from <c>MLContext.Model.Save</c>, a model directory with the <c>mlnet</c>
/// flavor, or a directory with one <c>.zip</c>) and warms each one up on a one-row batch of zeros, so that a model
/// that is returned is known to run.
/// </summary>
public sealed class MlNetModelLoader : IModelLoader
{
    /// <summary>Runs on a pool thread: deserializing a large model (tree ensembles) can take seconds.</summary>
    public Task<ILoadedModel> LoadAsync(string localPath, CancellationToken ct) =>
        Task.Run<ILoadedModel>(() => Load(localPath, ct), ct);

    internal static MlNetModel Load(string localPath, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var before = MemorySnapshot.Take();
        var zipPath = MlNetModelFiles.Locate(localPath);
        ct.ThrowIfCancellationRequested();

        var (transformer, inputSchema) = Deserialize(zipPath);
        MlNetModel? model = null;
        try
        {
            var (viewSchema, inputs, outputs) = MlNetSignatureReader.Read(transformer, inputSchema);
            model = new MlNetModel(transformer, viewSchema, inputs, outputs, zipPath);
            WarmUp(model, ct);
            var after = MemorySnapshot.Take();
            model.RecordLoad(clock.Elapsed, after.BytesSince(before, floor: new FileInfo(zipPath).Length));
            return model;
        }
        catch
        {
            if (model is null)
                (transformer as IDisposable)?.Dispose();
            else
                model.Dispose();
            throw;
        }
    }

    private static (ITransformer Transformer, DataViewSchema InputSchema) Deserialize(string zipPath)
    {
        try
        {
            var transformer = new MLContext().Model.Load(zipPath, out var inputSchema);
            return inputSchema is null
                ? throw SlipwayException.InvalidParameter($"'{Path.GetFileName(zipPath)}' is an ML.NET model saved without its input schema; save it with MLContext.Model.Save(model, inputSchema, path).")
                : (transformer, inputSchema);
        }
        catch (Exception e) when (e is not SlipwayException and not OutOfMemoryException)
        {
            // ML.NET reports a damaged or foreign file with many exception types (InvalidDataException, FormatException,
            // InvalidOperationException from its model repository…); all of them mean the file is not a usable model.
            throw SlipwayException.InvalidParameter($"'{Path.GetFileName(zipPath)}' is not a loadable ML.NET model: {e.Message}");
        }
    }

    /// <summary>One row of zeros (empty strings for BYTES), every output computed.</summary>
    private static void WarmUp(MlNetModel model, CancellationToken ct)
    {
        var specs = model.Signature.Inputs;
        var inputs = new Tensor[specs.Count];
        for (var i = 0; i < inputs.Length; i++)
        {
            var spec = specs[i];
            var shape = (long[])spec.Shape.Clone();
            shape[0] = 1;
            var count = checked((int)ShapeMath.ElementCount(shape));
            Array data = spec.DataType == TensorDataType.Bytes
                ? Enumerable.Repeat(Array.Empty<byte>(), count).ToArray()
                : Array.CreateInstance(spec.DataType.ArrayType().GetElementType()!, count);
            inputs[i] = new Tensor(spec.Name, spec.DataType, shape, data);
        }

        try
        {
            model.Run(inputs, null, ct);
        }
        catch (SlipwayException e)
        {
            throw SlipwayException.InvalidParameter($"The model loaded but failed its warm-up run on one row of zeros: {e.Message}");
        }
    }
}
