using Microsoft.ML.OnnxRuntime;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;

namespace Slipway.Serving.Models;

/// <summary>
/// An ONNX model behind one <see cref="InferenceSession"/> that every request shares (<c>Run</c> is thread-safe).
/// Inputs are pinned and handed to ONNX Runtime without copying; outputs are copied into new arrays before the
/// native results are released. <c>Run</c> is called inline: for tabular models it takes microseconds to a few
/// milliseconds on the shared ORT pool, less than a hop to another thread would cost.
/// Disposing while requests are running (a route switched to a new version) lets them finish: the session is
/// released when the last one leaves, and later calls throw <see cref="ObjectDisposedException"/>.
/// </summary>
public sealed partial class OnnxModel : SharedModel
{
    public const string PlatformName = "onnx_onnxv1";

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;

    // One-element name arrays per output, so that the common "just this output" request allocates no name list.
    private readonly string[][] _singleOutputNames;

    internal OnnxModel(InferenceSession session, ModelSignature signature, string sourcePath)
        : base(signature, sourcePath)
    {
        _session = session;
        _inputNames = new string[signature.Inputs.Count];
        for (var i = 0; i < _inputNames.Length; i++)
            _inputNames[i] = signature.Inputs[i].Name;
        _outputNames = new string[signature.Outputs.Count];
        _singleOutputNames = new string[_outputNames.Length][];
        for (var i = 0; i < _outputNames.Length; i++)
        {
            _outputNames[i] = signature.Outputs[i].Name;
            _singleOutputNames[i] = [_outputNames[i]];
        }
    }

    public override string Platform => PlatformName;

    internal override Tensor[] Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<string>? requestedOutputs, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var outputNames = SelectOutputs(requestedOutputs);
        Enter();
        var values = new OrtValue[_inputNames.Length];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var index = Array.IndexOf(_inputNames, input.Name);
                if (index < 0)
                    throw SlipwayException.InvalidParameter($"unexpected input '{input.Name}'");
                if (values[index] is not null)
                    throw SlipwayException.InvalidParameter($"input '{input.Name}' is given more than once");
                values[index] = ToOrtValue(input);
            }

            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] is null)
                    throw SlipwayException.InvalidParameter($"missing input '{_inputNames[i]}'");
            }

            using var results = _session.Run(_runOptions, _inputNames, values, outputNames);
            var outputs = new Tensor[outputNames.Length];
            for (var k = 0; k < outputs.Length; k++)
                outputs[k] = ToTensor(outputNames[k], results[k]);

            return outputs;
        }
        catch (OnnxRuntimeException e) when (e.Message.StartsWith("[ErrorCode:InvalidArgument]", StringComparison.Ordinal))
        {
            // ORT's own input checks (e.g. "Got invalid dimensions for input: …") are the client's mistake, not the server's.
            throw SlipwayException.InvalidParameter(e.Message);
        }
        catch (OnnxRuntimeException e)
        {
            // Inputs passed the signature checks, so a failing node (a Reshape that does not fit, a Gather index out of
            // range) is caused by the values sent: answered as bad input rather than as a server fault.
            throw SlipwayException.InvalidParameter("The model could not run on this input: " + e.Message);
        }
        finally
        {
            foreach (var value in values)
                value?.Dispose();
            Leave();
        }
    }

    protected override void Free()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    /// <summary>Requested outputs in signature order, without duplicates; null or empty means all of them.</summary>
    private string[] SelectOutputs(IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
            return _outputNames;
        if (requested.Count == 1)
            return _singleOutputNames[OutputIndex(requested[0])];

        Span<bool> selected = _outputNames.Length <= 256 ? stackalloc bool[_outputNames.Length] : new bool[_outputNames.Length];
        var count = 0;
        foreach (var name in requested)
        {
            var index = OutputIndex(name);
            if (!selected[index])
                count++;
            selected[index] = true;
        }

        if (count == _outputNames.Length)
            return _outputNames;
        var names = new string[count];
        var k = 0;
        for (var i = 0; i < selected.Length; i++)
        {
            if (selected[i])
                names[k++] = _outputNames[i];
        }

        return names;
    }

    private int OutputIndex(string name)
    {
        var index = Array.IndexOf(_outputNames, name);
        return index >= 0
            ? index
            : throw SlipwayException.InvalidParameter($"unknown output '{name}'; the model has outputs {string.Join(", ", _outputNames)}");
    }
}
