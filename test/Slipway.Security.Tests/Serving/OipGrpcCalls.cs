using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Security.Tests.Serving;

/// <summary>
/// OIP gRPC calls with the server's own message types and a method descriptor built from the proto's service and method
/// names (as any client generated from grpc_inference.proto sends them), carrying <c>authorization</c> metadata.
/// </summary>
internal static class OipGrpcCalls
{
    private const string Service = "inference.GRPCInferenceService";

    /// <summary>ModelInfer of one row on <paramref name="endpoint"/>: OK and the output count, or the status the call ended with.</summary>
    public static async Task<(StatusCode Status, int Outputs, string Detail)> InferAsync(Uri grpcAddress, AuthenticationHeaderValue? caller, string endpoint, string firstRow)
    {
        using var channel = GrpcChannel.ForAddress(grpcAddress);
        var headers = new Metadata();
        if (caller is not null)
            headers.Add("authorization", caller.ToString());
        var method = new Method<ModelInferRequest, ModelInferResponse>(MethodType.Unary, Service, "ModelInfer",
            Marshallers.Create<ModelInferRequest>(message => message.ToByteArray(), ModelInferRequest.Parser.ParseFrom),
            Marshallers.Create<ModelInferResponse>(message => message.ToByteArray(), ModelInferResponse.Parser.ParseFrom));
        try
        {
            var response = await channel.CreateCallInvoker().AsyncUnaryCall(method, null, new CallOptions(headers, DateTime.UtcNow.AddSeconds(60)), Request(endpoint, firstRow));
            return (StatusCode.OK, response.Outputs.Count, "");
        }
        catch (RpcException error)
        {
            return (error.StatusCode, 0, error.Status.Detail);
        }
    }

    private static ModelInferRequest Request(string endpoint, string firstRow)
    {
        using var row = JsonDocument.Parse(firstRow);
        var contents = new InferTensorContents();
        contents.Fp32Contents.AddRange(row.RootElement.EnumerateArray().Select(value => float.Parse(value.GetRawText(), CultureInfo.InvariantCulture)));
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Contents = contents };
        input.Shape.AddRange([1, 30]);
        var request = new ModelInferRequest { ModelName = endpoint };
        request.Inputs.Add(input);
        return request;
    }
}
