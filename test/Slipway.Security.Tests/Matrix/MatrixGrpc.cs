using System.Globalization;
using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Slipway.Serving.Protocols.Grpc;

namespace Slipway.Security.Tests.Matrix;

/// <summary>
/// Calls the OIP gRPC methods over the server's gRPC listener with the server's own message types (a client stub is
/// declared here, from the proto's service and method names, as any gRPC client would), carrying the caller's
/// <c>authorization</c> metadata.
/// </summary>
public static class MatrixGrpc
{
    private const string Service = "inference.GRPCInferenceService";

    /// <summary>The call's status: OK, or the status of the <see cref="RpcException"/> it ended with.</summary>
    public static async Task<(StatusCode Status, string Detail)> CallAsync(MatrixFixture fixture, string method, Caller caller)
    {
        using var channel = GrpcChannel.ForAddress(fixture.Server.GrpcAddress ?? throw new InvalidOperationException("the server has no gRPC listener"));
        var invoker = channel.CreateCallInvoker();
        var headers = new Metadata();
        if (MatrixFixture.AuthorizationOf(caller) is { } authorization)
            headers.Add("authorization", authorization.ToString());
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(60));
        var endpoint = fixture.Expand("{endpoint}");
        try
        {
            object answer = method switch
            {
                "ServerLive" => await Unary(invoker, method, new ServerLiveRequest(), ServerLiveResponse.Parser, options),
                "ServerReady" => await Unary(invoker, method, new ServerReadyRequest(), ServerReadyResponse.Parser, options),
                "ServerMetadata" => await Unary(invoker, method, new ServerMetadataRequest(), ServerMetadataResponse.Parser, options),
                "ModelReady" => await Unary(invoker, method, new ModelReadyRequest { Name = endpoint }, ModelReadyResponse.Parser, options),
                "ModelMetadata" => await Unary(invoker, method, new ModelMetadataRequest { Name = endpoint }, ModelMetadataResponse.Parser, options),
                "ModelInfer" => await Unary(invoker, method, InferRequest(fixture, endpoint), ModelInferResponse.Parser, options),
                // Anything else: an empty message to "service/method" or to a method of the OIP service that does not exist.
                _ => await Raw(invoker, method, options),
            };
            return (StatusCode.OK, answer.ToString() ?? "");
        }
        catch (RpcException error)
        {
            return (error.StatusCode, error.Status.Detail);
        }
    }

    private static async Task<TResponse> Unary<TRequest, TResponse>(CallInvoker invoker, string name, TRequest request, MessageParser<TResponse> parser, CallOptions options)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        var method = new Method<TRequest, TResponse>(MethodType.Unary, Service, name,
            Marshallers.Create<TRequest>(message => message.ToByteArray(), _ => throw new NotSupportedException()),
            Marshallers.Create(_ => throw new NotSupportedException(), parser.ParseFrom));
        return await invoker.AsyncUnaryCall(method, null, options, request);
    }

    private static async Task<byte[]> Raw(CallInvoker invoker, string name, CallOptions options)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var bytes = Marshallers.Create<byte[]>(value => value, value => value);
        var method = new Method<byte[], byte[]>(MethodType.Unary, slash < 0 ? Service : name[..slash], slash < 0 ? name : name[(slash + 1)..], bytes, bytes);
        return await invoker.AsyncUnaryCall(method, null, options, []);
    }

    private static ModelInferRequest InferRequest(MatrixFixture fixture, string endpoint)
    {
        using var row = JsonDocument.Parse(fixture.Expand("{firstRow}"));
        var contents = new InferTensorContents();
        contents.Fp32Contents.AddRange(row.RootElement.EnumerateArray().Select(value => float.Parse(value.GetRawText(), CultureInfo.InvariantCulture)));
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Contents = contents };
        input.Shape.AddRange([1, 30]);
        var request = new ModelInferRequest { ModelName = endpoint };
        request.Inputs.Add(input);
        return request;
    }
}
