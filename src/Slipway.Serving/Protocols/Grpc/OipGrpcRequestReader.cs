using Google.Protobuf.Collections;
using Slipway.Core.Errors;
using Slipway.Serving.Inference;
using static Slipway.Serving.Protocols.Grpc.ModelInferRequest.Types;

namespace Slipway.Serving.Protocols.Grpc;

/// <summary>
/// Turns a ModelInfer request into tensors. Every size is checked against the shape before anything is allocated,
/// and every problem with the input is <see cref="ErrorCode.InvalidParameterValue"/> (INVALID_ARGUMENT), never INTERNAL.
/// </summary>
internal static class OipGrpcRequestReader
{
    /// <summary>Most elements one input tensor may have (2^24): the 64 MiB message limit allows at most this many FP32 values.</summary>
    public const int MaxElementCount = ShapeMath.MaxElements;

    private static readonly InferTensorContents NoContents = new();

    public static Tensor[] ReadInputs(ModelInferRequest request)
    {
        var inputs = request.Inputs;
        var raw = request.RawInputContents;
        var useRaw = raw.Count > 0;
        if (useRaw && raw.Count != inputs.Count)
            throw SlipwayException.InvalidParameter(
                $"The request has {inputs.Count} inputs but {raw.Count} raw_input_contents entries; give one per input, in input order.");
        var tensors = new Tensor[inputs.Count];
        for (var i = 0; i < tensors.Length; i++)
        {
            var input = inputs[i];
            if (!TensorDataTypes.TryParse(input.Datatype, out var type))
                throw SlipwayException.InvalidParameter($"Input '{input.Name}' has unknown datatype '{input.Datatype}'.");
            var shape = ReadShape(input);
            Array data;
            if (useRaw)
            {
                if (input.Contents is not null)
                    throw SlipwayException.InvalidParameter(
                        $"Input '{input.Name}' has typed contents but the request carries raw_input_contents; use one or the other.");
                data = RawTensorCodec.Decode(input.Name, type, shape.Count, raw[i].Span);
            }
            else
            {
                var contents = input.Contents ?? (shape.Count == 0 ? NoContents : throw NoData(input.Name));
                data = TypedTensorCodec.Decode(input.Name, type, shape.Count, contents);
            }
            tensors[i] = new Tensor(input.Name, type, shape.Dimensions, data);
        }
        return tensors;
    }

    /// <summary>Null when the request names no outputs, which means every output.</summary>
    public static string[]? ReadRequestedOutputs(RepeatedField<InferRequestedOutputTensor> outputs)
    {
        if (outputs.Count == 0)
            return null;
        var names = new string[outputs.Count];
        for (var i = 0; i < names.Length; i++)
            names[i] = outputs[i].Name;
        return names;
    }

    /// <summary>Null when there are none, so that the common request allocates no dictionary.</summary>
    public static IReadOnlyDictionary<string, object?>? ReadParameters(MapField<string, InferParameter> parameters)
    {
        if (parameters.Count == 0)
            return null;
        var values = new Dictionary<string, object?>(parameters.Count, StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters)
            values[name] = ParameterValue(parameter);
        return values;
    }

    private static object? ParameterValue(InferParameter parameter) => parameter.ParameterChoiceCase switch
    {
        InferParameter.ParameterChoiceOneofCase.BoolParam => parameter.BoolParam,
        InferParameter.ParameterChoiceOneofCase.Int64Param => parameter.Int64Param,
        InferParameter.ParameterChoiceOneofCase.StringParam => parameter.StringParam,
        InferParameter.ParameterChoiceOneofCase.DoubleParam => parameter.DoubleParam,
        InferParameter.ParameterChoiceOneofCase.Uint64Param => parameter.Uint64Param,
        _ => null,
    };

    /// <summary>
    /// Rejects negative dimensions and shapes beyond <see cref="MaxElementCount"/>. The running product is bounded at
    /// every step, not just the total, so that no later product over this shape can overflow.
    /// </summary>
    private static (long[] Dimensions, int Count) ReadShape(InferInputTensor input)
    {
        var dimensions = new long[input.Shape.Count];
        input.Shape.CopyTo(dimensions, 0);
        long count = 1;
        foreach (var dimension in dimensions)
        {
            if (dimension < 0)
                throw SlipwayException.InvalidParameter(
                    $"Input '{input.Name}' has a negative dimension in shape [{string.Join(", ", dimensions)}].");
            if (dimension > MaxElementCount)
                throw TooLarge(input.Name, dimensions);
            count *= dimension; // both factors are at most 2^24: no overflow
            if (count > MaxElementCount)
                throw TooLarge(input.Name, dimensions);
        }
        return (dimensions, (int)count);
    }

    private static SlipwayException TooLarge(string input, long[] dimensions) =>
        SlipwayException.InvalidParameter($"Input '{input}' has shape [{string.Join(", ", dimensions)}], more than {MaxElementCount} elements.");

    private static SlipwayException NoData(string input) =>
        SlipwayException.InvalidParameter($"Input '{input}' has no contents and the request has no raw_input_contents.");
}
