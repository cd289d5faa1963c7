using Slipway.Serving.Inference;
using static Slipway.Serving.Protocols.Grpc.ModelInferResponse.Types;

namespace Slipway.Serving.Protocols.Grpc;

internal static class OipGrpcResponseWriter
{
    /// <summary>
    /// Answers in the form the request used, as Triton does: raw_output_contents for a raw request, typed contents
    /// otherwise. An FP16 or BF16 output has no typed field, and the two forms cannot be mixed in one response, so
    /// such an output makes the whole response raw.
    /// </summary>
    public static ModelInferResponse Write(string modelName, string id, InferenceResult result, bool raw)
    {
        var outputs = result.Outputs;
        var response = new ModelInferResponse { ModelName = modelName, ModelVersion = ModelVersions.Bare(result.ModelVersion), Id = id };
        raw = raw || !AllTypeable(outputs);
        response.Outputs.Capacity = outputs.Count;
        if (raw)
            response.RawOutputContents.Capacity = outputs.Count;
        foreach (var tensor in outputs)
        {
            var output = new InferOutputTensor { Name = tensor.Name, Datatype = tensor.DataType.WireName() };
            output.Shape.AddRange(tensor.Shape);
            if (raw)
                response.RawOutputContents.Add(RawTensorCodec.Encode(tensor));
            else
                output.Contents = TypedTensorCodec.Encode(tensor);
            response.Outputs.Add(output);
        }
        return response;
    }

    private static bool AllTypeable(IReadOnlyList<Tensor> outputs)
    {
        foreach (var tensor in outputs)
        {
            if (!TypedTensorCodec.CanEncode(tensor.DataType))
                return false;
        }
        return true;
    }
}
